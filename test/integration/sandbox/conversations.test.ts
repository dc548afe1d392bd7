import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_KEYS,
  generateDemoScenario,
  startSandbox,
  type RunningSandbox,
} from '../../../src/sandbox/index.js';
import { api, encode, walk, type Api } from './support.js';

const NOW = new Date('2026-11-20T12:00:00Z');
let clock = NOW.getTime();

describe('sandbox conversations and messages', () => {
  let sandbox: RunningSandbox;
  let read: Api;
  let write: Api;
  const scenario = generateDemoScenario({ seed: 42, now: NOW });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', now: () => new Date(clock) });
    read = api(sandbox, SANDBOX_KEYS.read);
    write = api(sandbox);
  });
  afterAll(() => sandbox.close());

  it('walks every conversation exactly once, newest first, through links.next', async () => {
    const { items, pages } = await walk(read, '/api/customer-agent-conversations?page[size]=37');
    expect(items.length).toBe(scenario.conversations.length);
    expect(new Set(items.map((c) => c.id)).size).toBe(items.length);
    expect(pages).toBe(Math.ceil(items.length / 37));
    const created = items.map((c) => Date.parse(c.attributes.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('uses 50 per page by default, at most 100, and links back with prev', async () => {
    const first = await read.get('/api/customer-agent-conversations');
    expect(first.body.data).toHaveLength(50);
    expect(first.body.links.prev).toBeUndefined();
    const next = first.body.links.next.replace(sandbox.url, '');
    const second = await read.get(next);
    const back = await read.get(second.body.links.prev.replace(sandbox.url, ''));
    expect(back.body.data.map((c: { id: string }) => c.id)).toEqual(
      first.body.data.map((c: { id: string }) => c.id),
    );
    expect(
      (await read.get('/api/customer-agent-conversations?page[size]=100')).body.data,
    ).toHaveLength(100);
  });

  it('filters by created_at, by status with equals and any, and combined', async () => {
    const since = new Date(NOW.getTime() - 7 * 86_400_000).toISOString();
    const expected = (keep: (c: (typeof scenario.conversations)[number]) => boolean) =>
      scenario.conversations
        .filter(keep)
        .map((c) => c.id)
        .sort();
    const check = async (filter: string, keep: Parameters<typeof expected>[0]) => {
      const { items } = await walk(
        read,
        `/api/customer-agent-conversations?page[size]=100&filter=${encode(filter)}`,
      );
      expect(items.map((c) => c.id).sort()).toEqual(expected(keep));
    };
    await check(`greater-or-equal(created_at,${since})`, (c) => c.created_at >= since);
    await check('equals(status,"routed-to-team")', (c) => c.status === 'routed-to-team');
    await check(
      'any(status,["open","closed"])',
      (c) => c.status === 'open' || c.status === 'closed',
    );
    await check(
      `greater-or-equal(created_at,${since}),equals(status,"resolved-by-ai")`,
      (c) => c.created_at >= since && c.status === 'resolved-by-ai',
    );
  });

  it('returns one conversation with its message relationship, and its messages oldest first', async () => {
    const source = scenario.conversations.find((c) => c.messages.length >= 5);
    if (!source?.id) throw new Error('no long conversation');
    const one = await read.get(`/api/customer-agent-conversations/${source.id}`);
    expect(one.body.data.attributes.status).toBe(source.status);
    const related = one.body.data.relationships['customer-agent-messages'];
    expect(related.data).toHaveLength(source.messages.length);
    const { items, pages } = await walk(
      read,
      `/api/customer-agent-conversations/${source.id}/customer-agent-messages?page[size]=2`,
    );
    expect(pages).toBe(Math.ceil(source.messages.length / 2));
    expect(items.map((m) => m.attributes.content)).toEqual(source.messages.map((m) => m.content));
    expect(items.map((m) => m.id)).toEqual(related.data.map((m: { id: string }) => m.id));
    const ids = await walk(
      read,
      `/api/customer-agent-conversations/${source.id}/relationships/customer-agent-messages?page[size]=3`,
    );
    expect(ids.items.map((m) => m.id)).toEqual(items.map((m) => m.id));
    expect(ids.items[0]).not.toHaveProperty('attributes');
  });

  it('closes a conversation with PATCH and bumps updated_at', async () => {
    const open = scenario.conversations.find((c) => c.status === 'open');
    if (!open?.id) throw new Error('no open conversation');
    const before = await read.get(`/api/customer-agent-conversations/${open.id}`);
    clock += 60_000;
    const patched = await write.patch(`/api/customer-agent-conversations/${open.id}`, {
      data: { type: 'customer-agent-conversation', id: open.id, attributes: { status: 'closed' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data.attributes.status).toBe('closed');
    expect(Date.parse(patched.body.data.attributes.updated_at)).toBeGreaterThan(
      Date.parse(before.body.data.attributes.updated_at),
    );
    const reopen = await write.patch(`/api/customer-agent-conversations/${open.id}`, {
      data: { type: 'customer-agent-conversation', id: open.id, attributes: { status: 'open' } },
    });
    expect(reopen.status).toBe(400);
  });

  it('rejects a PATCH whose data.id differs from the path with 409 at /data/id', async () => {
    const [first] = scenario.conversations;
    const response = await write.patch(`/api/customer-agent-conversations/${first?.id}`, {
      data: { type: 'customer-agent-conversation', id: 'other', attributes: { status: 'closed' } },
    });
    expect(response.status).toBe(409);
    expect(response.body.errors[0].source).toEqual({ pointer: '/data/id' });
  });
});
