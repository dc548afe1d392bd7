import { randomUUID } from 'node:crypto';
import { formatProposal } from '../../../cli/format-proposal.js';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createKlaviyoClient, type KlaviyoClient } from '../../../src/klaviyo/index.js';
import { readAgentConfig } from '../../../src/patches/agent-config.js';
import { approveProposal } from '../../../src/loop/approve/transitions.js';
import { applyProposal, targetOf, type ApplyInput } from '../../../src/loop/apply/apply.js';
import type { Patch } from '../../../src/patches/patch.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import { baselineFor } from '../../../src/patches/baseline.js';
import { renderPatchDiff } from '../../../src/patches/render-diff.js';
import {
  SANDBOX_KEYS,
  ScenarioSchema,
  startSandbox,
  type RunningSandbox,
  type ScenarioInput,
} from '../../../src/sandbox/index.js';
import { createStores, ProposalStateError, type Stores } from '../../../src/store/index.js';
import { deleteKeys, uniquePrefix } from '../queue/redis-helpers.js';
import { makeProposal } from '../store/fixtures.js';

const ACCOUNT = 'acct-apply';
const OPERATOR = 'cli:tester';
const APPROVERS = { approvers: [] as string[] };
const INSTRUCTIONS = 'Answer from the return policy. Offer a teammate when the policy is silent.';

const SCENARIO: ScenarioInput = {
  name: 'apply-test',
  agent: {
    id: 'agent_1',
    escalation_rules: [
      {
        title: 'Safety',
        description: 'Hand off when the shopper mentions an "injury".',
        status: 'enabled',
      },
    ],
  },
  skills: [
    {
      id: 'sk_returns',
      name: 'returns',
      display_name: 'Returns',
      description: 'Explains the return policy and return windows.',
      instructions: INSTRUCTIONS,
    },
  ],
  knowledge: [
    {
      source_type: 'snippet',
      id: 'kn_policy',
      title: 'Return policy',
      content: 'Returns within 60 days.',
    },
  ],
};

const newInstructions = `${INSTRUCTIONS} International orders can be returned within 30 days.`;
const skillPatch: Patch = {
  kind: 'skill.update',
  skillId: 'sk_returns',
  changes: { instructions: newInstructions },
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
  prefix = uniquePrefix('apply');
  stores = createStores(redis, { prefix });
});
afterEach(async () => {
  await sandbox.close();
  await deleteKeys(redis, prefix);
});

/** Requests the sandbox received for an operation (any status). */
function calls(operation: string): number {
  return Object.values(sandbox.stats().byOperation[operation] ?? {}).reduce((a, b) => a + b, 0);
}

/** A pending proposal for `patch`, drafted against the sandbox's config now, stored. */
async function draft(patch: Patch, id = `p_${randomUUID().slice(0, 8)}`): Promise<Proposal> {
  const view = await readAgentConfig(client);
  const baseline = baselineFor(patch, view);
  const proposal = makeProposal({
    id,
    accountId: ACCOUNT,
    patch,
    baseline,
    diff: renderPatchDiff(patch, baseline),
    placeholders: [],
  });
  return (await stores.proposals.create(proposal)).proposal;
}

/**
 * `applyAnyway` for a second change to one target inside the first's attribution window: without
 * it, apply holds the second until the first's impact check (see attribution.test.ts).
 */
async function approved(patch: Patch, options: { applyAnyway?: boolean } = {}): Promise<Proposal> {
  const proposal = await draft(patch);
  return approveProposal(stores, {
    proposalId: proposal.id,
    actor: OPERATOR,
    accountConfig: APPROVERS,
    ...options,
  });
}

function apply(proposalId: string, extra: Partial<ApplyInput> = {}) {
  return applyProposal({ proposalId, client, stores, ...extra });
}

