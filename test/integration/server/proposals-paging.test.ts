import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployment, type Deployment } from '../../helpers/deployment.js';
import { makeProposal } from '../store/fixtures.js';

const TOKEN = 'paging-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

/**
 * `/proposals` pages its listing from the status index: 50 a page, newest first, with links to
 * the newer and older pages, and a page past the end that says there is nothing there.
 */
describe('/proposals paging', () => {
  let deployment: Deployment;
  const ids: string[] = [];

  beforeAll(async () => {
    deployment = await startDeployment({ auth: { tokens: [TOKEN], users: [] } });
    const base = Date.parse('2026-10-01T00:00:00.000Z');
    for (let i = 0; i < 120; i += 1) {
      const id = `p_page_${String(i).padStart(3, '0')}`;
      const createdAt = new Date(base + i * 60_000).toISOString();
      await deployment.app.deps.stores.proposals.create(
        makeProposal({
          id,
          accountId: 'default',
          status: 'failed',
          createdAt,
          updatedAt: createdAt,
        }),
      );
      ids.push(id);
    }
  });

  afterAll(() => deployment?.close());

  const listed = (body: string) =>
    [...body.matchAll(/href="\/proposals\/(p_page_\d+)"/g)].map((m) => m[1]);
  const open = (query: string) =>
    deployment.server.inject({ url: `/proposals?status=failed${query}`, headers: auth });

  it('shows the newest 50 first, then the next pages, with links between them', async () => {
    const newest = [...ids].reverse();
    const first = await open('');
    expect(first.statusCode).toBe(200);
    expect(listed(first.body)).toEqual(newest.slice(0, 50));
    expect(first.body).toContain('Page 1 of 3');
    expect(first.body).toContain('href="/proposals?status=failed&page=2"');
    expect(first.body).not.toContain('Newer');

    const third = await open('&page=3');
    expect(listed(third.body)).toEqual(newest.slice(100));
    expect(third.body).toContain('href="/proposals?status=failed&page=2"');
    expect(third.body).not.toContain('Older');
    expect(third.body).toMatch(/failed \(120\)/);
  });

  it('answers a page past the end with no rows, and a bad page number with 400', async () => {
    const past = await open('&page=9');
    expect(past.statusCode).toBe(200);
    expect(listed(past.body)).toEqual([]);
    expect((await open('&page=0')).statusCode).toBe(400);
    expect((await open('&page=abc')).statusCode).toBe(400);
  });
});
