import { describe, expect, it } from 'vitest';
import {
  createPageIterator,
  cursorOf,
  nextPathAndQuery,
  type FetchedPage,
} from '../../../src/klaviyo/pagination.js';

describe('nextPathAndQuery', () => {
  it('keeps the path from /api/ and the query, dropping host and proxy prefix', () => {
    expect(
      nextPathAndQuery(
        'https://a.klaviyo.com/api/agent-skills?page%5Bcursor%5D=abc&page%5Bsize%5D=5',
      ),
    ).toBe('/api/agent-skills?page%5Bcursor%5D=abc&page%5Bsize%5D=5');
    expect(nextPathAndQuery('http://proxy:8080/klaviyo/api/agent-tools?page[cursor]=x')).toBe(
      '/api/agent-tools?page[cursor]=x',
    );
  });

  it('reads the cursor from a path and query', () => {
    expect(cursorOf('/api/x?page%5Bcursor%5D=abc%3D')).toBe('abc=');
    expect(cursorOf('/api/x')).toBeUndefined();
  });
});

describe('createPageIterator', () => {
  const pages: Record<string, FetchedPage<number>> = {
    first: { items: [1, 2], next: 'https://a.klaviyo.com/api/n?page%5Bcursor%5D=c2' },
    '/api/n?page%5Bcursor%5D=c2': {
      items: [3],
      next: 'https://a.klaviyo.com/api/n?page%5Bcursor%5D=c3',
    },
    '/api/n?page%5Bcursor%5D=c3': { items: [4, 5], next: null },
  };
  const fetched: string[] = [];
  const fetchPage = (next: string | undefined) => {
    fetched.push(next ?? 'first');
    const page = pages[next ?? 'first'];
    return page ? Promise.resolve(page) : Promise.reject(new Error(`no page ${next}`));
  };

  it('yields items across pages lazily and restarts per iteration', async () => {
    fetched.length = 0;
    const iterator = createPageIterator(fetchPage);
    expect(fetched).toEqual([]);
    expect(await iterator.toArray()).toEqual([1, 2, 3, 4, 5]);
    expect(await iterator.toArray()).toEqual([1, 2, 3, 4, 5]);
    expect(fetched).toHaveLength(6);
  });

  it('exposes pages with the next cursor', async () => {
    const seen = [];
    for await (const page of createPageIterator(fetchPage).pages()) seen.push(page);
    expect(seen).toEqual([
      { items: [1, 2], nextCursor: 'c2' },
      { items: [3], nextCursor: 'c3' },
      { items: [4, 5] },
    ]);
  });

  it('stops at the first page when the API has no pagination (no links.next)', async () => {
    expect(await createPageIterator(() => Promise.resolve({ items: ['a'] })).toArray()).toEqual([
      'a',
    ]);
  });

  it('stops when a server repeats a cursor instead of looping forever', async () => {
    const looping = createPageIterator(() =>
      Promise.resolve({ items: [1], next: 'https://x/api/n?page%5Bcursor%5D=same' }),
    );
    expect(await looping.toArray()).toEqual([1, 1]);
  });

  it('serves concurrent next() calls on one iterator without duplicates', async () => {
    const iterator = createPageIterator(fetchPage)[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 7 }, () => iterator.next()));
    expect(results.filter((r) => !r.done).map((r) => r.value)).toEqual([1, 2, 3, 4, 5]);
    expect(results.filter((r) => r.done)).toHaveLength(2);
  });
});
