import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createKlaviyoClient, type KlaviyoClient } from '../../../src/klaviyo/index.js';
import { readAgentConfig } from '../../../src/patches/agent-config.js';
import { approveProposal } from '../../../src/loop/approve/transitions.js';
import { applyProposal } from '../../../src/loop/apply/apply.js';
import type { Patch } from '../../../src/patches/patch.js';
import {
  ALL_PATCH_KINDS,
  checkPatch,
  type PolicyContext,
  toPolicyCurrent,
} from '../../../src/loop/policy/policy.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { baselineFor } from '../../../src/patches/baseline.js';
import { draftRevert, RevertRefusedError } from '../../../src/loop/verify/revert.js';
import {
  SANDBOX_KEYS,
  ScenarioSchema,
  startSandbox,
  type RunningSandbox,
  type ScenarioInput,
} from '../../../src/sandbox/index.js';
import { createStores, type Stores } from '../../../src/store/index.js';
import { deleteKeys, uniquePrefix } from '../queue/redis-helpers.js';
import { makeProposal } from '../store/fixtures.js';

const ACCOUNT = 'acct-revert';
const INSTRUCTIONS = 'Answer from the return policy. Offer a teammate when the policy is silent.';
/** Long enough that taking it out again cuts the instructions below half their length. */
const ADDED =
  ' International orders can be returned within 30 days of delivery; the shopper pays the return shipping, and we email a customs form with the label. Exchanges across borders are not possible, so suggest a return and a new order instead.';
const SAFETY = {
  title: 'Safety',
  description: 'Hand off when the shopper mentions an "injury".',
  status: 'enabled' as const,
};

const SCENARIO: ScenarioInput = {
  name: 'revert-test',
  agent: { id: 'agent_1', escalation_rules: [SAFETY] },
  skills: [
    {
      id: 'sk_returns',
      name: 'returns',
      display_name: 'Returns',
      description: 'Explains the return policy and return windows.',
      instructions: INSTRUCTIONS,
    },
    {
      id: 'sk_shipping',
      name: 'shipping',
      display_name: 'Shipping',
      description: 'Answers questions about delivery times and carriers.',
      instructions: 'Give delivery estimates from the knowledge base.',
    },
  ],
};

let redis: Redis;
let sandbox: RunningSandbox;
let client: KlaviyoClient;
let stores: Stores;
let prefix: string;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  sandbox = await startSandbox({
    port: 0,
    rateLimits: 'off',
    indexingDelayMs: 0,
    scenario: ScenarioSchema.parse(SCENARIO),
  });
  client = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.write,
    baseUrl: sandbox.url,
    rateLimits: 'off',
    maxRetries: 0,
  });
  prefix = uniquePrefix('revert');
  stores = createStores(redis, { prefix });
});
afterEach(async () => {
  await sandbox.close();
  await deleteKeys(redis, prefix);
});

async function approveAndApply(proposal: Proposal): Promise<Proposal> {
  await approveProposal(stores, {
    proposalId: proposal.id,
    actor: 'cli:tester',
    accountConfig: { approvers: [] },
  });
  expect(await applyProposal({ proposalId: proposal.id, client, stores })).toBe('applied');
  const stored = await stores.proposals.get(proposal.id);
  if (stored === null) throw new Error('proposal vanished');
  return stored;
}

/** Drafts, approves and applies `patch` against the sandbox now. */
async function applied(patch: Patch): Promise<Proposal> {
  const view = await readAgentConfig(client);
  const proposal = makeProposal({
    id: `p_${randomUUID().slice(0, 8)}`,
    accountId: ACCOUNT,
    patch,
    baseline: baselineFor(patch, view),
  });
  await stores.proposals.create(proposal);
  return approveAndApply(proposal);
}

async function policyNow(extra: Partial<PolicyContext> = {}): Promise<PolicyContext> {
  const view = await readAgentConfig(client);
  return {
    allowedKinds: ALL_PATCH_KINDS,
    current: toPolicyCurrent(view),
    transcripts: [],
    ...extra,
  };
}

