import { MalformedResponseError } from './malformed';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** More pages than any real listing has: a service that keeps handing out new tokens is broken. */
const MAX_PAGES = 1_000_000;

/**
 * Every page of a NextToken-paged operation, in order. A token that comes back twice would
 * loop forever, so it is a malformed response.
 */
export async function* pages<T>(fetch: (nextToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page = await fetch(token);
    yield page.items;
    // AWS APIs end a listing with an absent token; some emulators send an empty string.
    if (!page.nextToken) return;
    if (seen.has(page.nextToken)) throw new MalformedResponseError(`the same NextToken came back twice: ${page.nextToken.slice(0, 40)}`);
    seen.add(page.nextToken);
    token = page.nextToken;
  }
  throw new MalformedResponseError(`more than ${MAX_PAGES} pages`);
}

/** All items of a paged operation. */
export async function allPages<T>(fetch: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages(fetch)) items.push(...page);
  return items;
}
