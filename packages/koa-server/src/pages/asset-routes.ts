/**
 * The pages' static files under `/ui/`: the stylesheet, the pages' script and the components'
 * bundle, each with a strong ETag (a hash of its bytes) so browsers revalidate cheaply
 * (`304 Not Modified`).
 * @module
 */
import { createHash } from 'node:crypto';
import { HttpProblem } from '../http/errors.js';
import { defineRoute, type AnyRoute } from '../http/route.js';
import type { RequestContext } from '../http/state.js';
import { PAGES_CSS, PAGES_JS } from './assets.js';
import { ELEMENTS_BUNDLE_PATH, PAGES_CSS_PATH, PAGES_JS_PATH } from './shell.js';

/** Reads the components' browser bundle (its JavaScript), or `null` when it is not installed. */
export type BundleLoader = () => Promise<string | Uint8Array | null>;

/** A static file, hashed once. */
interface Asset {
  body: Buffer;
  etag: string;
}

function assetOf(content: string | Uint8Array): Asset {
  const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** Whether the request's `If-None-Match` names `etag`. */
export function matchesEtag(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function send(ctx: RequestContext, asset: Asset, type: string): void {
  ctx.set('ETag', asset.etag);
  // Revalidated on every use: a new version of the server shows at once, an unchanged file costs a 304.
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  if (matchesEtag(ctx.get('If-None-Match'), asset.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = type;
  ctx.body = asset.body;
}

/** `GET /ui/pages.css`, `GET /ui/pages.js`, `GET /ui/odoo-sync-elements.js`. */
export function assetRoutes(loadBundle: BundleLoader): AnyRoute[] {
  const css = assetOf(PAGES_CSS);
  const js = assetOf(PAGES_JS);
  let bundle: Promise<Asset | null> | null = null;
  const responses = (type: string) => ({ 200: { description: 'The file.', contentType: type }, 304: { description: 'Not modified (`If-None-Match`).' } });
  return [
    defineRoute({
      method: 'GET',
      path: PAGES_CSS_PATH,
      operationId: 'pagesStyle',
      summary: 'Stylesheet of the pages.',
      tag: 'pages',
      access: 'public',
      responses: responses('text/css; charset=utf-8'),
      async handle(ctx) {
        send(ctx, css, 'text/css; charset=utf-8');
      },
    }),
    defineRoute({
      method: 'GET',
      path: PAGES_JS_PATH,
      operationId: 'pagesScript',
      summary: 'Script of the pages (sign out, the "sign in again" banner).',
      tag: 'pages',
      access: 'public',
      responses: responses('text/javascript; charset=utf-8'),
      async handle(ctx) {
        send(ctx, js, 'text/javascript; charset=utf-8');
      },
    }),
    defineRoute({
      method: 'GET',
      path: ELEMENTS_BUNDLE_PATH,
      operationId: 'elementsBundle',
      summary: 'The components of @odoo-sync/elements as one browser module.',
      description: '404 `route_not_found` when the package `@odoo-sync/elements` is not installed beside the server.',
      tag: 'pages',
      access: 'public',
      responses: responses('text/javascript; charset=utf-8'),
      async handle(ctx) {
        bundle ??= loadBundle().then((content) => (content === null ? null : assetOf(content)));
        let asset: Asset | null;
        try {
          asset = await bundle;
        } catch (err) {
          bundle = null;
          throw err;
        }
        if (asset === null) {
          bundle = null;
          throw new HttpProblem('route_not_found', 'The components\' bundle is not installed on this server.', {
            hint: 'Install @odoo-sync/elements beside @odoo-sync/koa-server (it is a dependency of the server package).',
          });
        }
        send(ctx, asset, 'text/javascript; charset=utf-8');
      },
    }),
  ];
}
