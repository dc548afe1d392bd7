import { asRequestItem } from '../contract/support/drive-config.js';
import { describe, expect, inject, it } from 'vitest';
import { demoFills } from '../../cli/demo-fills.js';
import { createKlaviyoClient, type KlaviyoClient } from '../../src/klaviyo/index.js';
import type { Proposal } from '../../src/domain/proposal.js';
import {
  generateDemoScenario,
  SANDBOX_KEYS,
  type RunningSandbox,
} from '../../src/sandbox/index.js';
import { runCli, scratchDir } from './support/cli.js';
import {
  approveAndQueueApply,
  cycle,
  proposalsOf,
  sandboxAndLoopPerTest,
  settled,
  statusesOf,
  type LoopHarness,
} from './support/cycle.js';

/**
 * The configuration changed by someone else between draft and apply, end to end: the loop drafts
 * proposals from the store's conversations, a person edits the same thing directly through the
 * API, the proposal is approved, and the apply job re-reads the target: `conflict`, and the other
 * person's edit is still there. An edit elsewhere does not block the apply.
 */

const NOW = new Date();
const STORE = generateDemoScenario({ seed: 7, now: NOW, conversations: 60 });
const THEIRS = 'Edited by a teammate in Klaviyo while the proposal waited.';

type SkillPatch = Extract<Proposal['patch'], { kind: 'skill.update' }>;
type RulePatch = Extract<Proposal['patch'], { kind: 'agent.escalation-rule.edit' }>;

const start = sandboxAndLoopPerTest();

/** The sandbox with the demo's flows, the loop on it, one cycle run, and a teammate's client. */
async function drafted(): Promise<{
  h: LoopHarness;
  api: RunningSandbox;
  teammate: KlaviyoClient;
}> {
  const { sandbox, loop } = await start({ scenario: STORE, rateLimits: 'off' });
  await cycle(loop, 31, NOW);
  const teammate = createKlaviyoClient({
    apiKey: SANDBOX_KEYS.write,
    baseUrl: sandbox.url,
    rateLimits: 'off',
  });
  return { h: loop, api: sandbox, teammate };
}

/** A drafted skill edit without placeholders, and the one field it changes. */
async function skillEdit(h: LoopHarness): Promise<{ proposal: Proposal; patch: SkillPatch }> {
  const proposal = (await proposalsOf(h)).find(
    (p) => p.patch.kind === 'skill.update' && p.placeholders.length === 0,
  );
  if (proposal?.patch.kind !== 'skill.update') throw new Error('the loop drafted no skill edit');
  expect(Object.keys(proposal.patch.changes)).toHaveLength(1);
  return { proposal, patch: proposal.patch };
}

/** `agent-trainer proposals approve <id> --now --json …` as a real CLI process on the loop's store. */
async function cliApprove(h: LoopHarness, api: RunningSandbox, id: string, args: string[]) {
  const scratch = await scratchDir();
  try {
    const accounts = await scratch.file(
      'accounts.json',
      JSON.stringify({
        accounts: [
          {
            id: h.accountId,
            baseUrl: api.url,
            readKeyEnv: 'FAULTS_READ_KEY',
            writeKeyEnv: 'FAULTS_WRITE_KEY',
          },
        ],
      }),
    );
    return await runCli(['proposals', 'approve', id, '--now', '--json', ...args], {
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: h.prefix,
      ACCOUNTS_FILE: accounts,
      FAULTS_READ_KEY: SANDBOX_KEYS.read,
      FAULTS_WRITE_KEY: SANDBOX_KEYS.write,
    });
  } finally {
    await scratch.cleanup();
  }
}

const touched = (patch: SkillPatch): 'description' | 'instructions' =>
  'description' in patch.changes ? 'description' : 'instructions';

