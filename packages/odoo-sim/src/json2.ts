/**
 * JSON-2 (`POST /json/2/<model>/<method>`, Odoo 19+), answered in the order Odoo 19 checks a
 * request: the database (`X-Odoo-Database`), the route, the body's content type, the bearer key,
 * the JSON body, then the model, the method and its arguments. Failures before the JSON-2
 * controller is reached are HTML pages, as in Odoo; later ones are JSON error bodies.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { type Answer, HTML_404_NODB, html, json, json2HttpError, json2OdooError, werkzeugHtml } from './answers.js';
import type { Env, SimDatabase } from './database.js';
import { OdooSimError } from './exceptions.js';
import { NotFoundError, parseIds, resolveMethod, runMethod, SignatureError } from './methods.js';

/** What the JSON-2 handler needs from the simulator. */
export interface Json2Context {
  /** The one database served. */
  db: string;
  /** Its data. */
  database: SimDatabase;
  /** Odoo major version simulated. */
  major: number;
  /** Counts a call by `model.method`. */
  countMethod(key: string): void;
}

const RPC_ROUTE = '/json/2/<model>/<method>';
const CATCH_ALL_ROUTE = '/json/2';
/** Content types Odoo's JSON-RPC dispatcher accepts (so it is listed among the compatible ones). */
const JSON_RPC_MIMETYPES = new Set(['application/json', 'application/json-rpc']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Odoo's 415 page when a body is not JSON: the dispatcher of a `type='json2'` route takes only
 * `application/json` (or no body at all).
 */
function unsupportedMediaType(mimetype: string, route: string): Answer {
  const compatible = ['http', ...(JSON_RPC_MIMETYPES.has(mimetype) ? ['jsonrpc'] : [])];
  const description =
    `Request inferred type is compatible with [${compatible.map((name) => `'${name}'`).join(', ')}] but '${route}' is type='json2'.\n\n` +
    'Please verify the Content-Type request header and try again.';
  return werkzeugHtml(415, description, { Accept: 'application/json' });
}

/** Answers one request to a `/json/2` path. */
export function answerJson2(ctx: Json2Context, req: IncomingMessage, method: string, path: string, body: Buffer): Answer {
  const headerDb = req.headers['x-odoo-database'];
  if (typeof headerDb === 'string' && headerDb !== '' && headerDb !== ctx.db) {
    // No database selected: only the server-wide (database-less) routes exist, and JSON-2 is not one.
    return html(404, HTML_404_NODB);
  }
  const match = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  const isRpc = match !== null && method === 'POST';
  const mimetype = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length > 0 && mimetype !== 'application/json') return unsupportedMediaType(mimetype, isRpc ? RPC_ROUTE : CATCH_ALL_ROUTE);
  if (!isRpc) return json2HttpError(404, 'NotFound', 'Did you mean POST /json/2/<model>/<method>?');
  const model = decodeURIComponent(match[1] as string);
  const name = decodeURIComponent(match[2] as string);
  ctx.countMethod(`${model}.${name}`);

  const authorization = req.headers['authorization'];
  const token = typeof authorization === 'string' ? /^bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() : undefined;
  const unauthorized = { 'WWW-Authenticate': 'bearer' };
  if (!token) return json2HttpError(401, 'Unauthorized', 'User not authenticated, use the "Authorization" header', unauthorized);
  const user = ctx.database.userByApiKey(token);
  if (!user) return json2HttpError(401, 'Unauthorized', 'Invalid apikey', unauthorized);

  let params: Record<string, unknown> = {};
  if (body.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return json2HttpError(400, 'BadRequest', `could not parse the body as json: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isRecord(parsed)) return json2HttpError(400, 'BadRequest', 'could not parse the body, expecting a json object');
    params = parsed;
  }
  if (!ctx.database.isInstalled(model)) return json2HttpError(404, 'NotFound', `the model '${model}' does not exist`);
  try {
    const { records } = resolveMethod(model, name, ctx.major);
    const { ids: rawIds, context: rawContext, ...kwargs } = params;
    let ids: number[];
    try {
      ids = parseIds(rawIds);
    } catch (error) {
      return json2HttpError(422, 'UnprocessableEntity', error instanceof Error ? error.message : String(error));
    }
    if (!records && ids.length > 0) return json2HttpError(422, 'UnprocessableEntity', `cannot call ${model}.${name} with ids`);
    const env: Env = { uid: user.uid, su: false, user, context: isRecord(rawContext) ? rawContext : {} };
    const result = runMethod(ctx.database, env, { model, method: name, ids, args: [], kwargs, transport: 'json2' }, ctx.major);
    return json(200, result.value);
  } catch (error) {
    if (error instanceof SignatureError) return json2HttpError(422, 'UnprocessableEntity', error.message);
    if (error instanceof NotFoundError) return json2HttpError(404, 'NotFound', error.json2Message);
    if (error instanceof OdooSimError) return json2OdooError(error);
    throw error;
  }
}
