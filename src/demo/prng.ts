/**
 * Seeded randomness for the demo generator. Everything random in the demo comes from here so
 * that one seed always yields the same bytes; Math.random and the clock are never used.
 */

/** FNV-1a over UTF-16 code units: a stable 32-bit hash of a label. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32 seeded from the demo seed and a stream label, so independent parts of the demo
 * (names, dates, noise) do not shift when another part draws more numbers.
 */
export function createPrng(seed: number, stream: string): Prng {
  let state = hash32(`${seed}|${stream}`) || 1;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('createPrng.pick: empty list');
      return item;
    },
  };
}

/**
 * Adds integer noise in [-amplitude, amplitude] to every value, in place, from a xorshift32
 * stream: cheap enough for tens of millions of pixels and bounded by construction.
 */
export function addBoundedNoise(values: Uint16Array, amplitude: number, seed: number, max: number): void {
  if (amplitude <= 0) return;
  const span = 2 * amplitude + 1;
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < values.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const delta = ((x >>> 0) % span) - amplitude;
    const v = (values[i] ?? 0) + delta;
    values[i] = v < 0 ? 0 : v > max ? max : v;
  }
}
