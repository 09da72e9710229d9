import { describe, expect, it } from 'vitest';
import { serializeMethodCall } from 'xmlrpc/lib/serializer.js';
import { parseMethodResponseFast } from '../src/xmlrpc-fast.js';
import { parseXmlRpcResponse } from '../src/xmlrpc-transport.js';
import { startSim } from './helpers.js';

describe('fast XML-RPC reader against odoo-sim answers', () => {
  it.each(['res.partner', 'crm.lead', 'account.move', 'hr.employee', 'res.users'])('reads %s rows exactly as the xmlrpc package does', async (model) => {
    const sim = await startSim({ counts: { partners: 60, opportunities: 30, invoices: 30, employees: 20, users: 10 } });
    const body = serializeMethodCall('execute_kw', [sim.db, sim.credentials.uid, sim.credentials.apiKey, model, 'search_read', [[]], { context: { active_test: false } }]);
    const answer = await fetch(`${sim.url}/xmlrpc/2/object`, { method: 'POST', body, headers: { 'Content-Type': 'text/xml' } });
    const xml = await answer.text();
    const fast = parseMethodResponseFast(xml);
    expect(fast).toBeDefined();
    expect(fast).toEqual(await parseXmlRpcResponse(xml));
    expect((fast as { ok: true; value: unknown[] }).value.length).toBeGreaterThan(0);
  });
});
