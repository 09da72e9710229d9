import { describe, expect, it } from 'vitest';
import { activityIdFactory } from './ids.js';

describe('activityIdFactory', () => {
  it('makes ids that sort as their times do, and strictly increase within a millisecond or when time steps back', () => {
    let seed = 0;
    const nextId = activityIdFactory((size) => Uint8Array.from({ length: size }, () => (seed = (seed * 31 + 17) % 256)));
    const t = Date.parse('2026-05-01T10:00:00.000Z');
    const ids = [nextId(t), nextId(t), nextId(t), nextId(t - 5000), nextId(t + 1), nextId(t + 86_400_000)];
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]?.slice(0, 10)).toBe(ids[2]?.slice(0, 10));
  });

  it('moves to the next millisecond when the random part overflows, so order holds', () => {
    const nextId = activityIdFactory((size) => new Uint8Array(size).fill(255));
    const a = nextId(1000);
    const b = nextId(1000);
    expect(a.slice(10)).toBe('ZZZZZZZZZZZZZZZZ');
    expect(b > a).toBe(true);
    expect(b.slice(10)).toBe('0000000000000000');
    expect(nextId(1000) > b).toBe(true);
  });
});
