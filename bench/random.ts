/**
 * A small seeded generator, so that every run of the benchmark builds the same logs
 * and the same KB: figures from two machines then describe the same input.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  hex(digits: number): string;
  guid(): string;
  chance(p: number): boolean;
}

export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const next = (): number => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const hex = (digits: number): string => {
    let out = '';
    for (let i = 0; i < digits; i++) out += '0123456789ABCDEF'[int(16)];
    return out;
  };
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => list[int(list.length)] as T,
    hex,
    guid: () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    chance: (p) => next() < p,
  };
}

/** A fixed permutation of 0..n-1, so that larger generated KBs contain the smaller ones. */
export function permutation(n: number, seed: number): number[] {
  const r = createRandom(seed);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}
