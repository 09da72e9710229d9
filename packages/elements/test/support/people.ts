/**
 * People and API calls for the page components' browser tests: users made in the server's
 * store (as a sign-in would make them), an API key for one, and what the API says about them.
 */
import { randomUUID } from 'node:crypto';
import { systemClock } from '@odoo-sync/core';
import { issueApiKey } from '@odoo-sync/koa-server';
import type { Page } from 'playwright-core';
import type { Stack } from './stack.js';

/** An Odoo employee as `GET /api/employees` answers. */
export interface EmployeeRow {
  odooId: number;
  data: { name: string; workEmail: string | null; userId: { id: number; name: string } | null; jobTitle: string | null };
}

/** Calls the API with a key; JSON in and out. */
export async function api<T = any>(stack: Stack, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

/** The synced employees (active ones), by Odoo id. */
export async function employees(stack: Stack): Promise<EmployeeRow[]> {
  return (await api<{ items: EmployeeRow[] }>(stack, stack.adminKey, 'GET', '/api/employees?limit=200')).json.items;
}

/** A person in the store, with the status given; returns the user id. */
export async function addPerson(stack: Stack, person: { email: string; name: string; status?: 'pending' | 'approved' | 'rejected'; role?: 'admin' | 'user' }): Promise<string> {
  const user = await stack.server.store.createUser(
    { id: randomUUID(), email: person.email, name: person.name, role: person.role ?? 'user', status: person.status ?? 'approved' },
    new Date(),
  );
  return user.id;
}

/** A person in the store and an API key that acts as them. */
export async function personWithKey(stack: Stack, person: { email: string; name: string }): Promise<{ id: string; key: string }> {
  const id = await addPerson(stack, person);
  const issued = await issueApiKey(stack.server.store, { email: person.email, role: 'user', clock: systemClock });
  return { id, key: issued.key };
}

/** The id (or text, when it has none) of the element focused inside `host`'s shadow root. */
export async function focusedIn(page: Page, host: string): Promise<string | null> {
  return page.evaluate((tag) => {
    const active = document.querySelector(tag)?.shadowRoot?.activeElement as HTMLElement | null | undefined;
    if (!active) return null;
    return active.id || active.textContent?.trim() || active.tagName;
  }, host);
}
