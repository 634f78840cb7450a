/** AWS's rate limit, as the fake applies it: so many requests a second, with a burst allowance. */
export interface RateLimit {
  /** Requests a second refilled into each bucket. */
  rate: number;
  /** What a bucket holds when full: requests that may arrive at once after a quiet spell. */
  burst: number;
}

/**
 * Token buckets, one per key (the fake keys them by service, operation, account and Region,
 * as AWS rate-limits each API per account and Region). A request takes a token; when its
 * bucket is empty it is throttled.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  take(key: string): boolean {
    const now = performance.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens--;
    return true;
  }
}
