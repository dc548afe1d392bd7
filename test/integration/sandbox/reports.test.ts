import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_KEYS, startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import { api, walk, type Api, type JsonBody } from './support.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const FINAL = ['resolved-by-ai', 'routed-to-team', 'closed'];

describe('sandbox reports agree with the stored conversations', () => {
  let sandbox: RunningSandbox;
  let read: Api;
  let conversations: JsonBody[];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, rateLimits: 'off', now: () => NOW });
    read = api(sandbox, SANDBOX_KEYS.read);
    conversations = (await walk(read, '/api/customer-agent-conversations?page[size]=100')).items;
  });
  afterAll(() => sandbox.close());

  const values = (attributes: object) =>
    read.post('/api/customer-agent-values-reports', {
      data: { type: 'customer-agent-values-report', attributes },
    });

  it('reports volume and resolution rate over the last 30 days', async () => {
    const response = await values({
      statistics: ['volume', 'resolution-rate'],
      timeframe: { key: 'last_30_days' },
    });
    expect(response.status).toBe(201);
    expect(response.body.data.type).toBe('customer-agent-values-report');
    const [row] = response.body.data.attributes.results;
    const final = conversations.filter((c) => FINAL.includes(c.attributes.status));
    const resolved = final.filter((c) => c.attributes.status === 'resolved-by-ai');
    expect(row.groupings).toEqual({});
    expect(row.statistics.volume).toBe(conversations.length);
    expect(row.statistics['resolution-rate']).toBeCloseTo(resolved.length / final.length, 4);
  });

  it('groups by status and by channel, with volumes that add up', async () => {
    const byStatus = await values({
      statistics: ['volume'],
      groupings: ['status'],
      timeframe: { key: 'last_30_days' },
    });
    const counts: Record<string, number> = {};
    for (const c of conversations)
      counts[c.attributes.status] = (counts[c.attributes.status] ?? 0) + 1;
    const reported = Object.fromEntries(
      byStatus.body.data.attributes.results.map((r: JsonBody) => [
        r.groupings.status,
        r.statistics.volume,
      ]),
    );
    expect(reported).toEqual(counts);
    const byChannel = await values({
      statistics: ['volume'],
      groupings: ['channel'],
      timeframe: { key: 'last_30_days' },
    });
    const total = byChannel.body.data.attributes.results.reduce(
      (n: number, r: JsonBody) => n + r.statistics.volume,
      0,
    );
    expect(total).toBe(conversations.length);
  });

  it('treats end as exclusive in a start/end timeframe', async () => {
    const sorted = [...conversations].sort((a, b) =>
      a.attributes.created_at.localeCompare(b.attributes.created_at),
    );
    const start = sorted[0].attributes.created_at;
    const end = sorted[10].attributes.created_at;
    const response = await values({ statistics: ['volume'], timeframe: { start, end } });
    expect(response.body.data.attributes.results[0].statistics.volume).toBe(10);
  });

  it('reports per-skill volume consistent with the totals and filters by skill', async () => {
    const skills = (attributes: object) =>
      read.post('/api/customer-agent-skill-values-reports', {
        data: { type: 'customer-agent-skill-values-report', attributes },
      });
    const all = await skills({
      statistics: ['volume'],
      groupings: ['skill'],
      timeframe: { key: 'last_30_days' },
    });
    expect(all.status).toBe(201);
    const rows: JsonBody[] = all.body.data.attributes.results;
    const names = rows.map((r) => r.groupings.skill);
    expect(names).toEqual(
      expect.arrayContaining(['order_status', 'returns_exchanges', 'product_qa']),
    );
    for (const row of rows) expect(row.statistics.volume).toBeLessThanOrEqual(conversations.length);
    const filtered = await skills({
      statistics: ['volume'],
      groupings: ['skill'],
      timeframe: { key: 'last_30_days' },
      filter: 'any(skill,["order_status"])',
    });
    expect(filtered.body.data.attributes.results).toEqual(
      rows.filter((r) => r.groupings.skill === 'order_status'),
    );
    const noGrouping = await skills({
      statistics: ['volume'],
      groupings: [],
      timeframe: { key: 'today' },
    });
    expect(noGrouping.status).toBe(400);
  });

  it('counts a live turn in the next report, and never a preview turn', async () => {
    const write = api(sandbox);
    const before = await values({ statistics: ['volume'], timeframe: { key: 'today' } });
    const turn = (mode: string) =>
      write.post('/api/customer-agent-responses', {
        data: {
          type: 'customer-agent-response',
          attributes: { mode, messages: [{ role: 'user', content: 'Do gift cards expire?' }] },
        },
      });
    await turn('preview');
    await turn('live');
    const after = await values({ statistics: ['volume'], timeframe: { key: 'today' } });
    const volume = (r: JsonBody) => r.body.data.attributes.results[0].statistics.volume;
    expect(volume(after)).toBe(volume(before) + 1);
  });

  it('rejects bad report requests with a pointer', async () => {
    const bad = await values({ statistics: ['volume'], timeframe: { key: 'forever' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].source.pointer).toMatch(/^\/data\/attributes\/timeframe/);
    const twoGroupings = await values({
      statistics: ['volume'],
      groupings: ['channel', 'status'],
      timeframe: { key: 'today' },
    });
    expect(twoGroupings.body.errors[0].source).toEqual({ pointer: '/data/attributes/groupings' });
  });
});
