import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { CollectionGap } from '../evidence/manifest';

/**
 * What a person sees while collect runs: a progress bar on a terminal, one plain line per
 * finished piece of work otherwise (CI logs), nothing with --quiet. Work is counted in units
 * the collectors announce as they discover it (a Region, each rule), so the total grows.
 */
export interface Progress {
  /** More work was discovered. */
  expect(units: number): void;
  /** Units of work finished; `line` says what, when there is something worth a line. */
  done(units: number, line?: string): void;
  gap(gap: CollectionGap): void;
  stop(): void;
}

export function describeGap(g: CollectionGap): string {
  const where = [g.accountId, g.region].filter(Boolean).join(' ');
  return `${g.service} ${g.operation}${where ? ` ${where}` : ''}: ${g.errorCode}: ${g.message}`;
}

class Silent implements Progress {
  expect(): void {}
  done(): void {}
  gap(): void {}
  stop(): void {}
}

class Lines implements Progress {
  constructor(private readonly out: NodeJS.WritableStream) {}
  expect(): void {}
  done(_units: number, line?: string): void {
    if (line) this.out.write(`${line}\n`);
  }
  gap(gap: CollectionGap): void {
    this.out.write(`gap: ${describeGap(gap)}\n`);
  }
  stop(): void {}
}

class Bar implements Progress {
  private readonly bars: MultiBar;
  private readonly bar: SingleBar;
  private total = 0;
  private value = 0;

  constructor(out: NodeJS.WritableStream, label: string) {
    this.bars = new MultiBar({ stream: out, format: `${label} [{bar}] {value}/{total} {detail}`, clearOnComplete: true, hideCursor: false }, Presets.shades_classic);
    this.bar = this.bars.create(0, 0, { detail: '' });
  }
  expect(units: number): void {
    this.total += units;
    this.bar.setTotal(this.total);
  }
  done(units: number, line?: string): void {
    this.value += units;
    this.bar.update(this.value, { detail: line ?? '' });
  }
  gap(gap: CollectionGap): void {
    this.bars.log(`gap: ${describeGap(gap)}\n`);
  }
  stop(): void {
    this.bars.stop();
  }
}

/** `label` names the work on the bar: collecting, uploading, downloading. */
export function createProgress(quiet: boolean, out: NodeJS.WriteStream = process.stderr, label = 'collecting'): Progress {
  if (quiet) return new Silent();
  return out.isTTY ? new Bar(out, label) : new Lines(out);
}
