import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const INDEX = resolve(import.meta.dirname, '../src/index.ts');

/** Every name `src/index.ts` exports, values and types, read from its `export { … }` lines. */
function declaredNames(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/^export (?:type )?\{([^}]*)\}/gm)) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (name) names.push(name);
    }
  }
  return names.sort();
}

describe("koa-server's public surface", () => {
  it('exports these values at runtime, and no others (growing the surface is a decision: update this list)', async () => {
    const exported = Object.keys(await import('../src/index.js')).sort();
    expect(exported).toEqual(
      ['answerClientErrors', 'apiKeyAuthenticator', 'createApp', 'createLogger', 'formatConfigError', 'issueApiKey', 'loadConfig', 'runCli', 'Secret', 'SessionManager', 'startServer'].sort(),
    );
  });

  it('names every export explicitly (no `export *`), 20 names at most with the types', () => {
    const source = readFileSync(INDEX, 'utf8');
    expect(source).not.toMatch(/^export \*/m);
    const names = declaredNames(source);
    expect(names).toEqual(
      [
        'AppConfig',
        'Authenticator',
        'CreateAppOptions',
        'OdooSyncApp',
        'RunningServer',
        'ServerConfig',
        'ServerLogger',
        'SignInOptions',
        'StartServerOptions',
        'answerClientErrors',
        'createApp',
        'createLogger',
        'formatConfigError',
        'loadConfig',
        'runCli',
        'Secret',
        'startServer',
        'SessionManager',
        'apiKeyAuthenticator',
        'issueApiKey',
      ].sort(),
    );
    expect(names.length).toBeLessThanOrEqual(20);
  });
});
