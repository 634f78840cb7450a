/**
 * Bounded concurrency. AWS rate-limits each API per account and Region, and Config throttles
 * readily, so every call to one service in one account and Region queues on one limiter: at
 * most `concurrency` requests to it are in flight, whatever the number of rules waiting.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) this.active++;
    // The slot is handed over by the task that finishes, so `active` stays counted.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/** A request sent through a limiter. */
export type LimitedCall = <T>(send: () => Promise<T>) => Promise<T>;

/** One limiter per service, account and Region, made on first use. */
export class Limits {
  private readonly limiters = new Map<string, Limiter>();

  constructor(readonly concurrency: number) {}

  for(service: string, accountId: string, region: string): Limiter {
    const key = `${service}/${accountId}/${region}`;
    let limiter = this.limiters.get(key);
    if (!limiter) this.limiters.set(key, (limiter = new Limiter(this.concurrency)));
    return limiter;
  }
}

/**
 * Runs `work` over `items`, at most `concurrency` at a time, started in order. Workers take
 * the next item as they finish, so a list of a million items holds only `concurrency` promises.
 */
export async function forEachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
