import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployment, type Deployment } from '../../helpers/deployment.js';
import { makeProposal } from '../store/fixtures.js';

const TOKEN = 'api-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const NOT_REPRODUCED = {
  checkedAt: '2026-11-21T09:00:00.000Z',
  reproduced: 0,
  total: 1,
  details: [
    { conversationId: 'c1', failedAtBaseline: false, reason: 'answered', judge: 'rules' as const },
  ],
};

/**
 * The read-only JSON API: the proposals (paged, filtered by account, status and creation date),
 * one proposal with the drafts waiting behind it, and the latest findings by impact — only to a
 * signed-in reader.
 */
describe('/api/v1', () => {
  let deployment: Deployment;
  const base = Date.parse('2026-10-01T00:00:00.000Z');
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

  beforeAll(async () => {
    deployment = await startDeployment({ auth: { tokens: [TOKEN], users: [] } });
    const { stores } = deployment.app.deps;
    for (let i = 0; i < 30; i += 1) {
      await stores.proposals.create(
        makeProposal({
          id: `p_api_${String(i).padStart(2, '0')}`,
          accountId: i % 3 === 0 ? 'other' : 'default',
          status: i % 2 === 0 ? 'pending' : 'rejected',
          createdAt: at(i),
          updatedAt: at(i),
        }),
      );
    }
    const finding = makeProposal().finding;
    await stores.findings.replace('default', {
      runId: 'run-1',
      at: at(60),
      window: { from: at(0), to: at(60) },
      findings: [
        { ...finding, id: 'finding_low', impact: 1 },
        { ...finding, id: 'finding_high', impact: 5 },
      ],
      unreproduced: [{ findingId: 'finding_low', reproduction: NOT_REPRODUCED }],
    });
    await stores.heldDrafts.record('p_api_00', {
      findingId: 'finding_next',
      title: 'Edit instructions of skill "Returns"',
      reason: 'Held behind it.',
      at: at(61),
    });
  });

  afterAll(() => deployment?.close());

  const get = (url: string, headers: Record<string, string> = auth) =>
    deployment.server.inject({ url, headers });

  it('refuses anonymous readers', async () => {
    expect((await get('/api/v1/proposals', {})).statusCode).toBe(401);
    expect((await get('/api/v1/findings', {})).statusCode).toBe(401);
  });

  it('pages proposals newest first, filtered by account, status and creation date', async () => {
    const first = await get('/api/v1/proposals?account=default&status=pending&limit=4');
    expect(first.statusCode).toBe(200);
    const body = first.json<{ data: { id: string }[]; paging: Record<string, number> }>();
    // Pending and of account default: even i not divisible by 3 → 28, 26, 22, 20, 16, 14, 10, 8, 4, 2.
    expect(body.data.map((p) => p.id)).toEqual(['p_api_28', 'p_api_26', 'p_api_22', 'p_api_20']);
    expect(body.paging).toEqual({ page: 1, limit: 4, total: 10, pages: 3 });
    const third = await get('/api/v1/proposals?account=default&status=pending&limit=4&page=3');
    expect(third.json<{ data: { id: string }[] }>().data.map((p) => p.id)).toEqual([
      'p_api_04',
      'p_api_02',
    ]);
    const window = await get(
      `/api/v1/proposals?since=${encodeURIComponent(at(10))}&until=${encodeURIComponent(at(13))}`,
    );
    expect(window.json<{ data: { id: string }[] }>().data.map((p) => p.id)).toEqual([
      'p_api_12',
      'p_api_11',
      'p_api_10',
    ]);
  });

  it('answers bad parameters with a 400 that names them', async () => {
    const bad = await get('/api/v1/proposals?status=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toMatch(/^status: /);
    expect((await get('/api/v1/proposals?limit=5000')).statusCode).toBe(400);
    expect((await get('/api/v1/proposals?since=yesterday')).statusCode).toBe(400);
  });

  it('gives one proposal with the drafts waiting behind it, and a 404 for none', async () => {
    const one = await get('/api/v1/proposals/p_api_00');
    expect(one.json()).toMatchObject({
      data: { id: 'p_api_00', accountId: 'other' },
      waitingBehind: [{ findingId: 'finding_next' }],
    });
    expect((await get('/api/v1/proposals/p_nowhere')).statusCode).toBe(404);
  });

  it('lists the latest findings by impact', async () => {
    const res = await get('/api/v1/findings');
    const body = res.json<{ data: { id: string; runId: string }[] }>();
    expect(body.data.map((f) => f.id)).toEqual(['finding_high', 'finding_low']);
    expect(body.data[0]?.runId).toBe('run-1');
    // The finding that no longer failed in its replays says so, with each replay's verdict.
    expect(body.data).toMatchObject([
      { id: 'finding_high' },
      { id: 'finding_low', unreproduced: NOT_REPRODUCED },
    ]);
    expect(body.data[0]).not.toHaveProperty('unreproduced');
    expect((await get('/api/v1/findings?account=nobody')).json()).toMatchObject({ data: [] });
  });
});
