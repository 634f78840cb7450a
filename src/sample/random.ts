/**
 * The sample's only source of chance. Everything derives from the user's seed so the same
 * options give a byte-identical pack on every machine and Node version.
 */

/** mulberry32: tiny and fast, and plenty random enough to make a fictional estate look lived in. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** Lowercase hex, as in EC2 ids and load balancer suffixes. */
  hex(length: number): string {
    return this.chars('0123456789abcdef', length);
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
}

export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** murmur3's finaliser: spreads every input bit over the whole word. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-bit hash of a few integers, for decisions that must not depend on generation order. */
export function hash32(a: number, b: number, c = 0): number {
  return fmix(Math.imul(fmix(Math.imul(a, 0x9e3779b1) ^ b), 0x85ebca6b) ^ c);
}

/** hash32 scaled to [0, 1). */
export function unit(a: number, b: number, c = 0): number {
  return hash32(a, b, c) / 4294967296;
}

/**
 * A stream of its own for each part of the sample (accounts, one account's resources, the
 * training register...), so that changing how one part is made leaves the others unchanged.
 */
export function streamFor(seed: number, label: string): Random {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return new Random(hash32(seedWord(seed), h >>> 0));
}

/** Folds the high bits of a large seed in too, so seeds 1 and 2^32 + 1 differ. */
export function seedWord(seed: number): number {
  return hash32(seed >>> 0, Math.floor(seed / 4294967296) >>> 0);
}
