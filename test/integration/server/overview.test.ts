import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Proposal } from '../../../src/domain/proposal.js';
import { SKILL_VALUES_REPORT_KIND, VALUES_REPORT_KIND } from '../../../src/domain/reports.js';
import { SANDBOX_KEYS } from '../../../src/sandbox/index.js';
import { startDeployment, type Deployment } from '../../helpers/deployment.js';
import { elementsNamed, parseXml, textOf } from '../../helpers/xml.js';
import { makeProposal } from '../store/fixtures.js';

const USERS = [{ name: 'bob', password: 'bob-pw' }];
const bob = { authorization: `Basic ${Buffer.from('bob:bob-pw').toString('base64')}` };

const DAY = 86_400_000;
/** Midnight UTC some days ago, so windows and apply dates fall inside the charts' 60 days. */
const daysAgo = (days: number): string =>
  new Date((Math.floor(Date.now() / DAY) - days) * DAY).toISOString();

/** The page's trend SVG, parsed strictly as XML. */
function svgIn(body: string) {
  const svg = /<svg[\s\S]*?<\/svg>/.exec(body)?.[0];
  expect(svg, 'the page has a chart').toBeDefined();
  return parseXml(svg ?? '');
}

/** The marked changes of a chart: each marker's tooltip and whether it is this page's change. */
function markersOf(body: string) {
  return elementsNamed(svgIn(body), 'g')
    .filter((g) => g.attributes['class'] === 'marker')
    .map((g) => ({
      title: textOf(elementsNamed(g, 'title')[0] ?? { name: '', attributes: {}, children: [] }),
      current: elementsNamed(g, 'line')[0]?.attributes['stroke-width'] === '2',
      href: elementsNamed(g, 'a')[0]?.attributes['href'],
    }));
}

/**
 * The overview (`/`) and the trend on a proposal's page, through the real server on real Redis:
 * the account's metric points drawn with its applied changes marked at their dates, its open
 * findings by impact, the changes with their replay and impact results; one account at a time.
 */
