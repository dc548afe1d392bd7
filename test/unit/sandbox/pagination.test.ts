import { describe, expect, it } from 'vitest';
import { ApiProblem } from '../../../src/sandbox/http-errors.js';
import { paginate, parsePageSize } from '../../../src/sandbox/pagination.js';

const items = Array.from({ length: 7 }, (_, i) => ({ id: `c${i}`, at: 1000 - i * 10 }));
const key = (item: { id: string; at: number }) => [item.at, item.id];

describe('paginate', () => {
  it('walks every item once, forwards, and back with prev cursors', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const prevs: string[] = [];
    for (;;) {
      const page = paginate(items, key, { size: 3, cursor, descending: true });
      seen.push(...page.items.map((i) => i.id));
      if (page.prev) prevs.push(page.prev);
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toEqual(items.map((i) => i.id));
    const back = paginate(items, key, { size: 3, cursor: prevs.at(-1), descending: true });
    expect(back.items.map((i) => i.id)).toEqual(['c3', 'c4', 'c5']);
  });

  it('keeps its place when newer items arrive between pages', () => {
    const first = paginate(items, key, { size: 3, descending: true });
    const grown = [{ id: 'new', at: 2000 }, ...items];
    const second = paginate(grown, key, {
      size: 3,
      cursor: first.next ?? undefined,
      descending: true,
    });
    expect(second.items.map((i) => i.id)).toEqual(['c3', 'c4', 'c5']);
  });

  it('rejects a cursor it did not make', () => {
    expect(() => paginate(items, key, { size: 3, cursor: 'not-a-cursor' })).toThrow(ApiProblem);
  });
});

describe('parsePageSize', () => {
  it('defaults to 50 and allows 1 to 100', () => {
    expect(parsePageSize(undefined)).toBe(50);
    expect(parsePageSize('1')).toBe(1);
    expect(parsePageSize('100')).toBe(100);
    for (const bad of ['0', '101', '2.5', 'ten', '-1'])
      expect(() => parsePageSize(bad)).toThrow(ApiProblem);
  });
});
