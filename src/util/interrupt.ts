/**
 * Ctrl-C (SIGINT) and SIGTERM. Whatever is half-written on disk must go before the process ends:
 * staged output folders, the browser's throw-away profile. Each owner registers a cleanup while
 * its work is under way; on the first signal every registered cleanup runs, then the process
 * exits with 130.
 */
export type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let hooked = false;
let interrupted = false;

/** Runs `cleanup` if the process is interrupted before the returned function is called. */
export function onInterrupt(cleanup: Cleanup): () => void {
  hook();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * True once a signal has arrived. Work still in flight then fails as its files disappear; those
 * failures are expected, and the caller must leave the exit to the interrupt handler.
 */
export const isInterrupted = (): boolean => interrupted;

function hook(): void {
  if (hooked) return;
  hooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void interrupt());
}

async function interrupt(): Promise<void> {
  if (interrupted) return;
  interrupted = true;
  // A stream or request that fails because its folder was just removed must not print a stack
  // over the one line below, nor end the process before the cleanups have finished.
  process.on('uncaughtException', ignore);
  process.on('unhandledRejection', ignore);
  const results = await Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const f of failed) process.stderr.write(`auditpack: interrupted, and could not clean up: ${f.reason instanceof Error ? f.reason.message : String(f.reason)}\n`);
  if (!failed.length) process.stderr.write('auditpack: interrupted; nothing was written\n');
  process.exit(130);
}

function ignore(): void {}