describe('applyProposal', () => {
  it('writes a skill update once and audits who approved, before and after', async () => {
    const proposal = await approved(skillPatch);
    expect(await apply(proposal.id)).toBe('applied');
    expect((await client.skills.get('sk_returns')).attributes.instructions).toBe(newInstructions);
    expect(calls('update_agent_skill_beta')).toBe(1);
    const stored = await stores.proposals.get(proposal.id);
    expect(stored?.status).toBe('applied');
    expect(stored?.result).toMatchObject({
      resourceId: 'sk_returns',
      appliedAt: expect.any(String),
    });
    const audit = await stores.audit.list({ proposalId: proposal.id });
    expect(audit.map((e) => e.type)).toEqual(['approved', 'applied']);
    expect(audit[1]).toMatchObject({
      before: { instructions: INSTRUCTIONS },
      after: { instructions: newInstructions },
      detail: expect.stringContaining(`approved by ${OPERATOR}`),
    });
    expect(await apply(proposal.id)).toBe('already-applied');
    expect(calls('update_agent_skill_beta')).toBe(1);
  });

  it('refuses a proposal nobody approved, writing nothing', async () => {
    const proposal = await draft(skillPatch);
    await expect(apply(proposal.id)).rejects.toThrow(ProposalStateError);
    expect(calls('update_agent_skill_beta')).toBe(0);
  });

  it('stops with conflict when the skill changed since the baseline, overwriting nothing', async () => {
    const proposal = await approved(skillPatch);
    const theirs = `${INSTRUCTIONS} Exchanges are free.`;
    await client.skills.update('sk_returns', { instructions: theirs });
    expect(await apply(proposal.id)).toBe('conflict');
    expect((await client.skills.get('sk_returns')).attributes.instructions).toBe(theirs);
    expect(calls('update_agent_skill_beta')).toBe(1);
    const stored = await stores.proposals.get(proposal.id);
    expect(stored?.result.error).toContain('changed since the proposal was drafted (instructions)');
    const conflict = (await stores.audit.list({ proposalId: proposal.id })).find(
      (e) => e.type === 'conflict',
    );
    expect(conflict).toMatchObject({
      before: { instructions: INSTRUCTIONS },
      after: { instructions: theirs },
    });
  });

  it('does not let updated_at alone decide: an unrelated field change still applies', async () => {
    const proposal = await approved(skillPatch);
    await client.skills.update('sk_returns', { description: 'Returns, exchanges and windows.' });
    expect(await apply(proposal.id)).toBe('applied');
  });

  it('finishes after a kill between the write and its record, without writing again', async () => {
    const proposal = await approved(skillPatch);
    const killed = apply(proposal.id, {
      owner: 'job-1',
      hooks: {
        afterWrite: () => {
          throw new Error('worker killed');
        },
      },
    });
    await expect(killed).rejects.toThrow('worker killed');
    expect((await stores.proposals.get(proposal.id))?.status).toBe('applying');
    expect(await apply(proposal.id, { owner: 'job-1' })).toBe('applied');
    expect(calls('update_agent_skill_beta')).toBe(1);
    expect((await stores.audit.list({ proposalId: proposal.id })).map((e) => e.type)).toEqual([
      'approved',
      'applied',
    ]);
  });

  it('finishes after a kill once the write was recorded, even from another worker', async () => {
    const proposal = await approved(skillPatch);
    const killed = apply(proposal.id, {
      owner: 'job-1',
      hooks: {
        afterLanded: () => {
          throw new Error('worker killed');
        },
      },
    });
    await expect(killed).rejects.toThrow('worker killed');
    expect(await apply(proposal.id, { owner: 'job-2' })).toBe('applied');
    expect(calls('update_agent_skill_beta')).toBe(1);
  });

  it('another attempt waits while the target is held, then finishes a stale claim by re-reading', async () => {
    const proposal = await approved(skillPatch);
    const kill = {
      afterWrite: () => {
        throw new Error('worker killed');
      },
    };
    await expect(apply(proposal.id, { owner: 'job-1', hooks: kill })).rejects.toThrow('killed');
    // An attempt of another proposal on the same skill holds the target now.
    const other = await stores.writeIntents.acquire(targetOf(proposal), { owner: 'job-9' });
    if (!other.ok) throw new Error('the target should be free');
    // It waits up to one lease length for the target, then gives up for the job to retry.
    const waiting = apply(proposal.id, { owner: 'job-2', leaseMs: 300 });
    await expect(waiting).rejects.toMatchObject({ code: 'proposal_busy', retryable: true });
    await stores.writeIntents.releaseLease(other.lease);
    // job-1's claim has an unknown outcome: job-2 re-reads, sees the write, and finishes.
    expect(await apply(proposal.id, { owner: 'job-2' })).toBe('applied');
    expect(calls('update_agent_skill_beta')).toBe(1);
  });

  it('ten concurrent approvals record one approval', async () => {
    const proposal = await draft(skillPatch);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        approveProposal(stores, {
          proposalId: proposal.id,
          actor: `cli:op${i}`,
          accountConfig: APPROVERS,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.every((r) => r.reason instanceof ProposalStateError)).toBe(true);
    const audit = await stores.audit.list({ proposalId: proposal.id });
    expect(audit.filter((e) => e.type === 'approved')).toHaveLength(1);
  });

  it('two concurrent applies write once', async () => {
    const proposal = await approved(skillPatch);
    const results = await Promise.allSettled([apply(proposal.id), apply(proposal.id)]);
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.code));
    expect(outcomes).toContain('applied');
    expect(outcomes.every((o) => ['applied', 'already-applied', 'proposal_busy'].includes(o))).toBe(
      true,
    );
    expect(await apply(proposal.id)).toBe('already-applied');
    expect(calls('update_agent_skill_beta')).toBe(1);
  });

  it('approves only once placeholders are filled, and writes the filled text', async () => {
    const withFill: Patch = {
      kind: 'skill.update',
      skillId: 'sk_returns',
      changes: {
        instructions: `${INSTRUCTIONS} International returns: {{fill: international return window}}.`,
      },
    };
    const proposal = await draft(withFill);
    const refused = approveProposal(stores, {
      proposalId: proposal.id,
      actor: OPERATOR,
      accountConfig: APPROVERS,
    });
    await expect(refused).rejects.toThrow(
      'Fill the placeholder "international return window" before approving this proposal.',
    );
    const ok = await approveProposal(stores, {
      proposalId: proposal.id,
      actor: OPERATOR,
      accountConfig: APPROVERS,
      fills: { 'international return window': '30 days from delivery' },
    });
    expect(ok.status).toBe('approved');
    expect(await apply(proposal.id)).toBe('applied');
    expect((await client.skills.get('sk_returns')).attributes.instructions).toBe(
      `${INSTRUCTIONS} International returns: 30 days from delivery.`,
    );
  });

  it('a create adopts an identical existing snippet instead of duplicating it', async () => {
    const snippet = { title: 'International returns', content: 'Returns from abroad: 30 days.' };
    const proposal = await approved({ kind: 'knowledge.create', snippet });
    const existing = await client.knowledge.create({ source_type: 'snippet', ...snippet });
    expect(await apply(proposal.id)).toBe('applied');
    expect(calls('create_agent_knowledge_beta')).toBe(1);
    expect((await stores.proposals.get(proposal.id))?.result.resourceId).toBe(existing.id);
  });

  it('a create writes the snippet when none exists', async () => {
    const snippet = { title: 'International returns', content: 'Returns from abroad: 30 days.' };
    const proposal = await approved({ kind: 'knowledge.create', snippet });
    expect(await apply(proposal.id)).toBe('applied');
    const id = (await stores.proposals.get(proposal.id))?.result.resourceId ?? '';
    expect((await client.knowledge.get(id)).attributes.source).toMatchObject(snippet);
  });

  it('adds an escalation rule by writing the whole list built from the current one', async () => {
    const rule = {
      title: 'Lawyers',
      description: 'Hand off when a "lawyer" is mentioned.',
      status: 'enabled' as const,
    };
    const proposal = await approved({ kind: 'agent.escalation-rule.add', rule });
    expect(await apply(proposal.id)).toBe('applied');
    const rules = (await client.agent.get()).attributes.escalation_rules;
    expect(rules.map((r) => r.title)).toEqual(['Safety', 'Lawyers']);
  });

  it('fails with the API detail when the target is gone', async () => {
    const proposal = await approved(skillPatch);
    await client.skills.delete('sk_returns');
    expect(await apply(proposal.id)).toBe('failed');
    const stored = await stores.proposals.get(proposal.id);
    expect(stored?.result.error).toMatch(/not found \(404\)/);
    expect(calls('update_agent_skill_beta')).toBe(0);
  });
});

