/**
 * Routes as data: method, path, access rule, the zod schemas of their input and output, and a
 * handler. The app registers them with @koa/router and the OpenAPI document is built from the
 * same list.
 * @module
 */
import type { Clock, SyncStore } from '@odoo-sync/core';
import type { ActivityLogger } from '@odoo-sync/core/activity';
import type { z } from 'zod';
import type { Access, Authenticator } from '../auth/authenticate.js';
import type { ServerLogger } from '../runtime/logger.js';
import type { ServerMetrics } from '../runtime/metrics.js';
import type { OdooWriter, RecordReconciler, SyncControl } from './ports.js';
import type { Secret } from '../secret.js';
import type { WebhookQueue } from '../runtime/webhook-queue.js';
import type { RequestContext } from './state.js';

/**
 * Everything the app hands its route groups; each group takes only the members it uses
 * (`Pick<RouteDeps, …>`).
 */
export interface RouteDeps {
  store: SyncStore;
  scheduler: SyncControl;
  reconciler: RecordReconciler;
  logger: ServerLogger;
  clock: Clock;
  metrics: ServerMetrics;
  webhookSecret: Secret | null;
  bodyLimitBytes: number;
  authenticators: readonly Authenticator[];
  isShuttingDown: () => boolean;
  /** Mutable facts the app keeps between requests. */
  state: AppState;
  /** Where webhooks wait to be read. */
  webhooks: WebhookQueue;
  /** Records the activity timeline (the activity middleware writes what handlers note). */
  activities: ActivityLogger;
  /** Odoo, to write through (the CRM routes), or `null` when the app has none. */
  odoo: OdooWriter | null;
}

/** Mutable facts the app keeps between requests. */
export interface AppState {
  /** ISO-8601 time of the last webhook that reached Odoo successfully, or `null`. */
  lastWebhookAt: string | null;
}

/** One documented answer of a route. */
export interface RouteResponse {
  /** What it means. */
  description: string;
  /** Body schema (JSON), when there is one. */
  schema?: z.ZodType;
  /** Content type when not JSON. */
  contentType?: string;
}

/** The validated input of a handler. */
export interface RouteInput<Q, P, B> {
  query: Q;
  params: P;
  body: B;
}

/** A route. `access: 'webhook'` means the secret in the path is the credential. */
export interface RouteSpec<Q = unknown, P = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Koa-style path, e.g. `/api/sync/webhook/:secret`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** OpenAPI tag (`health`, `sync`, `records`, `docs`, `dashboard`, `admin`, `auth`, or another). */
  tag: 'health' | 'sync' | 'records' | 'docs' | 'dashboard' | 'admin' | 'auth' | (string & {});
  access: Access | 'webhook';
  /**
   * Whether the caller must be linked to an Odoo user (routes that write to Odoo on the
   * caller's behalf). The app refuses unlinked callers with 403 `forbidden`, saying how to link,
   * before the body is read; OpenAPI marks the operation `x-requires-odoo-link`.
   */
  needsOdooLink?: boolean;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  /** Whether a body is required (otherwise an empty body validates as `{}`). @default true when `body` is set */
  bodyRequired?: boolean;
  /** The success answers (errors are added to the document automatically). */
  responses: Record<number, RouteResponse>;
  /**
   * What the route records in the activity timeline. Every state-changing route (POST, PUT,
   * PATCH, DELETE) declares it — the activities it may record, or why it records none — and a
   * test walks the table to make sure. The handler notes the activities themselves with
   * `noteActivity(ctx, event)`; the app's activity middleware writes them once the handler has
   * succeeded: `durable` ones before the answer is sent, `queued` ones through the logger's
   * bounded queue. A noted type the route did not declare is a programming error.
   */
  activity?: RouteActivity;
  handle(ctx: RequestContext, input: RouteInput<Q, P, B>): Promise<void>;
}

/** What a route records in the activity timeline (see {@link RouteSpec.activity}). */
export type RouteActivity =
  | {
      /** The activity types the route may record. */
      readonly types: readonly [string, ...string[]];
      /**
       * `durable`: stored before the answer is sent (CRM writes, user actions); `queued`: batched
       * through a bounded queue, never delaying the answer (high-volume reads such as 360 views).
       */
      readonly mode: 'durable' | 'queued';
    }
  | {
      /** Why the route records nothing (e.g. `the sync log records webhook-started runs`). */
      readonly none: string;
    };

/** A route of any input types, as the app stores them. */
export type AnyRoute = RouteSpec<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Declares a route, inferring the handler's input types from its schemas. */
export function defineRoute<Q = undefined, P = undefined, B = undefined>(spec: RouteSpec<Q, P, B>): AnyRoute {
  return spec as AnyRoute;
}
