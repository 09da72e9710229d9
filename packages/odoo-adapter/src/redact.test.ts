import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './redact.js';

describe('createRedactor', () => {
  it('replaces secrets in plain, URL-encoded, XML-escaped and JSON-escaped forms', () => {
    const secret = 'p@ss&<wo"rd>';
    const redact = createRedactor([secret, undefined, '']);
    const text = [secret, encodeURIComponent(secret), 'p@ss&amp;&lt;wo"rd&gt;', JSON.stringify(secret)].join(' | ');
    expect(redact(text)).not.toContain('p@ss');
    expect(redact(text)).toContain(REDACTED);
  });

  it('leaves text alone when there is no secret', () => {
    expect(createRedactor([])('hello')).toBe('hello');
  });
});
