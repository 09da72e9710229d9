import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '@odoo-sync/core/errors';
import { resolveClientOptions } from './options.js';

const valid = { url: 'https://odoo.example.com/', db: 'acme', username: 'sync@acme.com', apiKey: 'k3y-s3cret' };

describe('resolveClientOptions', () => {
  it('applies the defaults and trims the trailing slash', () => {
    const resolved = resolveClientOptions(valid);
    expect(resolved).toMatchObject({ baseUrl: 'https://odoo.example.com', protocol: 'auto', timeoutMs: 60_000, retries: 3 });
  });

  it("sends through the client's own node:http exchange unless a fetch is given or NODE_USE_ENV_PROXY=1 asks for proxies", () => {
    const fetch = async () => new Response('');
    expect(resolveClientOptions(valid).fetch).toBeUndefined();
    expect(resolveClientOptions({ ...valid, fetch }).fetch).toBe(fetch);
    vi.stubEnv('NODE_USE_ENV_PROXY', '1');
    try {
      expect(resolveClientOptions(valid).fetch).toBe(globalThis.fetch);
      expect(resolveClientOptions({ ...valid, fetch }).fetch).toBe(fetch);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('keeps a path prefix', () => {
    expect(resolveClientOptions({ ...valid, url: 'https://example.com/odoo/' }).baseUrl).toBe('https://example.com/odoo');
  });

  it('reports every problem at once, as a ConfigError with issues', () => {
    let error: unknown;
    try {
      resolveClientOptions({ url: 'ftp://x', db: '', username: 'u', apiKey: undefined, protocol: 'soap' as never, timeoutMs: 0, retries: -1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const config = error as ConfigError;
    expect(config.code).toBe('config_invalid');
    expect(config.issues.map((issue) => issue.path).sort()).toEqual(['apiKey', 'db', 'protocol', 'retries', 'timeoutMs', 'url']);
  });

  it('requires an API key for JSON-2, and allows a password for XML-RPC', () => {
    expect(() => resolveClientOptions({ ...valid, apiKey: undefined, password: 'pw', protocol: 'json2' })).toThrow(ConfigError);
    expect(resolveClientOptions({ ...valid, apiKey: undefined, password: 'pw', protocol: 'xmlrpc' }).password).toBe('pw');
  });

  it('refuses credentials in the URL without echoing them', () => {
    let error: unknown;
    try {
      resolveClientOptions({ ...valid, url: 'https://admin:hunter22@odoo.example.com' });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).issues).toEqual([{ path: 'url', message: expect.stringContaining('credentials') }]);
    expect(JSON.stringify(error)).not.toContain('hunter22');
    expect((error as Error).message).not.toContain('hunter22');
  });

  it('never quotes a secret of the wrong type', () => {
    let error: unknown;
    try {
      resolveClientOptions({ ...valid, apiKey: 12345678 as never });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error).message).not.toContain('12345678');
  });
});
