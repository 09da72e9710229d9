/**
 * HTTP answers of the simulator: what Odoo (or the proxy in front of it) sends — JSON, werkzeug's
 * and Odoo's HTML error pages, JSON-2 error bodies — and how an answer goes out on the socket,
 * streamed in chunks, or cut off mid-body to play a worker killed while answering.
 * @module
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { OdooValue } from './database.js';
import type { OdooSimError } from './exceptions.js';
import { LazyRecords } from './methods.js';

/** An answer before it is sent: status, headers and the body in pieces. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  chunks: Iterable<string>;
  /** What to answer instead if producing `chunks` fails before anything was sent. */
  fallback?: (error: unknown) => Answer;
}

/**
 * How a dropped answer is framed before its connection dies:
 * - `'chunked'`: HTTP/1.1 with `Transfer-Encoding: chunked`, cut in the middle of a chunk.
 * - `'content-length'`: HTTP/1.0 with the `Content-Length` of the whole body and
 *   `Connection: close`, cut after half the announced bytes — how an Odoo prefork worker's
 *   answer looks (werkzeug's single-process server speaks HTTP/1.0) when the worker is killed
 *   mid-answer. Node's fetch (undici) then fails with `UND_ERR_RES_CONTENT_LENGTH_MISMATCH`
 *   instead of `UND_ERR_SOCKET`.
 */
export type DropFraming = 'chunked' | 'content-length';

/** werkzeug's 404 page (a URL no route matches). */
export const HTML_404 =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
/** Odoo's 404 page when no database is selected (`NOT_FOUND_NODB` in `odoo/http.py`): an unknown `X-Odoo-Database`. */
export const HTML_404_NODB =
  '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n';
/** werkzeug's 405 page. */
export const HTML_405 =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';
/** nginx's 502 page (the Odoo worker behind it died). */
export const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
/** werkzeug's 413 page. */
export const HTML_413 = HTML_404.replace(/404 Not Found|Not Found/g, 'Request Entity Too Large');

const FLUSH_AT = 64 * 1024;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** An HTML answer. */
export function html(status: number, body: string, extra: Record<string, string> = {}): Answer {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...extra }, chunks: [body] };
}

/** A werkzeug `HTTPException` page: `<title>415 Unsupported Media Type</title>` and the escaped description. */
export function werkzeugHtml(status: number, description: string, extra: Record<string, string> = {}): Answer {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const name = STATUS_CODES[status] ?? 'Error';
  return html(status, `<!doctype html>\n<html lang=en>\n<title>${title}</title>\n<h1>${name}</h1>\n<p>${escapeHtml(description)}</p>\n`, extra);
}

function* jsonChunks(value: OdooValue | LazyRecords): Generator<string> {
  if (!Array.isArray(value) && !(value instanceof LazyRecords)) {
    yield JSON.stringify(value);
    return;
  }
  yield '[';
  let first = true;
  for (const item of value instanceof LazyRecords ? value.records() : value) {
    yield (first ? '' : ',') + JSON.stringify(item);
    first = false;
  }
  yield ']';
}

/** A JSON answer; a list of records is streamed as it is formatted. */
export function json(status: number, value: OdooValue | LazyRecords, extra: Record<string, string> = {}): Answer {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...extra }, chunks: jsonChunks(value) };
}

/** A JSON-2 error body like werkzeug's HTTP exceptions serialised by Odoo: `arguments` is `[message, status]`. */
export function json2HttpError(status: number, name: string, message: string, extra: Record<string, string> = {}): Answer {
  return json(
    status,
    {
      name: `werkzeug.exceptions.${name}`,
      message,
      arguments: [message, status],
      context: {},
      debug: `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2150, in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\nwerkzeug.exceptions.${name}: ${status} ${name.replace(/([a-z])([A-Z])/g, '$1 $2')}: ${message}\n`,
    },
    extra,
  );
}

/** A JSON-2 error body for an exception raised "inside Odoo". */
export function json2OdooError(error: OdooSimError): Answer {
  return json(error.httpStatus, {
    name: error.pythonName,
    message: error.message,
    arguments: [error.message],
    context: {},
    debug: error.traceback,
  });
}

/** Waits until `res` can take more data (or is gone). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Sends `answer`: small answers with a `Content-Length`, big ones chunked as they are produced.
 * With `drop`, the connection dies in the middle of the body, framed as `drop` says.
 */
export async function sendAnswer(res: ServerResponse, answer: Answer, drop?: DropFraming): Promise<void> {
  if (drop === 'content-length') { sendCutWithLength(res, answer); return; }
  let buffer = '';
  const iterator = answer.chunks[Symbol.iterator]();
  let started = false;
  const start = (chunked: boolean) => {
    res.statusCode = answer.status;
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    if (!chunked) res.setHeader('Content-Length', Buffer.byteLength(buffer));
    started = true;
  };
  for (;;) {
    let step: IteratorResult<string>;
    try {
      step = iterator.next();
    } catch (error) {
      if (!started && answer.fallback) return sendAnswer(res, answer.fallback(error), drop);
      res.destroy();
      return;
    }
    if (step.done) break;
    buffer += step.value;
    if (buffer.length >= FLUSH_AT) {
      if (!started) start(true);
      if (drop) { cutChunked(res, buffer); return; }
      const flushed = res.write(buffer);
      buffer = '';
      if (!flushed) await drained(res);
      if (res.destroyed) return;
    }
  }
  if (!started) start(drop !== undefined);
  if (drop) { cutChunked(res, buffer); return; }
  res.end(buffer);
}

/** Headers and part of a chunked body go out, then the connection dies: a killed worker. */
function cutChunked(res: ServerResponse, buffer: string): void {
  res.write(buffer.slice(0, Math.max(1, Math.floor(buffer.length / 2))));
  setImmediate(() => res.destroy());
}

/**
 * The whole body is produced, announced by its `Content-Length` in an HTTP/1.0 answer, and the
 * connection dies after half of it. Written on the socket directly: Node's `ServerResponse`
 * always answers in the request's HTTP version.
 */
function sendCutWithLength(res: ServerResponse, answer: Answer): void {
  let current = answer;
  let body: Buffer;
  for (;;) {
    try {
      body = Buffer.from([...current.chunks].join(''), 'utf8');
      break;
    } catch (error) {
      if (!current.fallback) {
        res.destroy();
        return;
      }
      current = current.fallback(error);
    }
  }
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  // One line per header, whatever the case of its name (the answer's own ones win).
  const headers = new Map<string, [string, string]>();
  const set = (name: string, value: unknown) => {
    if (value !== undefined) headers.set(name.toLowerCase(), [name, String(value)]);
  };
  for (const [name, value] of Object.entries(res.getHeaders())) set(name, value);
  for (const [name, value] of Object.entries(current.headers)) set(name, value);
  set('Date', new Date().toUTCString());
  set('Content-Length', body.length);
  set('Connection', 'close');
  const lines = [...headers.values()].map(([name, value]) => `${name}: ${value}`);
  const head = [`HTTP/1.0 ${current.status} ${STATUS_CODES[current.status] ?? ''}`, ...lines].join('\r\n');
  socket.write(`${head}\r\n\r\n`);
  socket.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))));
  setImmediate(() => socket.destroy());
}
