/**
 * Cursor pagination: list endpoints answer `{ data: [...], links: { next } }`, and `links.next` is
 * an absolute URL with the next `page[cursor]`. We keep our own base URL and take only the path
 * and query from it, so a proxy or sandbox in front of the API keeps working.
 */

/** One page of a listing. `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * A lazy listing: iterate items with `for await`, or whole pages with `.pages()`. Each iteration
 * starts again from the first page. Concurrent `next()` calls on one iterator are safe (async
 * generators queue them), so several workers may share one listing.
 */
export interface PageIterator<T> extends AsyncIterable<T> {
  pages(): AsyncIterable<Page<T>>;
  /** Reads every page and returns all items. */
  toArray(): Promise<T[]>;
}

/** What a page fetch returns: the items and the raw `links.next` (if any). */
export interface FetchedPage<T> {
  items: T[];
  next?: string | null | undefined;
}

/**
 * Builds a PageIterator. `fetchPage(undefined)` fetches the first page; `fetchPage(pathAndQuery)`
 * fetches a following one, where `pathAndQuery` was derived from `links.next`.
 */
export function createPageIterator<T>(
  fetchPage: (pathAndQuery: string | undefined) => Promise<FetchedPage<T>>,
): PageIterator<T> {
  async function* pages(): AsyncGenerator<Page<T>> {
    let next: string | undefined;
    const seen = new Set<string>();
    do {
      const page = await fetchPage(next);
      next = page.next ? nextPathAndQuery(page.next) : undefined;
      // A server that hands out the same cursor twice would otherwise loop forever.
      if (next !== undefined) {
        if (seen.has(next)) next = undefined;
        else seen.add(next);
      }
      const cursor = next === undefined ? undefined : cursorOf(next);
      yield cursor === undefined
        ? { items: page.items }
        : { items: page.items, nextCursor: cursor };
    } while (next !== undefined);
  }

  async function* items(): AsyncGenerator<T> {
    for await (const page of pages()) yield* page.items;
  }

  return {
    pages,
    [Symbol.asyncIterator]: items,
    async toArray() {
      const all: T[] = [];
      for await (const item of items()) all.push(item);
      return all;
    },
  };
}

/**
 * The path and query of a `links.next` URL, starting at `/api/`, so that a proxy prefix in
 * either our base URL or the server's link is not doubled.
 */
export function nextPathAndQuery(link: string): string {
  const url = new URL(link, 'http://placeholder.invalid');
  const at = url.pathname.indexOf('/api/');
  const path = at >= 0 ? url.pathname.slice(at) : url.pathname;
  return `${path}${url.search}`;
}

/** The `page[cursor]` value of a path-and-query, if any. */
export function cursorOf(pathAndQuery: string): string | undefined {
  const query = pathAndQuery.includes('?') ? pathAndQuery.slice(pathAndQuery.indexOf('?') + 1) : '';
  return new URLSearchParams(query).get('page[cursor]') ?? undefined;
}
