import type { EvidenceKind, EvidenceRecord } from '../evidence/kinds';
import type { CollectionGap } from '../evidence/manifest';
import type { PackWriter } from '../evidence/writer';
import type { ApiCallLedger } from './api-calls';
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
  readonly gaps: CollectionGap[] = [];

  constructor(
    readonly writer: PackWriter,
    readonly ledger: ApiCallLedger,
    readonly limits: Limits,
    readonly progress: Progress,
  ) {}

  write<K extends EvidenceKind>(kind: K, record: EvidenceRecord<K>): Promise<void> {
    return this.writer.write(kind, record);
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
