/**
 * A small seeded pseudo-random generator (mulberry32): the data generator and the simulated
 * API keys draw from it, so the same seed always gives the same data. No `Math.random`.
 * @module
 */

/**
 * Seeded random source. `next()` is uniform in [0, 1); the helpers build on it.
 *
 * @example
 * ```ts
 * const random = new SeededRandom(42);
 * random.int(1, 6); // the same sequence for seed 42, every time
 * ```
 */
export class SeededRandom {
  #state: number;

  /** @param seed any integer; the same seed gives the same sequence. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new TypeError('SeededRandom needs a finite numeric seed.');
    this.#state = Math.trunc(seed) >>> 0;
  }

  /** The next number, uniform in [0, 1) (mulberry32). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty list.');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One element, chosen by weight (`[value, weight]` pairs, weights > 0). */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    const last = choices[choices.length - 1];
    if (!last) throw new RangeError('weighted() needs at least one choice.');
    return last[0];
  }

  /** `length` lowercase hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** A new generator seeded from this one: lets parts of a dataset vary independently. */
  fork(salt: number): SeededRandom {
    return new SeededRandom((Math.floor(this.next() * 4294967296) ^ Math.imul(salt, 0x9e3779b1)) >>> 0);
  }
}
