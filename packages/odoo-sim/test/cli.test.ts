import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const cli = join(import.meta.dirname, '../src/cli.ts');
const children = new Set<ChildProcess>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
});

function run(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('odoo-sim CLI', () => {
  it('serves, prints how to connect, and stops on SIGTERM', async () => {
    const proc = run(['--port', '0', '--seed', '3', '--partners', '40', '--users', '5', '--employees', '4', '--version', '19.0']);
    const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(proc.stdout())?.[1]);
    await waitFor(() => (proc.stdout().includes('api key') ? true : undefined));
    expect(proc.stdout()).toMatch(/database\s+odoo/);
    expect(proc.stdout()).toMatch(/login\s+admin/);
    const apiKey = /api key\s+([0-9a-f]{40})/.exec(proc.stdout())?.[1];
    expect(apiKey).toBeDefined();
    expect(await (await fetch(`${url}/web/version`)).json()).toMatchObject({ version: '19.0' });
    const res = await fetch(`${url}/json/2/res.users/search_count`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `bearer ${apiKey}` },
      body: JSON.stringify({ domain: [['share', '=', false]], context: { active_test: false } }),
    });
    expect(res.status).toBe(200);
    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('exits 2 with one clear line for bad arguments', async () => {
    const proc = run(['--partners', 'lots']);
    expect(await proc.exit).toBe(2);
    expect(proc.stderr().trim().split('\n')).toHaveLength(1);
    expect(proc.stderr()).toMatch(/^odoo-sim: --partners must be a whole number, got "lots"/);
  });
});
