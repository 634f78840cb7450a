import { fork, type ChildProcess } from 'node:child_process';
import type { OperationCount } from '../test/helpers/fake-aws/server';
import type { RateLimit } from '../test/helpers/fake-aws/throttle';
import { stageScript } from './layout';

export interface FakeServerSettings {
  pack: string;
  latency: { min: number; max: number };
  rateLimit: RateLimit;
  aggregator: { name: string; region: string };
}

export type FakeServerRequest = 'counts';
export type FakeServerMessage =
  | { kind: 'ready'; url: string; keys: { accessKeyId: string; secretAccessKey: string }; caller: string; indexSeconds: number; rssMB: number }
  | { kind: 'counts'; counts: OperationCount[] };

export interface FakeServer {
  url: string;
  keys: { accessKeyId: string; secretAccessKey: string };
  /** The account the caller's keys belong to (the estate's first). */
  caller: string;
  /** Seconds the server took to index the pack, and its memory then. */
  indexSeconds: number;
  rssMB: number;
  /** The calls it answered since the last time they were taken. */
  takeCounts(): Promise<OperationCount[]>;
  stop(): Promise<void>;
}

type Message<K extends FakeServerMessage['kind']> = Extract<FakeServerMessage, { kind: K }>;

/** The child's next message of one kind; its exit before that is an error. */
function next<K extends FakeServerMessage['kind']>(child: ChildProcess, kind: K): Promise<Message<K>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the fake AWS exited (${code}) before its ${kind} message`));
    child.once('exit', onExit);
    const onMessage = (m: FakeServerMessage) => {
      if (m.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as Message<K>);
    };
    child.on('message', onMessage);
  });
}

/** Starts the fake AWS for a pack in its own process (bench/stages/fake-aws.ts) and waits until it listens. */
export async function startFakeServer(settings: FakeServerSettings): Promise<FakeServer> {
  const child = fork(stageScript('fake-aws'), [JSON.stringify(settings)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { kind: _kind, ...ready } = await next(child, 'ready');
  return {
    ...ready,
    takeCounts: async () => {
      const answer = next(child, 'counts');
      child.send('counts' satisfies FakeServerRequest);
      return (await answer).counts;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