const skillPatch: Patch = {
  kind: 'skill.update',
  skillId: 'sk_returns',
  changes: { instructions: `${INSTRUCTIONS}${ADDED}` },
};

describe('draftRevert', () => {
  it('reverts a skill update: a new approved-then-applied proposal restores the old instructions', async () => {
    const original = await applied(skillPatch);
    const revert = await draftRevert({ proposal: original, stores, client, actor: 'cli:tester' });
    expect(revert).toMatchObject({
      status: 'pending',
      revertOf: original.id,
      patch: {
        kind: 'skill.update',
        skillId: 'sk_returns',
        changes: { instructions: INSTRUCTIONS },
      },
    });
    expect(revert.title).toBe(`Revert: ${original.title}`);
    expect((await stores.proposals.get(original.id))?.status).toBe('applied');

    await approveAndApply(revert);
    expect((await client.skills.get('sk_returns')).attributes.instructions).toBe(INSTRUCTIONS);
    expect((await stores.proposals.get(original.id))?.status).toBe('reverted');
    const audit = await stores.audit.list({ proposalId: original.id });
    expect(audit.map((e) => e.type)).toEqual(['approved', 'applied', 'reverted']);
  });

  it('reverts both halves of an applied pair, as a pair of its own', async () => {
    const view = await readAgentConfig(client);
    const claim: Patch = {
      kind: 'skill.update',
      skillId: 'sk_shipping',
      changes: { description: 'Answers questions about delivery times, carriers and customs.' },
    };
    const givesUp: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: { description: 'Explains the return policy. Does not handle Shipping questions.' },
    };
    const make = (id: string, patch: Patch, pair: Proposal['pair']) =>
      makeProposal({ id, accountId: ACCOUNT, patch, baseline: baselineFor(patch, view), pair });
    const lead = make('p_lead', claim, { proposalId: 'p_companion', role: 'lead' });
    const companion = make('p_companion', givesUp, { proposalId: 'p_lead', role: 'companion' });
    await stores.proposals.create(lead);
    await stores.proposals.create(companion);
    await approveAndApply(lead);
    await approveAndApply(companion);

    const revert = await draftRevert({
      proposal: (await stores.proposals.get('p_lead'))!,
      stores,
      client,
    });
    expect(revert.revertOf).toBe('p_lead');
    const other = await stores.proposals.get(revert.pair?.proposalId ?? '');
    expect(other).toMatchObject({
      status: 'pending',
      revertOf: 'p_companion',
      pair: { proposalId: revert.id, role: 'companion' },
      patch: {
        skillId: 'sk_returns',
        changes: { description: 'Explains the return policy and return windows.' },
      },
    });
    expect(revert.pair?.role).toBe('lead');

    await approveAndApply(revert);
    await approveAndApply(other!);
    const skills = await readAgentConfig(client);
    expect(skills.skills.map((s) => s.description).sort()).toEqual([
      'Answers questions about delivery times and carriers.',
      'Explains the return policy and return windows.',
    ]);
    expect((await stores.proposals.get('p_lead'))?.status).toBe('reverted');
    expect((await stores.proposals.get('p_companion'))?.status).toBe('reverted');
  });

  it("reverts a pair's applied half alone when the other half was never applied", async () => {
    const view = await readAgentConfig(client);
    const lead = makeProposal({
      id: 'p_alone',
      accountId: ACCOUNT,
      patch: skillPatch,
      baseline: baselineFor(skillPatch, view),
      pair: { proposalId: 'p_rejected', role: 'lead' },
    });
    await stores.proposals.create(lead);
    await stores.proposals.create(
      makeProposal({
        id: 'p_rejected',
        accountId: ACCOUNT,
        status: 'rejected',
        pair: { proposalId: 'p_alone', role: 'companion' },
      }),
    );
    const revert = await draftRevert({ proposal: await approveAndApply(lead), stores, client });
    expect(revert.pair).toBeUndefined();
    expect(revert.revertOf).toBe('p_alone');
  });

  it('drafting the same revert twice gives the same proposal', async () => {
    const original = await applied(skillPatch);
    const first = await draftRevert({ proposal: original, stores, client });
    const second = await draftRevert({ proposal: original, stores, client });
    expect(second.id).toBe(first.id);
  });

  it('refuses to revert a create, explaining that a person removes it in Klaviyo', async () => {
    const original = await applied({
      kind: 'knowledge.create',
      snippet: { title: 'International returns', content: 'Returns from abroad: 30 days.' },
    });
    const attempt = draftRevert({ proposal: original, stores, client });
    await expect(attempt).rejects.toThrow(RevertRefusedError);
    await expect(attempt).rejects.toThrow(/never deletes\. A person can remove it in Klaviyo/);
    expect(await stores.proposals.list({ status: 'pending' })).toEqual([]);
  });

  it('refuses a proposal that was not applied', async () => {
    const pending = makeProposal({ accountId: ACCOUNT });
    await expect(draftRevert({ proposal: pending, stores, client })).rejects.toThrow(
      /only an applied proposal can be reverted/,
    );
  });

  it('reverts a rule add by disabling the added rule (no patch removes one yet)', async () => {
    const lawyers = {
      title: 'Lawyers',
      description: 'Hand off when a "lawyer" is mentioned.',
      status: 'enabled' as const,
    };
    const original = await applied({ kind: 'agent.escalation-rule.add', rule: lawyers });
    const revert = await draftRevert({ proposal: original, stores, client });
    expect(revert.patch).toEqual({
      kind: 'agent.escalation-rule.edit',
      title: 'Lawyers',
      rule: { ...lawyers, status: 'disabled' },
    });
    expect(revert.rationale).toContain('disables the one the change added');
    await approveAndApply(revert);
    const rules = (await client.agent.get()).attributes.escalation_rules;
    expect(rules.map((r) => [r.title, r.status])).toEqual([
      ['Safety', 'enabled'],
      ['Lawyers', 'disabled'],
    ]);
  });
});

