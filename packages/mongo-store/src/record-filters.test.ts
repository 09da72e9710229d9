import { describe, expect, it } from 'vitest';
import { assertWhere, caseInsensitivePattern, escapeRegex, matchesRecordQuery, recordFilter } from './record-filters.js';

describe('recordFilter', () => {
  it('pages after an odooId, active only by default, with where values as $eq', () => {
    expect(recordFilter({}, 0)).toEqual({ $and: [{ odooId: { $gt: 0 } }, { isActive: true }] });
    expect(recordFilter({ includeInactive: true }, 5)).toEqual({ odooId: { $gt: 5 } });
    expect(recordFilter({ includeInactive: true, where: { 'userId.id': 7, state: null } }, 0)).toEqual({
      $and: [{ odooId: { $gt: 0 } }, { 'data.userId.id': { $eq: 7 } }, { 'data.state': { $eq: null } }],
    });
  });

  it('searches with an escaped case-insensitive regex, or leaves odd keys to the exact check', () => {
    expect(recordFilter({ includeInactive: true, search: { text: ' A.b* ', keys: ['name', 'email'] } }, 0)).toEqual({
      $and: [
        { odooId: { $gt: 0 } },
        { $or: [{ 'data.name': { $regex: 'a\\.b\\*', $options: 'i' } }, { 'data.email': { $regex: 'a\\.b\\*', $options: 'i' } }] },
      ],
    });
    expect(recordFilter({ includeInactive: true, search: { text: 'x', keys: ['$where'] } }, 0)).toEqual({ odooId: { $gt: 0 } });
  });

  it('spells out both cases of non-ASCII letters', () => {
    expect(caseInsensitivePattern('müller.')).toBe('m[üÜ]ller\\.');
    expect(new RegExp(caseInsensitivePattern('zoë'), 'i').test('ZOË ÅNGSTRÖM')).toBe(true);
  });

  it('escapes every regex metacharacter', () => {
    const text = '.*+?^${}()|[]\\';
    expect(new RegExp(escapeRegex(text)).test(`x${text}y`)).toBe(true);
  });
});

describe('matchesRecordQuery', () => {
  it('compares like MemoryStore: missing is null, arrays never equal a scalar', () => {
    expect(matchesRecordQuery({ parentId: null }, { where: { 'parentId.id': null } })).toBe(true);
    expect(matchesRecordQuery({ tags: [5, 6] }, { where: { tags: 5 } })).toBe(false);
    expect(matchesRecordQuery({ state: 'won' }, { where: { state: 'won' } })).toBe(true);
  });

  it('searches strings only, case-insensitively', () => {
    const query = { search: { text: 'SOUZA', keys: ['name', 'tags'] } };
    expect(matchesRecordQuery({ name: 'Ana Souza' }, query)).toBe(true);
    expect(matchesRecordQuery({ name: null, tags: ['souza'] }, query)).toBe(false);
  });
});

describe('assertWhere', () => {
  it('rejects paths that are not dotted identifiers and values that are not scalars', () => {
    expect(() => assertWhere({ 'a..b': 1 })).toThrow(expect.objectContaining({ code: 'input_invalid' }));
    expect(() => assertWhere({ city: { $ne: null } as never })).toThrow(expect.objectContaining({ code: 'input_invalid' }));
    expect(() => assertWhere({ 'userId.id': 7, active: true, name: 'x', gone: null })).not.toThrow();
  });
});
