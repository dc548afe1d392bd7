import { invalidParameter } from './http-errors.js';

/**
 * Cursor pagination. A cursor is opaque to clients (base64url JSON) and holds the sort key of the
 * item it continues from and the direction, so pages stay stable while new items arrive and
 * every item is seen exactly once.
 */

/** The values an item is ordered by (e.g. created_at, then id). */
export type SortKey = readonly (string | number)[];

/** One page and the cursors around it (null at either end). */
export interface Page<T> {
  items: T[];
  next: string | null;
  prev: string | null;
}

interface Cursor {
  d: 'n' | 'p';
  k: SortKey;
}

/** An opaque cursor continuing after (`n`) or before (`p`) `key`. */
export function encodeCursor(direction: 'n' | 'p', key: SortKey): string {
  return Buffer.from(JSON.stringify({ d: direction, k: key })).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (isCursor(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw invalidParameter('page[cursor]', `'${text}' is not a valid page cursor for this list`);
}

function isCursor(value: unknown): value is Cursor {
  if (typeof value !== 'object' || value === null) return false;
  const { d, k } = value as Record<string, unknown>;
  return (
    (d === 'n' || d === 'p') &&
    Array.isArray(k) &&
    k.every((part) => typeof part === 'string' || typeof part === 'number')
  );
}

/** Orders keys part by part; `descending` flips the whole order (newest first). */
export function compareKeys(a: SortKey, b: SortKey, descending = false): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
  }
  return 0;
}

/**
 * One page of `items`, which must already be sorted by `keyOf` in the list's order
 * (`descending` says which way). `cursor` comes from a previous page's `next`/`prev`.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  options: { size: number; cursor?: string | undefined; descending?: boolean },
): Page<T> {
  const cmp = (item: T, key: SortKey) => compareKeys(keyOf(item), key, options.descending);
  let start = 0;
  let end = Math.min(items.length, options.size);
  if (options.cursor !== undefined) {
    const cursor = decodeCursor(options.cursor);
    if (cursor.d === 'n') {
      start = firstIndex(items, (item) => cmp(item, cursor.k) > 0);
      end = Math.min(items.length, start + options.size);
    } else {
      end = firstIndex(items, (item) => cmp(item, cursor.k) >= 0);
      start = Math.max(0, end - options.size);
    }
  }
  const page = items.slice(start, end);
  const first = page[0];
  const last = page.at(-1);
  return {
    items: page,
    next: last !== undefined && end < items.length ? encodeCursor('n', keyOf(last)) : null,
    prev: first !== undefined && start > 0 ? encodeCursor('p', keyOf(first)) : null,
  };
}

function firstIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  const index = items.findIndex(predicate);
  return index < 0 ? items.length : index;
}

/** `page[size]`: default 50, an integer from 1 to 100. */
export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined) return 50;
  const size = Number(raw);
  if (!/^\d+$/.test(raw) || size < 1 || size > 100) {
    throw invalidParameter(
      'page[size]',
      `page[size] must be an integer from 1 to 100, got '${raw}'`,
    );
  }
  return size;
}

/** The request URL with `page[cursor]` replaced (or removed). */
export function pageLink(selfUrl: string, cursor: string | null): string | undefined {
  if (cursor === null) return undefined;
  const url = new URL(selfUrl);
  url.searchParams.set('page[cursor]', cursor);
  return url.toString();
}