describe('overview and trend pages', () => {
  let deployment: Deployment;
  const finding = makeProposal().finding;

  const applied = (overrides: Partial<Proposal> & { id: string; appliedAt: string }): Proposal => {
    const { appliedAt, ...rest } = overrides;
    return makeProposal({
      accountId: 'store-a',
      status: 'applied',
      createdAt: daysAgo(20),
      updatedAt: appliedAt,
      baseline: {
        target: { type: 'agent-skill', id: 'skill_returns' },
        fields: {},
        updatedAt: null,
        readAt: daysAgo(20),
      },
      patch: {
        kind: 'skill.update',
        skillId: 'skill_returns',
        changes: { instructions: 'Answer returns questions.' },
      },
      result: { appliedAt, replay: { fixed: 2, total: 3 } },
      ...rest,
    });
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overview-'));
    const accountsFile = join(dir, 'accounts.json');
    writeFileSync(
      accountsFile,
      JSON.stringify({
        accounts: [
          { id: 'store-a', readKeyEnv: 'STORE_KEY' },
          { id: 'store-b', readKeyEnv: 'STORE_KEY' },
        ],
      }),
    );
    deployment = await startDeployment({
      auth: { tokens: [], users: USERS },
      env: { ACCOUNTS_FILE: accountsFile, STORE_KEY: SANDBOX_KEYS.read },
    });
    const { stores } = deployment.app.deps;
    for (let day = 10; day >= 1; day -= 1) {
      await stores.reports.put('store-a', {
        kind: VALUES_REPORT_KIND,
        windowStart: daysAgo(day),
        windowEnd: daysAgo(day - 1),
        data: {
          results: [{ groupings: {}, statistics: { volume: 100, 'resolution-rate': 0.6 } }],
        },
      });
    }
    await stores.proposals.create(
      applied({
        id: 'p_ov_early',
        title: 'Earlier <b>returns</b> change',
        appliedAt: daysAgo(8),
        history: [
          { at: daysAgo(8), status: 'applied', actor: 'system' },
          {
            at: daysAgo(1),
            status: 'applied',
            actor: 'system',
            note: 'impact improved: Resolution rate 50% → 60%: improved.',
          },
        ],
      }),
    );
    await stores.proposals.create(
      applied({ id: 'p_ov_late', title: 'Later returns change', appliedAt: daysAgo(4) }),
    );
    await stores.proposals.create(
      makeProposal({
        id: 'p_ov_pending',
        accountId: 'store-a',
        title: 'Pending gift-card change',
        finding: { ...finding, id: 'f_gift', accountId: 'store-a' },
      }),
    );
    await stores.proposals.create(
      applied({
        id: 'p_ov_b',
        accountId: 'store-b',
        title: 'Store B change',
        appliedAt: daysAgo(3),
      }),
    );
    await stores.findings.replace('store-a', {
      runId: 'run-1',
      at: daysAgo(1),
      window: { from: daysAgo(8), to: daysAgo(1) },
      findings: [
        { ...finding, id: 'f_low', accountId: 'store-a', topic: 'shipping <times>', impact: 1 },
        { ...finding, id: 'f_gift', accountId: 'store-a', topic: 'gift cards', impact: 7 },
      ],
    });
  });

  afterAll(() => deployment?.close());

  const get = (url: string, headers: Record<string, string> = bob) =>
    deployment.server.inject({ url, headers: { ...headers, accept: 'text/html' } });

  it('is behind the same sign-in as the other pages', async () => {
    expect((await get('/', {})).statusCode).toBe(401);
  });

  it("draws the first account's trend with its applied changes at their dates", async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('account <code>store-a</code>');
    const svg = svgIn(res.body);
    expect(elementsNamed(svg, 'circle')).toHaveLength(10);
    expect(svg.attributes['aria-label']).toContain('2 changes marked');
    expect(markersOf(res.body)).toEqual([
      {
        title: `${daysAgo(8).slice(0, 10)}: Earlier <b>returns</b> change`,
        current: false,
        href: '/proposals/p_ov_early',
      },
      {
        title: `${daysAgo(4).slice(0, 10)}: Later returns change`,
        current: false,
        href: '/proposals/p_ov_late',
      },
    ]);
    expect(res.body).not.toContain('Store B change');
  });

  it('lists the open findings by impact, linked to their proposals', async () => {
    const { body } = await get('/');
    const gift = body.indexOf('gift cards');
    const shipping = body.indexOf('shipping &lt;times&gt;');
    expect(gift).toBeGreaterThan(0);
    expect(shipping).toBeGreaterThan(gift);
    expect(body.slice(gift, shipping)).toContain('<a href="/proposals/p_ov_pending">pending</a>');
    expect(body.slice(shipping)).toContain('not proposed');
  });

  it('lists the changes applied with their replay and impact, newest first', async () => {
    const { body } = await get('/');
    const changes = body.slice(body.indexOf('aria-label="Changes applied"'));
    const late = changes.indexOf('href="/proposals/p_ov_late"');
    const early = changes.indexOf('href="/proposals/p_ov_early"');
    expect(late).toBeGreaterThan(0);
    expect(early).toBeGreaterThan(late);
    expect(changes).toContain('Earlier &lt;b&gt;returns&lt;/b&gt; change');
    expect(changes).toContain('fixed 2 of 3 conversations');
    expect(changes.slice(early)).toMatch(
      /<strong>improved<\/strong>\s*<div class="muted">Resolution rate 50% → 60%: improved.<\/div>/,
    );
    expect(changes.slice(late, early)).toContain('not checked yet');
  });

  it('switches accounts with the selector and refuses an account it does not run', async () => {
    const a = await get('/');
    expect(a.body).toMatch(/href="\/\?account=store-a"\s+aria-current="page"/);
    const b = await get('/?account=store-b');
    expect(b.statusCode).toBe(200);
    expect(b.body).toContain('Store B change');
    expect(b.body).toContain('No metric points yet');
    expect(b.body).toContain('No synthesis has run for this account yet.');
    expect((await get('/?account=store-z')).statusCode).toBe(404);
  });

  it("marks a proposal's own change in red on its page and the same target's others", async () => {
    const res = await get('/proposals/p_ov_late');
    expect(res.statusCode).toBe(200);
    const trend = res.body.slice(res.body.indexOf('aria-label="Trend"'));
    expect(markersOf(trend)).toEqual([
      expect.objectContaining({ href: '/proposals/p_ov_early', current: false }),
      expect.objectContaining({ href: '/proposals/p_ov_late', current: true }),
    ]);
    expect(trend).toMatch(/Earlier &lt;b&gt;returns&lt;\/b&gt; change<\/a>[\s\S]*?same target/);
    expect(res.body).toContain('Replay: fixed 2 of 3 conversations (no baseline to compare with).');
  });

  it("draws the conversations of a proposal's skill, found by its name in the reports", async () => {
    const { stores, agentConfig } = deployment.app.deps;
    const skill = (await agentConfig('store-a')).skills[0];
    if (skill === undefined) throw new Error('the sandbox agent has no skill');
    for (let day = 10; day >= 1; day -= 1) {
      await stores.reports.put('store-a', {
        kind: SKILL_VALUES_REPORT_KIND,
        windowStart: daysAgo(day),
        windowEnd: daysAgo(day - 1),
        data: {
          results: [
            { groupings: { skill: skill.name }, statistics: { volume: day % 2 === 0 ? 10 : 20 } },
            { groupings: { skill: 'some_other_skill' }, statistics: { volume: 70 } },
          ],
        },
      });
    }
    await stores.proposals.create(
      applied({
        id: 'p_ov_skill',
        title: 'Skill change',
        appliedAt: daysAgo(2),
        patch: { kind: 'skill.update', skillId: skill.id, changes: { description: 'New.' } },
      }),
    );
    const res = await get('/proposals/p_ov_skill');
    const trend = res.body.slice(res.body.indexOf('aria-label="Trend"'));
    expect(trend).toContain(`Bars: conversations of skill ${skill.displayName} (right axis)`);
    const heights = elementsNamed(svgIn(trend), 'rect').map((r) => Number(r.attributes['height']));
    expect(heights).toHaveLength(10);
    // Days alternate 10 and 20 of the skill's conversations (the account had 100 each day).
    expect(heights[1]).toBeCloseTo(2 * (heights[0] ?? 0), 0);
    expect(trend).toMatch(/<td>10<\/td>[\s\S]*<td>20<\/td>/);
    expect(trend).not.toContain('<td>100</td>');

    // The overview keeps the account's conversations.
    expect((await get('/')).body).toContain('<td>100</td>');
  });

  it("shows a pending proposal's page with the account's changes and no red marker", async () => {
    const res = await get('/proposals/p_ov_pending');
    const markers = markersOf(res.body);
    expect(markers.length).toBeGreaterThanOrEqual(2);
    expect(markers.some((m) => m.current)).toBe(false);
  });
});
