/**
 * Answers odoo-sim does not give: a redirect, an HTML page with status 200, and a fault that
 * echoes the secret back. A bare node:http server on 127.0.0.1 stands in for a proxy or a
 * misbehaving server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { OdooClient, type OdooClientOptions, OdooServerError } from '../src/index.js';
import { HTTP_PATHS, memoryLogger, rejectionOf } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void, onConnection?: () => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => handler(req, body, res));
  });
  if (onConnection) server.on('connection', onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const secret = 'p@ss-<s3cret>&key';

function client(url: string, logger = memoryLogger(), extra: Partial<OdooClientOptions> = {}): OdooClient {
  return new OdooClient({ url, db: 'odoo', username: 'admin', password: secret, protocol: 'xmlrpc', retries: 1, retryMinTimeoutMs: 1, retryMaxTimeoutMs: 1, logger, ...extra });
}

/** An XML-RPC answer whose value is the integer `uid`. */
const uidAnswer = (uid: number) => `<?xml version='1.0'?>\n<methodResponse><params><param><value><int>${uid}</int></value></param></params></methodResponse>`;

describe('answers from something that is not quite Odoo', () => {
  it('reports a redirect with its target, without following it and without retrying', async () => {
    let hits = 0;
    const url = await serve((_req, _body, res) => {
      hits++;
      res.writeHead(301, { Location: 'https://odoo.example.com/xmlrpc/2/common' }).end();
    });
    const odoo = client(url);
    const error = await rejectionOf(odoo.authenticate());
    expect(error).toMatchObject({ code: 'odoo_transport_failed', status: 301, retryable: false });
    expect(error.message).toContain('https://odoo.example.com/xmlrpc/2/common');
    expect(hits).toBe(1);
    await odoo.close();
  });

  it('says the server answered HTML for a 200 HTML page (a login page, a wrong path)', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><head><TITLE>Login</TITLE></head><body>Sign in</body></html>');
    });
    const odoo = client(url);
    const error = await rejectionOf(odoo.authenticate());
    expect(error).toMatchObject({ code: 'odoo_transport_failed', status: 200, retryable: false });
    expect(error.message).toContain('The server answered HTML, not XML-RPC — is the URL right, or is a proxy failing?');
    await odoo.close();
  });

  it('redacts a password that the server echoes in a fault traceback and in logs', async () => {
    const logger = memoryLogger();
    const url = await serve((_req, body, res) => {
      // The xmlrpc serializer sends a string with < or & as CDATA; Odoo would echo it escaped.
      const sent = /<!\[CDATA\[(.*?s3cret.*?)\]\]>/.exec(body)?.[1] ?? '';
      const echoed = sent.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const traceback = `Traceback (most recent call last):\n  File "odoo/service/common.py", line 1\nValueError: bad secret ${echoed}`;
      res
        .writeHead(200, { 'Content-Type': 'text/xml' })
        .end(
          `<?xml version='1.0'?>\n<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member>` +
            `<member><name>faultString</name><value><string>${traceback}</string></value></member></struct></value></fault></methodResponse>`,
        );
    });
    const odoo = client(url, logger);
    const error = await rejectionOf(odoo.authenticate());
    expect(error).toBeInstanceOf(OdooServerError);
    const outputs = [error.message, String((error as unknown as OdooServerError).debug), JSON.stringify(error), ...logger.lines];
    expect(String((error as unknown as OdooServerError).debug)).toContain('bad secret [redacted]');
    for (const text of outputs) {
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('&lt;s3cret&gt;');
    }
    await odoo.close();
  });

  const ENCODINGS: ReadonlyArray<readonly [string, string, (body: Buffer) => Buffer]> = [
    ['gzip', 'gzip', gzipSync],
    ['deflate', 'deflate', deflateSync],
    ['raw deflate', 'deflate', deflateRawSync],
    ['br', 'br', brotliCompressSync],
  ];
  it.each(HTTP_PATHS.flatMap(([path, options]) => ENCODINGS.map(([label, encoding, compress]) => [label, path, encoding, compress, options] as const)))(
    'reads an answer compressed with %s (a proxy in front of Odoo), through %s',
    async (_label, path, encoding, compress, options) => {
      let accepted = '';
      const url = await serve((req, _body, res) => {
        accepted = String(req.headers['accept-encoding']);
        res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Encoding': encoding }).end(compress(Buffer.from(`\uFEFF${uidAnswer(7)}`)));
      });
      const odoo = client(url, memoryLogger(), options);
      expect(await odoo.authenticate()).toBe(7);
      // The client's own exchange asks for every coding it reads.
      if (path === 'node:http') expect(accepted).toContain(encoding);
      await odoo.close();
    },
  );

  it('keeps one connection alive across requests without a fetch, and close() ends it', async () => {
    let connections = 0;
    let uid = 0;
    const url = await serve(
      (_req, _body, res) => res.writeHead(200, { 'Content-Type': 'text/xml' }).end(uidAnswer(++uid)),
      () => connections++,
    );
    const odoo = client(url);
    for (let i = 0; i < 5; i++) await odoo.call('res.partner', 'search_count', [[]]);
    expect(connections).toBe(1);
    await odoo.close();
    expect(await rejectionOf(odoo.call('res.partner', 'search_count', [[]]))).toMatchObject({ code: 'odoo_transport_failed' });
  });

  it('checks the certificate of an https Odoo without a fetch: a self-signed one is refused, not retried', async () => {
    let hits = 0;
    const server = createTlsServer({ key: SELF_SIGNED.key, cert: SELF_SIGNED.cert }, (_req, res) => {
      hits++;
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(uidAnswer(7));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const odoo = client(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const error = await rejectionOf(odoo.authenticate());
    expect(error).toMatchObject({ code: 'odoo_transport_failed', retryable: false });
    expect(error.message).toMatch(/self[- ]signed/i);
    expect(hits).toBe(0);
    await odoo.close();
  });
});

/** A self-signed certificate for 127.0.0.1 (valid for 100 years), for the https test only. */
const SELF_SIGNED = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgj2OtLP4m26nov082
bOV7eBK2RzGnWz2xXCKZDO/7O4mhRANCAAT0ALVnFJy3pVLb3LEiClaAzuD6PfJb
flxWihYDRfBw5XRFnnehLomZ/55Jf1lK8LRwjJ7SAmxmBhBx7GVyUeix
-----END PRIVATE KEY-----`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUZ4Wl25WinOGOKmsr+ustJC5HfpowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwODAwNDI0MloYDzIxMjYxMTE0
MDA0MjQyWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAT0ALVnFJy3pVLb3LEiClaAzuD6PfJbflxWihYDRfBw5XRFnnehLomZ
/55Jf1lK8LRwjJ7SAmxmBhBx7GVyUeixo2QwYjAdBgNVHQ4EFgQUn4sIIp31Zf5d
7Jw7MgKNuG6JDYQwHwYDVR0jBBgwFoAUn4sIIp31Zf5d7Jw7MgKNuG6JDYQwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IQDiUjHT70FBmNXMHG05r76mJhscuo7fo9+Y07vGii6CWwIgEjvWXEumLzAiX0Lz
wqPqskLAmcXZtQxGSR3U3oYWBKs=
-----END CERTIFICATE-----`,
};
