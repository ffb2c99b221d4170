// The simulator's reproducible pseudo-random numbers: one generator (mulberry32) for fault noise, sample
// sites and seeded data, from a number or from a text key.

/** mulberry32: small, fast, good enough for reproducible test noise. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `seededRandom` from an FNV-1a hash of `key`: the same key, the same numbers. */
export function keyedRandom(key: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return seededRandom(h);
}
