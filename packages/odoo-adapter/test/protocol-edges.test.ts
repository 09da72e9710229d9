/**
 * Edges of Odoo's protocols where a client used to misread what happened: an answer cut short
 * of its Content-Length (HTTP/1.0, as Odoo's prefork workers answer), an unknown method, and a
 * database name Odoo does not know. Each against odoo-sim over real sockets.
 */
import { describe, expect, it } from 'vitest';
import { OdooAuthError, OdooValidationError } from '../src/index.js';
import { clientOf, countingFetch, HTTP_PATHS, PROTOCOLS, rejectionOf, startSim } from './helpers.js';

describe.each(PROTOCOLS)('over %s', (protocol) => {
  describe('an answer dropped mid-body', () => {
    it.each(['chunked', 'content-length'] as const)('framed %s: a read is retried and succeeds', async (framing) => {
      const sim = await startSim();
      const counter = countingFetch();
      const client = clientOf(sim, protocol, { fetch: counter.fetch });
      await client.authenticate();
      const before = counter.count();
      sim.faults.dropConnections(2, { framing });
      expect(await client.searchRead('res.partner', [], { fields: ['name'], limit: 5, order: 'id' })).toHaveLength(5);
      expect(counter.count() - before).toBe(3);
    });

    it.each(
      HTTP_PATHS.flatMap(([path, options]) => (['chunked', 'content-length'] as const).map((framing) => [framing, path, options] as const)),
    )('framed %s, through %s: the error is a retryable odoo_transport_failed that says the answer was cut', async (framing, _path, options) => {
      const sim = await startSim();
      const client = clientOf(sim, protocol, { retries: 0, ...options });
      await client.authenticate();
      sim.faults.dropConnections(1, { framing });
      const error = await rejectionOf(client.searchRead('res.partner', [], { fields: ['name'] }));
      expect(error).toMatchObject({ code: 'odoo_transport_failed', retryable: true });
      expect(error.message).toMatch(/broke before the whole answer.*terminated/);
      if (framing === 'content-length') expect(error.message).toMatch(/content-length/i);
    });

    it.each(HTTP_PATHS)('framed content-length, through %s: a create whose answer was cut is not sent again', async (_path, options) => {
      const sim = await startSim();
      const client = clientOf(sim, protocol, options);
      await client.authenticate();
      const before = sim.count('res.partner', [['active', 'in', [true, false]]]);
      sim.faults.dropConnections(1, { framing: 'content-length' });
      const error = await rejectionOf(client.create('res.partner', { name: 'Once' }));
      expect(error).toMatchObject({ code: 'odoo_transport_failed', retryable: true });
      expect(sim.count('res.partner', [['active', 'in', [true, false]]]) - before).toBe(1);
    });
  });

  it('an unknown method is odoo_validation_failed with the same message on both transports', async () => {
    const sim = await startSim();
    const client = clientOf(sim, protocol);
    const error = await rejectionOf(client.call('res.partner', 'frobnicate', [], {}));
    expect(error).toBeInstanceOf(OdooValidationError);
    expect(error).toMatchObject({ code: 'odoo_validation_failed', retryable: false });
    expect(error.message).toBe("Odoo has no method res.partner.frobnicate: The method 'res.partner.frobnicate' does not exist");
  });

  it('a database Odoo does not have is odoo_auth_failed naming the database', async () => {
    const sim = await startSim();
    const client = clientOf(sim, protocol, { db: 'no-such-db' });
    const error = await rejectionOf(client.searchCount('res.partner'));
    expect(error).toBeInstanceOf(OdooAuthError);
    expect(error).toMatchObject({ code: 'odoo_auth_failed', retryable: false });
    expect(error.message).toContain('"no-such-db"');
    expect(error.message).toMatch(/no database/i);
    expect(error.hint).toMatch(/database name/);
    expect(`${error.message} ${String(error.hint)}`).not.toContain(sim.credentials.apiKey);
  });
});

describe("protocol 'auto'", () => {
  it('a database Odoo 19 does not have is reported as such, not taken for a server without JSON-2', async () => {
    const sim = await startSim();
    const counter = countingFetch();
    const client = clientOf(sim, 'auto', { db: 'no-such-db', fetch: counter.fetch });
    const error = await rejectionOf(client.searchCount('res.partner'));
    expect(error).toMatchObject({ code: 'odoo_auth_failed', retryable: false });
    expect(error.message).toContain('"no-such-db"');
    // It did not fall back to XML-RPC.
    expect(counter.count('/xmlrpc/')).toBe(0);
  });
});
