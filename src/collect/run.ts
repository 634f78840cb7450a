import type { Readable } from 'node:stream';
import type { EvidenceKind, EvidenceRecord } from '../evidence/kinds';
import type { CollectionGap } from '../evidence/manifest';
import type { AttachmentRef } from '../evidence/records';
import type { PackWriter } from '../evidence/writer';
import type { ApiCallLedger } from './api-calls';
import type { Collector } from './collector';
import { toGap, type Where } from './gaps';
import type { Limits } from './limits';
import type { Progress } from './progress';
import { redactSecrets } from './redact';

export type StepResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * One collection run: where records go, the gaps found so far, and the shared limits. A step
 * is one API operation (all its pages): it either contributes its evidence or leaves a gap,
 * and the run goes on either way.
 */
export class CollectionRun {
  constructor(
    private readonly writer: PackWriter,
    readonly ledger: ApiCallLedger,
    readonly limits: Limits,
    readonly progress: Progress,
    /** The collector this run was made for, whose kinds alone it writes; null: any kind. */
    private readonly collector: Pick<Collector, 'name' | 'writes'> | null = null,
    /** Shared by a run and the runs made for its collectors. */
    readonly gaps: CollectionGap[] = [],
  ) {}

  /** The same run for one collector: a record of a kind it does not declare is a bug, and fails the collection. */
  for(collector: Collector): CollectionRun {
    return new CollectionRun(this.writer, this.ledger, this.limits, this.progress, { name: collector.name, writes: [...collector.writes] }, this.gaps);
  }

  write<K extends EvidenceKind>(kind: K, record: EvidenceRecord<K>): Promise<void> {
    const c = this.collector;
    if (c && !c.writes.includes(kind)) throw new Error(`collector ${c.name} wrote ${kind} records, which it does not declare (it declares ${c.writes.join(', ')})`);
    return this.writer.write(kind, record);
  }

  /** Streams a file into the pack's attachments (stored once per content hash). */
  attach(name: string, source: Readable, mediaType: string): Promise<AttachmentRef> {
    return this.writer.attachStream(name, source, mediaType);
  }

  /** Every gap passes here, so none keeps a credential an endpoint echoed into its message. */
  recordGap(gap: CollectionGap): void {
    const kept = { ...gap, message: redactSecrets(gap.message) };
    this.gaps.push(kept);
    this.progress.gap(kept);
  }

  /** Runs `read`; an AWS failure becomes a gap at `where` (with `subject` saying what was being read). */
  async step<T>(where: Where, read: () => Promise<T>, subject?: string): Promise<StepResult<T>> {
    try {
      return { ok: true, value: await read() };
    } catch (error) {
      const gap = toGap(where, error, subject);
      if (!gap) throw error;
      this.recordGap(gap);
      return { ok: false, error };
    }
  }
}
