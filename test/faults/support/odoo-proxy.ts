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

  /** Stops it. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 in front of `target` (e.g. `sim.url`). */
export async function startOdooProxy(target: string): Promise<OdooProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const state = { requests: 0, onRequest: null as ((count: number) => void) | null };
  const server: Server = createServer((req, res) => {
    state.requests++;
    state.onRequest?.(state.requests);
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
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
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
