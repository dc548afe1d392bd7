import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { readAgentConfig } from '../../../src/patches/agent-config.js';
import { QUEUE_NAMES } from '../../../src/queue/index.js';
import { hasChromium, launchBrowser } from '../../helpers/browser.js';
import { startDeployment, type Deployment } from '../../helpers/deployment.js';
import { makeProposal } from '../store/fixtures.js';

const ALICE = { username: 'alice', password: 'alice-secret' };
const ROOT = { username: 'root', password: 'root-secret' };

/**
 * The web UI in a real headless Chromium against the real server, workers and sandbox: an
 * approver opens the proposals list, fills a placeholder and approves; the change is applied to
 * the sandbox's agent and the audit log holds one approval. The queue dashboard renders its
 * queues. Skipped (with a note) only where no Chromium is installed; CI installs it.
 */
describe.skipIf(!hasChromium)('web UI in Chromium', () => {
  let deployment: Deployment;
  let app: App;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    deployment = await startDeployment({
      auth: {
        tokens: [],
        users: [
          { name: ALICE.username, password: ALICE.password },
          { name: ROOT.username, password: ROOT.password },
        ],
        admins: [ROOT.username],
      },
      env: { APPROVERS: 'web:alice' },
      workers: true,
      listen: true,
    });
    app = deployment.app;
    baseUrl = deployment.baseUrl ?? '';
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await deployment?.close();
  });

  it('approves a proposal from its page and the change reaches the agent once', async () => {
    const id = `p_${randomUUID().slice(0, 8)}`;
    const title = `Browser proposal ${id}`;
    await app.deps.stores.proposals.create(
      makeProposal({
        id,
        accountId: 'default',
        title,
        patch: {
          kind: 'knowledge.create',
          snippet: {
            title: `Gift wrapping ${id}`,
            content: 'Gift wrapping costs {{fill: gift wrap price}} per order.',
          },
        },
        placeholders: ['gift wrap price'],
      }),
    );
    const context = await browser.newContext({ baseURL: baseUrl, httpCredentials: ALICE });
    const page = await context.newPage();
    await page.goto('/proposals');
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByLabel('Fill: gift wrap price').first().fill('$4');
    await page.getByRole('button', { name: 'Approve and apply' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Approved');

    // The worker applies it; the page shows the outcome after a reload.
    await expect
      .poll(async () => (await app.deps.stores.proposals.get(id))?.status, { timeout: 20_000 })
      .toBe('applied');
    await page.reload();
    await expect.poll(() => page.locator('.status').first().textContent()).toBe('applied');
    await expect
      .poll(() => page.getByRole('region', { name: 'History' }).textContent())
      .toMatch(/approved\s*web:alice/);

    const agent = await readAgentConfig(app.deps.klaviyo('default', 'read'));
    const snippets = agent.knowledge.filter((k) => k.title === `Gift wrapping ${id}`);
    expect(snippets.map((k) => k.content)).toEqual(['Gift wrapping costs $4 per order.']);
    const audit = await app.deps.stores.audit.list({ proposalId: id });
    expect(audit.filter((a) => a.type === 'approved').map((a) => a.actor)).toEqual(['web:alice']);
    expect(audit.filter((a) => a.type === 'applied')).toHaveLength(1);
    await context.close();
  });

  it('renders the queue dashboard with every queue', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, httpCredentials: ALICE });
    const page = await context.newPage();
    await page.goto('/admin/queues');
    for (const name of QUEUE_NAMES) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
    }
    expect(await page.title()).not.toBe('');
    await context.close();
  });

  it('lets only an admin pause a queue from the dashboard page, which loads within its CSP', async () => {
    const pauseFrom = async (credentials: typeof ALICE) => {
      const context = await browser.newContext({ baseURL: baseUrl, httpCredentials: credentials });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto('/admin/queues/queue/pull');
      await page.getByText('pull', { exact: true }).first().waitFor({ timeout: 15_000 });
      // What the dashboard's Pause does: a same-origin PUT with the page's credentials.
      const status = await page.evaluate(async () => {
        const res = await fetch('/admin/queues/api/queues/pull/pause', { method: 'PUT' });
        return res.status;
      });
      await context.close();
      return { status, violations };
    };
    const alice = await pauseFrom(ALICE);
    expect(alice.status).toBe(403);
    expect(await app.queues.pull.isPaused()).toBe(false);
    const root = await pauseFrom(ROOT);
    expect(root.status).toBeLessThan(300);
    expect(await app.queues.pull.isPaused()).toBe(true);
    await app.queues.pull.resume();
    expect([...alice.violations, ...root.violations]).toEqual([]);
  });

  it.each([
    ['no credentials', undefined],
    ['a wrong password', { username: 'alice', password: 'guess' }],
  ])('shows nothing to a browser with %s', async (_label, httpCredentials) => {
    const context = await browser.newContext({
      baseURL: baseUrl,
      ...(httpCredentials ? { httpCredentials } : {}),
    });
    const page = await context.newPage();
    // Headless Chromium answers the Basic challenge with no (or the wrong) credentials by failing
    // the navigation; a 401 page would do as well. Either way no proposal is shown.
    const outcome = await page.goto('/proposals').then(
      (response) => `status ${response?.status()}`,
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/ERR_INVALID_AUTH_CREDENTIALS|status 401/);
    await context.close();
  });
});
