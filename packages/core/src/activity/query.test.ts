import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../paging.js';
import { checkActivityFilter, checkActivityQuery } from './query.js';

describe('checkActivityQuery', () => {
  it('normalises: one type becomes a list, duplicates go, title text is trimmed and folded', () => {
    expect(checkActivityFilter({ activityType: 'call' }).types).toEqual(['call']);
    expect(checkActivityFilter({ activityType: ['call', 'call', 'note'] }).types).toEqual(['call', 'note']);
    expect(checkActivityFilter({ titleContains: '  ÄRGER Müller ' }).titleContains).toBe('ärger müller');
    expect(checkActivityQuery({})).toMatchObject({ limit: 50, after: null, types: null, source: null });
    const cursor = encodeCursor(['2026-01-01T00:00:00.000Z', 'x']);
    expect(checkActivityQuery({ cursor }).after).toEqual(['2026-01-01T00:00:00.000Z', 'x']);
  });

  it('lists every problem in one input_invalid error', () => {
    let error: unknown;
    try {
      checkActivityQuery({ activityType: [''], entityId: '', source: 'crm' as never, from: new Date(Number.NaN), titleContains: 'x'.repeat(201) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'input_invalid' });
    expect((error as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path)).toEqual(['activityType', 'entityId', 'source', 'titleContains', 'from']);
    expect(() => checkActivityQuery({ limit: 201 })).toThrow(expect.objectContaining({ code: 'input_invalid' }));
    expect(() => checkActivityQuery({ limit: 2.5 })).toThrow(expect.objectContaining({ code: 'input_invalid' }));
    expect(() => checkActivityQuery({ cursor: encodeCursor(['yesterday', 'x']) })).toThrow(expect.objectContaining({ code: 'input_invalid' }));
    expect(() => checkActivityQuery({ activityType: Array.from({ length: 51 }, (_, i) => `t${i}`) })).toThrow(expect.objectContaining({ code: 'input_invalid' }));
  });
});
