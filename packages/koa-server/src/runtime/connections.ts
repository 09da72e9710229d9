/**
 * The server's connections, for a shutdown that does not wait on browsers: Chromium keeps
 * answered connections alive and opens spare ones that may never carry a request, and Node 20's
 * `server.close()` waits for both.
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Closes a server's connections that are not answering a request, now and as they finish. */
export interface ConnectionTracker {
  /** Ends every connection not answering a request, and each busy one once its answer is sent. */
  drain(): void;
}

/** Tracks `server`'s connections from now on (call before it accepts any). */
export function trackConnections(server: Server): ConnectionTracker {
  const idle = new Set<Socket>();
  let draining = false;
  server.on('connection', (socket: Socket) => {
    if (draining) {
      socket.destroy();
      return;
    }
    idle.add(socket);
    socket.once('close', () => idle.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    idle.delete(socket);
    res.once('finish', () => {
      if (socket.destroyed) return;
      if (draining) socket.end();
      else idle.add(socket);
    });
  });
  return {
    drain() {
      draining = true;
      for (const socket of idle) socket.end();
      idle.clear();
    },
  };
}
