import { createHash } from 'node:crypto';
import { LimitExceededError, MAX_PAGES } from './bounds';
import { MalformedResponseError } from './malformed';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * Every page of a NextToken-paged operation, in order. A token that comes back twice would
 * loop forever, so it is a malformed response; new tokens without end stop at MAX_PAGES. The
 * tokens seen are kept as digests, so that long ones cost no more memory than short ones.
 */
export async function* pages<T>(fetch: (nextToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await fetch(token);
    yield page.items;
    // AWS APIs end a listing with an absent token; some emulators send an empty string.
    if (!page.nextToken) return;
    const digest = createHash('sha256').update(page.nextToken).digest('base64');
    if (seen.has(digest)) throw new MalformedResponseError(`the same NextToken came back twice: ${page.nextToken.slice(0, 40)}`);
    seen.add(digest);
    token = page.nextToken;
  }
  throw new LimitExceededError(`more than ${MAX_PAGES} pages; the listing was not read to its end`);
}

/** All items of a paged operation. */
export async function allPages<T>(fetch: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages(fetch)) items.push(...page);
  return items;
}
