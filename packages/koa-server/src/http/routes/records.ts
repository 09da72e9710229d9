/**
 * The read API of synced records.
 * @module
 */
import { type RecordQuery } from '@odoo-sync/core';
import { BUILT_IN_ENTITIES, type EntityDefinition } from '@odoo-sync/core/entities';
import { NotFoundError } from '@odoo-sync/core/errors';
import { defineRoute, type AnyRoute, type RouteDeps } from '../route.js';
import { recordParamsSchema, recordSchema, recordsPageSchema, recordsQuerySchema } from '../schemas.js';

const RESERVED = new Set(['q', 'include', 'limit', 'cursor']);

/**
 * `GET /api/<path>` and `GET /api/<path>/:odooId` for each entity whose definition has a
 * `route` (the built-in accounts, contacts, opportunities, invoices and employees, and any
 * entity defined with `route: { path }`), with the filters and search keys it declares.
 */
export function recordRoutes(deps: Pick<RouteDeps, 'store'>, definitions: readonly EntityDefinition[] = BUILT_IN_ENTITIES): AnyRoute[] {
  return definitions.flatMap((spec) => {
    if (!spec.route) return [];
    const { path } = spec.route;
    const entity = spec.name;
    const filterNames = Object.keys(spec.filters);
    return [
      defineRoute({
        method: 'GET',
        path: `/api/${path}`,
        operationId: `list_${path}`,
        summary: `${spec.label} synced from Odoo (${spec.model}).`,
        description:
          `Ordered by Odoo id. Active records only unless \`include=inactive\`; inactive ones carry \`inactiveReason\` (\`archived\` or \`deleted\`).` +
          (filterNames.length ? ` Filters: ${filterNames.map((n) => `\`${n}\``).join(', ')}.` : ''),
        tag: 'records',
        access: 'user',
        query: recordsQuerySchema(spec),
        responses: { 200: { description: 'A page of records.', schema: recordsPageSchema(spec) } },
        async handle(ctx, { query }) {
          const input = query as Record<string, string | number | undefined>;
          const where: Record<string, string | number> = {};
          for (const [name, value] of Object.entries(input)) {
            if (RESERVED.has(name) || value === undefined) continue;
            const dataPath = spec.filters[name];
            if (dataPath) where[dataPath] = value;
          }
          const recordQuery: RecordQuery = {
            includeInactive: input['include'] === 'inactive',
            where: where,
            ...(typeof input['q'] === 'string' ? { search: { text: input['q'], keys: spec.searchKeys } } : {}),
            ...(typeof input['limit'] === 'number' ? { limit: input['limit'] } : {}),
            ...(typeof input['cursor'] === 'string' ? { cursor: input['cursor'] } : {}),
          };
          const page = await deps.store.queryRecords(entity, recordQuery);
          ctx.body = { items: page.items.map(({ hash: _hash, ...record }) => record), nextCursor: page.nextCursor };
        },
      }),
      defineRoute({
        method: 'GET',
        path: `/api/${path}/:odooId`,
        operationId: `get_${entity}`,
        summary: `One ${spec.label.toLowerCase().replace(/s$/, '').replace(/ie$/, 'y')} by Odoo id (active or not).`,
        tag: 'records',
        access: 'user',
        params: recordParamsSchema,
        responses: { 200: { description: 'The record.', schema: recordSchema(spec) } },
        async handle(ctx, { params }) {
          const record = await deps.store.getRecord(entity, params.odooId);
          if (!record) throw new NotFoundError(`No ${entity} with Odoo id ${params.odooId} has been synced.`);
          const { hash: _hash, ...rest } = record;
          ctx.body = rest;
        },
      }),
    ];
  });
}