describe('changed by someone else between draft and apply', () => {
  it('a skill field: conflict when approved from the CLI, and the teammate’s text stays', async () => {
    const { h, api, teammate } = await drafted();
    const { proposal, patch } = await skillEdit(h);
    const field = touched(patch);
    const current = (await teammate.skills.get(patch.skillId)).attributes[field];
    const theirs = `${current} ${THEIRS}`;
    await teammate.skills.update(patch.skillId, { [field]: theirs });

    const approve = await cliApprove(h, api, proposal.id, ['--as', 'cli:alice']);
    expect(approve.code, approve.stderr).toBe(0);
    const shown = JSON.parse(approve.stdout) as Proposal;
    expect(shown.status).toBe('conflict');
    expect(shown.result.error).toContain(`changed since the proposal was drafted (${field})`);

    expect((await teammate.skills.get(patch.skillId)).attributes[field]).toBe(theirs);
    // The teammate's PATCH is the only one the API received.
    expect(statusesOf(api, 'update_agent_skill_beta')).toEqual({ '200': 1 });
    const audit = await h.app.deps.stores.audit.list({ proposalId: proposal.id });
    expect(audit.map((e) => e.type)).toEqual(['approved', 'conflict']);
    expect(audit[1]?.after).toMatchObject({ [field]: theirs });
  });

  it('an escalation rule: conflict through the apply job, and the teammate’s rule stays', async () => {
    const { h, api, teammate } = await drafted();
    const proposal = (await proposalsOf(h)).find(
      (p) => p.patch.kind === 'agent.escalation-rule.edit',
    );
    if (proposal?.patch.kind !== 'agent.escalation-rule.edit') {
      throw new Error('the loop drafted no escalation rule edit');
    }
    const patch: RulePatch = proposal.patch;
    const rules = (await teammate.agent.get()).attributes.escalation_rules.map(
      ({ title, description, status }) => asRequestItem({ title, description, status }),
    );
    const theirs = rules.map((r) =>
      r.title === patch.title ? { ...r, description: `${r.description} ${THEIRS}` } : r,
    );
    expect(theirs).not.toEqual(rules);
    await teammate.agent.update({ escalation_rules: theirs });

    await approveAndQueueApply(h, proposal, demoFills(proposal));
    const [result] = await settled(h, [proposal.id]);

    expect(result?.status).toBe('conflict');
    expect(result?.result.error).toContain(
      `"${patch.title}" changed since the proposal was drafted`,
    );
    const now = (await teammate.agent.get()).attributes.escalation_rules;
    expect(now.map(({ title, description, status }) => ({ title, description, status }))).toEqual(
      theirs,
    );
    expect(statusesOf(api, 'update_customer_agent_beta')).toEqual({ '200': 1 });
  });

  it('another field of the same skill: no conflict, both edits stand', async () => {
    const { h, teammate } = await drafted();
    const { proposal, patch } = await skillEdit(h);
    const field = touched(patch);
    const other = field === 'description' ? 'instructions' : 'description';
    const theirs = `${(await teammate.skills.get(patch.skillId)).attributes[other]} ${THEIRS}`;
    await teammate.skills.update(patch.skillId, { [other]: theirs });

    await approveAndQueueApply(h, proposal);
    const [result] = await settled(h, [proposal.id]);

    expect(result?.status).toBe('applied');
    const skill = (await teammate.skills.get(patch.skillId)).attributes;
    expect(skill[field]).toBe(patch.changes[field]);
    expect(skill[other]).toBe(theirs);
  });
});

describe('edited after an approver was shown it', () => {
  it('an approval of the revision shown is refused, nothing is written; the new revision applies', async () => {
    const { h, api, teammate } = await drafted();
    const { proposal, patch } = await skillEdit(h);
    const field = touched(patch);
    expect(proposal.revision).toBe(1); // what alice reads (`proposals show`, a page, a message)
    // Another approver edits the text before alice approves what she read.
    const bobs = `${patch.changes[field] ?? ''} Check the order number first.`;
    const edited = await h.app.decisions.edit({
      proposalId: proposal.id,
      actor: 'cli:bob',
      patch: { ...patch, changes: { [field]: bobs } },
      fills: {},
    });
    expect(edited?.revision).toBe(2);

    const stale = await cliApprove(h, api, proposal.id, ['--as', 'cli:alice', '--revision', '1']);
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(
      /changed since you saw it: you were shown revision 1, it is now revision 2/,
    );
    expect(stale.stderr).toContain('cli:bob');
    expect((await h.app.deps.stores.proposals.get(proposal.id))?.status).toBe('pending');
    expect(statusesOf(api, 'update_agent_skill_beta')).toEqual({});
    const audit = await h.app.deps.stores.audit.list({ proposalId: proposal.id });
    expect(audit.map((e) => [e.type, e.actor])).toEqual([['edited', 'cli:bob']]);

    const fresh = await cliApprove(h, api, proposal.id, ['--as', 'cli:alice', '--revision', '2']);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect((JSON.parse(fresh.stdout) as Proposal).status).toBe('applied');
    expect((await teammate.skills.get(patch.skillId)).attributes[field]).toBe(bobs);
    expect(statusesOf(api, 'update_agent_skill_beta')).toEqual({ '200': 1 });
  });
});
