import { Readable } from 'node:stream';

/**
 * The most collect takes from any one source, so that a broken or hostile endpoint (new page
 * tokens forever, a "report" of many gigabytes) cannot exhaust memory or disk. Each is far
 * above what AWS serves a real estate; crossing one is a gap, and the rest is still collected.
 * docs/collect.md lists them.
 */

/** Pages of one listing: at 100 items a page, ten million items. */
export const MAX_PAGES = 100_000;

/**
 * Evaluation results of one rule in one account and Region. They are held in memory until the
 * rule's last page (a rule is written whole or not at all), so this bounds that memory.
 */
export const MAX_EVALUATIONS_PER_RULE = 200_000;

/** An AWS Artifact report file: AWS's reports are PDFs of a few megabytes. */
export const MAX_REPORT_BYTES = 256 * 1024 ** 2;

/**
 * An attached file of manual evidence. A pack is copied, hashed and sent to assessors; a file
 * larger than this is almost surely not what was meant (a disk image, a log archive).
 */
export const MAX_ATTACHMENT_BYTES = 1024 ** 3;

/** A source gave more than collect accepts from it. */
export class LimitExceededError extends Error {
  override readonly name = 'LimitExceeded';
}

export const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;

/**
 * `source` read only up to `max` bytes: past them the stream fails with LimitExceededError
 * (`what` names the file). Nothing is read before the result is, and a consumer that stops
 * (or the limit) ends the source too.
 */
export function limitedRead(source: Readable, max: number, what: string): Readable {
  return Readable.from(
    (async function* () {
      let seen = 0;
      for await (const chunk of source) {
        seen += (chunk as Buffer).length;
        if (seen > max) throw new LimitExceededError(`${what} is larger than ${mebibytes(max)}`);
        yield chunk as Buffer;
      }
    })(),
    { objectMode: false },
  );
}
