/**
 * Reading requests: a JSON body with a size limit, the query string, and zod validation that fails with
 * {@link InputError} naming each problem.
 * @module
 */
import { InputError, type InputIssue } from '@odoo-sync/core/errors';
import type { Context } from 'koa';
import type { z } from 'zod';
import { HttpProblem } from './errors.js';

/**
 * Reads the request body as JSON. An empty body gives `undefined`. Throws `payload_too_large`
 * (413) past `limitBytes`, `unsupported_media_type` (415) for a body that is not
 * `application/json`, and `malformed_json` (400) for a body that does not parse.
 */
export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  const declared = ctx.get('Content-Length');
  if (declared && Number(declared) > limitBytes) {
    ctx.set('Connection', 'close');
    throw new HttpProblem('payload_too_large', `The request body is larger than ${limitBytes} bytes.`, { limitBytes });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      ctx.set('Connection', 'close');
      throw new HttpProblem('payload_too_large', `The request body is larger than ${limitBytes} bytes.`, { limitBytes });
    }
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  if (!ctx.is('application/json', '+json')) {
    throw new HttpProblem('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem('malformed_json', 'The request body is not valid JSON.');
  }
}

/**
 * The query string's parameters: one string per name, an array for a repeated name. The record
 * has no prototype, so every name is a key like any other — `__proto__`, `constructor` — and an
 * unknown one is refused by the route's schema instead of vanishing (Koa's own `ctx.query`
 * drops `__proto__`).
 *
 * @example
 * ```ts
 * parseQueryString('limit=5&entity=a&entity=b'); // { limit: '5', entity: ['a', 'b'] }
 * ```
 */
export function parseQueryString(querystring: string): Record<string, string | string[]> {
  const params = new URLSearchParams(querystring);
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    out[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}

/** zod issues as {@link InputIssue}s, paths prefixed with where the value came from. */
export function toInputIssues(error: z.ZodError, where: string): InputIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [where, ...issue.path.map(String)].join('.');
    if (keys.length > 0) return { path, message: `unknown field${keys.length > 1 ? 's' : ''}: ${keys.join(', ')}` };
    return { path, message: issue.message };
  });
}

/** Validates `value` with `schema`; throws {@link InputError} (422) listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = toInputIssues(parsed.error, where);
  throw new InputError(`The request ${where === 'params' ? 'path' : where} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}
