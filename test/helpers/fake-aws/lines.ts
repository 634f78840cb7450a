import { createReadStream, openSync, readSync } from 'node:fs';
import type { Sequence } from './store';

const NEWLINE = 0x0a;

/**
 * Calls `line` for every line of a file with the byte offset and length it has in the file,
 * which is what lets a record be read back later without holding it in memory meanwhile.
 */
export async function scanLines(file: string, line: (text: string, offset: number, length: number) => void): Promise<void> {
  let carry: Buffer = Buffer.alloc(0);
  let base = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      line(buf.toString('utf8', start, nl), base + start, nl - start);
      start = nl + 1;
    }
    carry = buf.subarray(start);
    base += start;
  }
  if (carry.length) line(carry.toString('utf8'), base, carry.length);
}

/** Where some lines of a file are: two flat arrays, far smaller than the records they point at. */
export class LineRefs {
  readonly offsets: number[] = [];
  readonly lengths: number[] = [];

  add(offset: number, length: number): void {
    this.offsets.push(offset);
    this.lengths.push(length);
  }

  get length(): number {
    return this.offsets.length;
  }
}

/** A file whose lines are read back by position; neighbouring lines come in one read. */
export class LineFile {
  private readonly fd: number;

  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }

  read(refs: LineRefs, start: number, end: number): string[] {
    const out: string[] = [];
    let i = start;
    while (i < end) {
      let j = i + 1;
      while (j < end && refs.offsets[j] === refs.offsets[j - 1] + refs.lengths[j - 1] + 1) j++;
      const from = refs.offsets[i];
      const buf = Buffer.alloc(refs.offsets[j - 1] + refs.lengths[j - 1] - from);
      readSync(this.fd, buf, 0, buf.length, from);
      out.push(...buf.toString('utf8').split('\n'));
      i = j;
    }
    return out;
  }

  /** The lines at `refs` as JSON records, parsed only when a page needs them. */
  records<T>(refs: LineRefs): Sequence<T> {
    return { length: refs.length, slice: (start, end) => this.read(refs, start, Math.min(end, refs.length)).map((l) => JSON.parse(l) as T) };
  }
}
