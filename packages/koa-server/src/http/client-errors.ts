/**
 * Requests Node's HTTP parser refuses before the app sees them (a request line or headers over
 * the size limit, bytes that are not HTTP) are answered with the same typed JSON error body as
 * every other error, instead of Node's bare status line.
 * @module
 */
import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiErrorBody } from './errors.js';

/** The status and typed body Node's parser errors are answered with. */
export function clientErrorAnswer(code: string | undefined): { status: number; body: ApiErrorBody } {
  if (code === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      body: { error: { code: 'headers_too_large', message: 'The request line or headers are too large (the URL may be too long).', details: { hint: 'Send long input in a JSON body, or shorten the query.' } } },
    };
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, body: { error: { code: 'request_timeout', message: 'The request took too long to arrive.' } } };
  }
  return { status: 400, body: { error: { code: 'malformed_request', message: 'The request is not valid HTTP.' } } };
}

/**
 * Answers the `clientError`s of `server` (431 `headers_too_large`, 408 `request_timeout`, 400
 * `malformed_request`, with the typed JSON error body) and closes the
 * connection. A connection reset, a socket that cannot be written, or one whose answer has
 * already begun is only closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const { status, body } = clientErrorAnswer(err.code);
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${text}`,
    );
  });
}