describe('applyProposal: escalation rules are judged by the one rule a patch touches', () => {
  const safety = {
    title: 'Safety',
    description: 'Hand off when the shopper mentions an "injury".',
    status: 'enabled' as const,
  };
  const lawyers = {
    title: 'Lawyers',
    description: 'Hand off when a "lawyer" is mentioned.',
    status: 'enabled' as const,
  };
  const safetyEdited = {
    ...safety,
    description: 'Hand off when the shopper mentions an "injury" or a "burn".',
  };
  const addLawyers: Patch = { kind: 'agent.escalation-rule.add', rule: lawyers };
  const editSafety: Patch = {
    kind: 'agent.escalation-rule.edit',
    title: 'Safety',
    rule: safetyEdited,
  };

  const rules = async () => (await client.agent.get()).attributes.escalation_rules;
  const rulesNow = async () =>
    (await rules()).map(({ title, description, status }) => ({ title, description, status }));

  it('applies an add and an edit of another rule approved together, keeping both', async () => {
    const add = await approved(addLawyers);
    const edit = await approved(editSafety, { applyAnyway: true });
    expect(await apply(add.id)).toBe('applied');
    expect(await apply(edit.id)).toBe('applied');
    expect(await rulesNow()).toEqual([safetyEdited, lawyers]);
    expect(calls('update_customer_agent_beta')).toBe(2);
    // The audit records the list as read at write time and as written, not the drafted one.
    const audit = (await stores.audit.list({ proposalId: edit.id })).find(
      (e) => e.type === 'applied',
    );
    expect(audit).toMatchObject({
      before: { escalation_rules: [safety, lawyers] },
      after: { escalation_rules: [safetyEdited, lawyers] },
    });
  });

  it('stops with conflict when someone else changed the rule an edit targets', async () => {
    const edit = await approved(editSafety);
    const theirs = { ...safety, description: 'Hand off on any mention of an "accident".' };
    await client.agent.update({ escalation_rules: [theirs] });
    expect(await apply(edit.id)).toBe('conflict');
    expect(await rulesNow()).toEqual([theirs]);
    expect(calls('update_customer_agent_beta')).toBe(1);
    const stored = await stores.proposals.get(edit.id);
    expect(stored?.result.error).toContain(
      'has the escalation rule "Safety" changed since the proposal was drafted',
    );
  });

  it('stops with conflict when an edit targets a rule someone else removed', async () => {
    const edit = await approved(editSafety);
    await client.agent.update({ escalation_rules: [lawyers] });
    expect(await apply(edit.id)).toBe('conflict');
    expect(await rulesNow()).toEqual([lawyers]);
    expect((await stores.proposals.get(edit.id))?.result.error).toContain(
      'no longer has the escalation rule "Safety"',
    );
  });

  it('stops with conflict when a rule of the added title appeared with other text', async () => {
    const add = await approved(addLawyers);
    const theirs = { ...lawyers, description: 'Hand off when "legal action" is mentioned.' };
    await client.agent.update({ escalation_rules: [safety, theirs] });
    expect(await apply(add.id)).toBe('conflict');
    expect(await rulesNow()).toEqual([safety, theirs]);
    expect(calls('update_customer_agent_beta')).toBe(1);
    expect((await stores.proposals.get(add.id))?.result.error).toContain(
      'already has an escalation rule "Lawyers" with other content',
    );
  });

  it('an add adopts an identical rule already in place, writing nothing', async () => {
    const add = await approved(addLawyers);
    await client.agent.update({ escalation_rules: [safety, lawyers] });
    expect(await apply(add.id)).toBe('applied');
    expect(calls('update_customer_agent_beta')).toBe(1);
    expect(await rulesNow()).toEqual([safety, lawyers]);
  });

  it('finishes a rule add after a kill between the write and its record, writing once', async () => {
    const add = await approved(addLawyers);
    const killed = apply(add.id, {
      owner: 'job-1',
      hooks: {
        afterWrite: () => {
          throw new Error('worker killed');
        },
      },
    });
    await expect(killed).rejects.toThrow('worker killed');
    expect(calls('update_customer_agent_beta')).toBe(1);
    // Someone edits another rule before the retry: the added rule is still seen in place.
    const other = { ...safety, status: 'disabled' as const };
    await client.agent.update({ escalation_rules: [other, lawyers] });
    expect(await apply(add.id, { owner: 'job-1' })).toBe('applied');
    expect(calls('update_customer_agent_beta')).toBe(2);
    expect(await rulesNow()).toEqual([other, lawyers]);
    const audit = await stores.audit.list({ proposalId: add.id });
    expect(audit.map((e) => e.type)).toEqual(['approved', 'applied']);
    expect(audit[1]).toMatchObject({
      before: { escalation_rules: [other] },
      after: { escalation_rules: [other, lawyers] },
    });
  });

  it('finishes a rule edit after a kill once the write was recorded, writing once', async () => {
    const edit = await approved(editSafety);
    const killed = apply(edit.id, {
      owner: 'job-1',
      hooks: {
        afterLanded: () => {
          throw new Error('worker killed');
        },
      },
    });
    await expect(killed).rejects.toThrow('worker killed');
    expect(await apply(edit.id, { owner: 'job-2' })).toBe('applied');
    expect(calls('update_customer_agent_beta')).toBe(1);
    const audit = (await stores.audit.list({ proposalId: edit.id })).find(
      (e) => e.type === 'applied',
    );
    expect(audit).toMatchObject({
      before: { escalation_rules: [safety] },
      after: { escalation_rules: [safetyEdited] },
    });
  });
});

