/**
 * The OpenAPI 3.1 document, generated from the same route list and zod schemas that validate
 * requests (zod 4's `z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1 uses).
 * @module
 */
import { z } from 'zod';
import type { AnyRoute } from './route.js';
import { errorBodySchema } from './schemas.js';

type Json = { [key: string]: unknown };

/** A JSON Schema of `schema` without the `$schema` line (OpenAPI 3.1 dialect is 2020-12). */
export function toJsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete json['$schema'];
  return json;
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'query' | 'path'): Json[] {
  if (!schema) return [];
  const json = toJsonSchema(schema, 'input');
  const properties = (json['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((json['required'] ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Malformed JSON.',
  '401': 'No valid credentials (`unauthenticated`).',
  '403': 'Not approved, or lacks the role (`forbidden`).',
  '404': 'Not found.',
  '409': 'Conflict (e.g. `sync_in_progress`).',
  '413': 'Body too large (`payload_too_large`).',
  '415': 'Body is not JSON (`unsupported_media_type`).',
  '422': 'Invalid input (`input_invalid`); `details.issues` names each problem.',
  '500': 'Server error.',
  '502': 'Odoo failed (`odoo_*`).',
  '503': 'Store unavailable.',
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  health: 'Liveness, readiness, metrics.',
  sync: 'Sync status, runs, logs, settings, webhook.',
  records: 'Synced data.',
  docs: 'This document.',
  dashboard: 'The browser dashboard.',
  admin: 'User administration.',
  auth: 'Sign-in and the signed-in user.',
  activities: 'The activity timeline: what people did, through odoo-sync and in Odoo.',
};

/** Options of {@link buildOpenApiDocument}. */
export interface OpenApiOptions {
  /** API version. */
  version: string;
  /** Document title. @default 'odoo-sync' */
  title?: string;
}

/** Builds the OpenAPI 3.1 document of `routes`. */
export function buildOpenApiDocument(routes: readonly AnyRoute[], options: OpenApiOptions): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  for (const route of routes) {
    const responses: Record<string, Json> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const content = response.schema
        ? { 'application/json': { schema: toJsonSchema(response.schema, 'output') } }
        : response.contentType
          ? { [response.contentType]: { schema: { type: 'string' } } }
          : undefined;
      responses[status] = { description: response.description, ...(content ? { content } : {}) };
    }
    const errors: string[] = ['500'];
    if (route.access === 'user' || route.access === 'admin') errors.push('401', '403');
    if (route.query || route.params || route.body) errors.push('422');
    if (route.body) errors.push('400', '413', '415');
    if (route.access === 'webhook') errors.push('404', '502');
    if (route.operationId === 'startSyncRun') errors.push('409');
    if (route.params && route.tag === 'records') errors.push('404');
    for (const status of errors) {
      if (!responses[status]) responses[status] = { description: ERROR_RESPONSES[status] ?? 'Error.', content: errorContent };
    }
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      security: route.access === 'user' || route.access === 'admin' ? [{ apiKey: [] }] : [],
      ...(route.access === 'admin' ? { 'x-required-role': 'admin' } : {}),
      ...(route.needsOdooLink === true ? { 'x-requires-odoo-link': true } : {}),
      // What the route records in the activity timeline (types and mode), or why nothing.
      ...(route.activity ? { 'x-activity': 'types' in route.activity ? { types: [...route.activity.types], mode: route.activity.mode } : { none: route.activity.none } } : {}),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      responses,
    };
    if (route.body) {
      operation['requestBody'] = {
        required: route.bodyRequired ?? true,
        content: { 'application/json': { schema: toJsonSchema(route.body, 'input') } },
      };
    }
    const path = openApiPath(route.path);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'odoo-sync',
      version: options.version,
      description: 'Sync status, control and the read API of the data odoo-sync keeps in step with Odoo.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An odoo-sync API key (`odoo-sync apikey create`).' },
      },
      schemas: { Error: toJsonSchema(errorBodySchema, 'output') },
    },
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({
      name,
      ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
    })),
    paths,
  };
}
