import { expect } from 'vitest';
import { filter } from '../../../src/klaviyo/index.js';
import type { PageIterator } from '../../../src/klaviyo/index.js';
import type { Clients } from './drive-config.js';

/**
 * Drives the production-data operations through the client: conversations (filtered, paged),
 * one conversation and its messages, closing one, both reports with a grouping, and one preview
 * turn.
 */

const PAGE_SIZE = 2;
/** Enough pages to prove `links.next` is followed, without walking the whole scenario. */
const MAX_PAGES = 3;

async function firstPage<T>(listing: PageIterator<T>): Promise<T[]> {
  for await (const page of listing.pages()) return page.items;
  return [];
}

export async function driveConversations({ read, write }: Clients): Promise<void> {
  const since = new Date(Date.UTC(2000, 0, 1));
  const listing = read.conversations.list({
    pageSize: PAGE_SIZE,
    filter: filter().greaterOrEqual('created_at', since),
  });
  const pages = [];
  for await (const page of listing.pages()) {
    pages.push(page);
    if (pages.length === MAX_PAGES) break;
  }
  expect(pages.length).toBeGreaterThan(1);
  const first = pages[0]?.items[0];
  if (!first) throw new Error('the demo scenario has no conversations');

  expect((await read.conversations.get(first.id)).id).toBe(first.id);
  const messages = await read.conversations.messages(first.id, { pageSize: PAGE_SIZE }).toArray();
  expect(messages.length).toBeGreaterThan(0);
  expect(await read.conversations.messageIds(first.id)).toEqual(messages.map((m) => m.id));

  const active = await firstPage(
    read.conversations.list({ filter: filter().anyOf('status', ['open', 'routed-to-team']) }),
  );
  expect(active.every((c) => ['open', 'routed-to-team'].includes(c.attributes.status))).toBe(true);
  // The API allows one transition only: open → closed.
  const open = await firstPage(
    read.conversations.list({ filter: filter().equals('status', 'open') }),
  );
  const target = open[0];
  if (!target) throw new Error('the demo scenario has no open conversation to close');
  const closed = await write.conversations.update(target.id, { status: 'closed' });
  expect(closed.attributes.status).toBe('closed');
}

export async function driveReports({ read }: Clients): Promise<void> {
  const values = await read.reports.values({
    statistics: ['volume', 'resolution-rate'],
    timeframe: { key: 'last_90_days' },
    groupings: ['channel'],
  });
  expect(values.attributes.results.length).toBeGreaterThan(0);
  const skills = await read.reports.skillValues({
    statistics: ['volume'],
    timeframe: { start: '2000-01-01T00:00:00Z', end: '2100-01-01T00:00:00Z' },
  });
  expect(Array.isArray(skills.attributes.results)).toBe(true);
}

export async function driveTurn({ write }: Clients): Promise<void> {
  const first = await write.responses.create({
    mode: 'preview',
    channel: 'web-chat',
    messages: [{ role: 'user', content: 'Where is my order #1001?' }],
  });
  expect(first.attributes.events.length).toBeGreaterThan(0);
  const next = await write.responses.create(
    {
      mode: 'preview',
      messages: [
        { role: 'user', content: 'Where is my order #1001?' },
        { role: 'agent', content: 'Let me check that for you.' },
        { role: 'user', content: 'Thanks, I also want to return a shirt.' },
      ],
    },
    { conversationId: first.attributes.conversation_id },
  );
  expect(next.attributes.conversation_id).toBe(first.attributes.conversation_id);
}