describe('applyProposal under concurrency', () => {
  /** The sandbox's client, whose skill reads wait until `open()`; `reading` resolves on the first. */
  function heldReads() {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reached: () => void = () => undefined;
    const reading = new Promise<void>((resolve) => (reached = resolve));
    const skills = {
      ...client.skills,
      get: async (id: string) => {
        reached();
        await gate;
        return client.skills.get(id);
      },
    };
    return { client: { ...client, skills }, reading, open };
  }

  const appendLine = (line: string): Patch => ({
    kind: 'skill.update',
    skillId: 'sk_returns',
    changes: { instructions: `${INSTRUCTIONS}\n\n${line}` },
  });
  const instructionsNow = async () =>
    (await client.skills.get('sk_returns')).attributes.instructions;

  it('the same job delivered twice at once writes once', async () => {
    const proposal = await approved(skillPatch);
    const results = await Promise.allSettled([
      apply(proposal.id, { owner: 'job-1' }),
      apply(proposal.id, { owner: 'job-1' }),
    ]);
    // The second attempt waits for the first to let go of the target, then finds it applied.
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.code));
    expect(outcomes.sort()).toEqual(['already-applied', 'applied']);
    expect(await apply(proposal.id, { owner: 'job-1' })).toBe('already-applied');
    expect(calls('update_agent_skill_beta')).toBe(1);
  });

  it('a stalled attempt never writes after a newer one claimed the target', async () => {
    const proposal = await approved(skillPatch);
    const held = heldReads();
    const stalled = apply(proposal.id, { owner: 'job-1', client: held.client });
    await held.reading;
    // The stalled attempt's lease runs out (its process froze): a redelivery of the job claims.
    await redis.del(`${prefix}:{control}:target-lease:${targetOf(proposal)}`);
    expect(await apply(proposal.id, { owner: 'job-1' })).toBe('applied');
    held.open();
    await expect(stalled).rejects.toMatchObject({ code: 'apply_stopped', retryable: true });
    expect(calls('update_agent_skill_beta')).toBe(1);
    const audit = await stores.audit.list({ proposalId: proposal.id });
    expect(audit.map((e) => e.type)).toEqual(['approved', 'applied']);
  });

  it('an aborted job stops before writing; its retry writes once', async () => {
    const proposal = await approved(skillPatch);
    const held = heldReads();
    const abort = new AbortController();
    const running = apply(proposal.id, {
      owner: 'job-1',
      client: held.client,
      signal: abort.signal,
    });
    await held.reading;
    abort.abort('the job lock was lost');
    held.open();
    await expect(running).rejects.toMatchObject({ code: 'apply_stopped' });
    expect(calls('update_agent_skill_beta')).toBe(0);
    expect((await stores.proposals.get(proposal.id))?.status).toBe('applying');
    expect(await apply(proposal.id, { owner: 'job-1' })).toBe('applied');
    expect(calls('update_agent_skill_beta')).toBe(1);
  });

  it('two proposals appending lines to the same instructions, applied at once: both lines stay', async () => {
    const anyway = { applyAnyway: true };
    const first = await approved(appendLine('Exchanges are free within 14 days.'), anyway);
    const second = await approved(appendLine('Gift returns get store credit.'), anyway);
    const ids = [first.id, second.id];
    // The one that finds the target held waits for it, then re-reads and applies on top.
    expect(await Promise.all(ids.map((id) => apply(id)))).toEqual(['applied', 'applied']);
    const text = await instructionsNow();
    expect(text.startsWith(`${INSTRUCTIONS}\n\n`)).toBe(true);
    expect(text).toContain('Exchanges are free within 14 days.');
    expect(text).toContain('Gift returns get store credit.');
    const stored = await Promise.all(ids.map((id) => stores.proposals.get(id)));
    expect(stored.map((p) => p?.status)).toEqual(['applied', 'applied']);
    const onTop = await Promise.all(ids.map((id) => stores.audit.list({ proposalId: id })));
    const details = onTop.flat().filter((e) => e.type === 'applied');
    expect(details.filter((e) => e.detail?.includes('applied on top'))).toHaveLength(1);
    expect(calls('update_agent_skill_beta')).toBe(2);
  });

  it('a line appended on top of a text whose drafted lines were edited is a conflict', async () => {
    const proposal = await approved(appendLine('Exchanges are free within 14 days.'));
    const theirs = INSTRUCTIONS.replace('return policy', 'returns page');
    await client.skills.update('sk_returns', { instructions: `${theirs}\n\nTheir line.` });
    expect(await apply(proposal.id)).toBe('conflict');
    expect(await instructionsNow()).toBe(`${theirs}\n\nTheir line.`);
  });

  it('an unknown outcome on a target changed since is recorded as "may have been written"', async () => {
    const proposal = await approved(skillPatch);
    const kill = {
      afterWrite: () => {
        throw new Error('worker killed');
      },
    };
    await expect(apply(proposal.id, { owner: 'job-1', hooks: kill })).rejects.toThrow('killed');
    await client.skills.update('sk_returns', { instructions: 'Rewritten by a teammate.' });
    expect(await apply(proposal.id, { owner: 'job-1' })).toBe('conflict');
    const stored = await stores.proposals.get(proposal.id);
    expect(stored?.result.error).toContain('MAY HAVE BEEN WRITTEN');
    expect(stored?.result.error).toContain('checked: instructions');
    expect(stored?.result.error).not.toContain('nothing was written');
    // A person sees it: `proposals show` prints the status and the result.
    const shown = formatProposal(stored as Proposal);
    expect(shown).toContain('conflict');
    expect(shown).toContain('MAY HAVE BEEN WRITTEN');
    // The intent stays as the record that a write was sent.
    expect((await stores.writeIntents.get(proposal.id))?.state).toBe('claimed');
  });

  it("refuses an apply for another account's id, reading and writing nothing", async () => {
    const proposal = await approved(skillPatch);
    await expect(apply(proposal.id, { accountId: 'acct-other' })).rejects.toMatchObject({
      code: 'account_mismatch',
      retryable: false,
      message: expect.stringContaining(`belongs to account "${ACCOUNT}"`),
    });
    expect(calls('get_agent_skill_beta')).toBe(0);
    expect(calls('update_agent_skill_beta')).toBe(0);
    expect((await stores.proposals.get(proposal.id))?.status).toBe('approved');
  });
});
