import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('reads every option', () => {
    expect(
      parseCliArgs(['--port', '8069', '--host', '0.0.0.0', '--db', 'demo', '--seed', '7', '--version', '19.0', '--partners', '1000', '--companies', '100', '--opportunities', '500', '--invoices', '500', '--employees', '50', '--users', '40', '--stages', '5']),
    ).toEqual({
      kind: 'run',
      options: {
        host: '0.0.0.0',
        port: 8069,
        db: 'demo',
        seed: 7,
        version: '19.0',
        counts: { partners: 1000, companies: 100, opportunities: 500, invoices: 500, employees: 50, users: 40, stages: 5 },
      },
    });
  });

  it('defaults to 127.0.0.1:8069', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', options: { host: '127.0.0.1', port: 8069 } });
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('turns bad arguments into one clear message', () => {
    const cases: [string[], RegExp][] = [
      [['--port', 'http'], /--port must be a whole number/],
      [['--port', '70000'], /--port must be between 0 and 65535/],
      [['--partners=-5'], /--partners must be a whole number/],
      [['--partners', '-5'], /--partners/],
      [['--partners', '10', '--companies', '20'], /--companies \(20\) cannot exceed --partners \(10\)/],
      [['--stages', '1'], /--stages must be between 2/],
      [['--version', 'latest'], /Invalid Odoo version "latest"/],
      [['--db', ' '], /--db must not be empty/],
      [['--colour'], /Unknown option '--colour'/],
      [['extra'], /Unexpected argument 'extra'/],
      [['--port'], /--port/],
    ];
    for (const [argv, pattern] of cases) {
      const parsed = parseCliArgs(argv);
      expect(parsed.kind, argv.join(' ')).toBe('error');
      if (parsed.kind === 'error') {
        expect(parsed.message).toMatch(pattern);
        expect(parsed.message).not.toContain('\n');
      }
    }
  });
});