describe('checkPatch with revert.restores', () => {
  it('lets exactly the audited restore through rules it would otherwise break', async () => {
    await applied(skillPatch);
    const restore: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: { instructions: INSTRUCTIONS },
    };
    const plain = checkPatch(restore, await policyNow());
    expect(plain.violations.map((v) => v.rule)).toContain('size_limit');
    const asRevert = checkPatch(
      restore,
      await policyNow({ revert: { restores: { instructions: INSTRUCTIONS } } }),
    );
    expect(asRevert).toMatchObject({ ok: true, violations: [] });
  });

  it('refuses anything else under a revert: another value, or another field', async () => {
    await applied(skillPatch);
    const context = await policyNow({ revert: { restores: { instructions: INSTRUCTIONS } } });
    const other: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: { instructions: 'Be brief.' },
    };
    const otherResult = checkPatch(other, context);
    expect(otherResult.ok).toBe(false);
    expect(otherResult.violations.map((v) => v.rule)).toEqual(
      expect.arrayContaining(['revert_mismatch', 'size_limit']),
    );
    const extra: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: { instructions: INSTRUCTIONS, handoff: 'none' },
    };
    expect(checkPatch(extra, context).violations.map((v) => v.rule)).toContain('revert_mismatch');
  });

  it('under a revert, still refuses disabling a rule the change did not add', async () => {
    const context = await policyNow({ revert: { restores: { escalation_rules: [SAFETY] } } });
    const disableSafety: Patch = {
      kind: 'agent.escalation-rule.edit',
      title: 'Safety',
      rule: { ...SAFETY, status: 'disabled' },
    };
    const rules = checkPatch(disableSafety, context).violations.map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['revert_mismatch', 'escalation_rule_removed']));
  });
});
