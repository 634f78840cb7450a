import { type ControlAssessment, type Status, STATUSES } from '../../assess/result';
import { ATTENTION_STATUSES, EVIDENCED_STATUSES, STATUS_LABELS } from '../statuses';
import { num } from './format';

// Charts: stacked bars drawn from precomputed segments (the templates do no maths). Each bar
// names its whole mix in words for screen readers, prints the count inside every segment wide
// enough to hold it, and sits by a legend, so that no reader has to tell statuses by colour.

interface Segment {
  cls: string;
  /** Percent of the bar's width. */
  width: string;
  /** The count printed inside the segment, or null where the segment is too narrow for it. */
  count: string | null;
}

export interface Bar {
  /** The mix in words: "Non-compliant 40, Not assessed 855". */
  label: string;
  segments: Segment[];
}

/** Narrower segments than this (percent of the bar) leave their count to the label and legend. */
export const BAR_LABEL_MIN_WIDTH = 7;

/** A 100-unit-wide bar of the statuses that occur, in status order. */
export function bar(counts: ReadonlyMap<Status, number>, total: number): Bar {
  const present = STATUSES.filter((s) => (counts.get(s) ?? 0) > 0 && total > 0);
  return {
    label: present.map((s) => `${STATUS_LABELS[s]} ${num(counts.get(s)!)}`).join(', ') || 'No controls',
    segments: present.map((s) => {
      const width = (counts.get(s)! / total) * 100;
      return { cls: `st-${s}`, width: width.toFixed(3), count: width >= BAR_LABEL_MIN_WIDTH ? num(counts.get(s)!) : null };
    }),
  };
}

export function tally(controls: readonly ControlAssessment[]): Map<Status, number> {
  const out = new Map<Status, number>();
  for (const c of controls) out.set(c.status, (out.get(c.status) ?? 0) + 1);
  return out;
}

const sumOf = (counts: ReadonlyMap<Status, number>, statuses: readonly Status[]) => statuses.reduce((n, s) => n + (counts.get(s) ?? 0), 0);

export function breakdown(controls: readonly ControlAssessment[]) {
  const counts = tally(controls);
  return {
    total: num(controls.length),
    attention: num(sumOf(counts, ATTENTION_STATUSES)),
    evidenced: num(sumOf(counts, EVIDENCED_STATUSES)),
    accepted: num(counts.get('risk-accepted') ?? 0),
    notAssessed: num(counts.get('not-assessed') ?? 0),
    bar: bar(counts, controls.length),
  };
}
