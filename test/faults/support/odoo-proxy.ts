/**
 * A pass-through HTTP proxy between a server process and odoo-sim that counts requests and
 * calls a hook on each one: the scenarios use it to SIGKILL the server at an exact point of a
 * run (the Nth request to Odoo), wherever the run happens to be.
 * @module
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A running proxy. */
export interface OdooProxy {
  /** Its base URL (give it to the server as `ODOO_URL`). */
  readonly url: string;
  /** Requests received since start. */
  readonly requests: number;
  /** Called with the running request count when a request arrives, before it is forwarded. */
  onRequest: ((count: number) => void) | null;
  /**
   * The next `count` answers are cut off half-way the way an HTTP/1.0 server or a proxy does:
   * `Content-Length` announces the whole body, half of it is sent, then the connection closes.
   */
  truncateWithContentLength(count: number): void;
  /** Stops it. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 in front of `target` (e.g. `sim.url`). */
export async function startOdooProxy(target: string): Promise<OdooProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const state = { requests: 0, truncate: 0, onRequest: null as ((count: number) => void) | null };
  const server: Server = createServer((req, res) => {
    state.requests++;
    state.onRequest?.(state.requests);
    const truncate = state.truncate > 0;
    if (truncate) state.truncate--;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (!truncate) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('error', () => res.destroy());
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', () => res.destroy());
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers = { ...answer.headers, 'content-length': String(body.length), connection: 'close' };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 200, headers);
          res.flushHeaders();
          res.socket?.end(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get onRequest() {
      return state.onRequest;
    },
    set onRequest(hook) {
      state.onRequest = hook;
    },
    truncateWithContentLength(count: number) {
      state.truncate = count;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
