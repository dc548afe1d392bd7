import { describe, expect, it } from 'vitest';
import { OFFER_TEXT, VAGUE_TEXT } from '../../../src/sandbox/agent-replies.js';
import { createAgent, type AgentSetup, type TurnEvent } from '../../../src/sandbox/agent.js';
import { ConfigError } from '../../../src/errors.js';
import { DEMO_FLOWS } from '../../../src/sandbox/demo-flows.js';
import {
  DEMO_CONVERSATIONS,
  DEMO_FIXES,
  MAX_DEMO_CONVERSATIONS,
  PLANTED_FAILURES,
  demoAgentSetup,
  demoGroundTruth,
  generateDemoScenario,
} from '../../../src/sandbox/demo-scenario.js';
import type { Scenario, ScenarioConversation } from '../../../src/sandbox/scenario.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const DAY = 86_400_000;
const scenario = generateDemoScenario({ seed: 42, now: NOW });
const truth = demoGroundTruth(scenario);

function conversation(id: string): ScenarioConversation {
  const found = scenario.conversations.find((c) => c.id === id);
  if (!found) throw new Error(`no conversation ${id}`);
  return found;
}

/** Replays the shopper turns of a conversation, like the verify step does in preview mode. */
function replay(setup: AgentSetup, source: ScenarioConversation) {
  const agent = createAgent(setup);
  const messages: { role: 'user' | 'agent'; content: string }[] = [];
  const turns: { skill: string | null; events: TurnEvent[] }[] = [];
  for (const message of source.messages.filter((m) => m.role === 'user')) {
    messages.push({ role: 'user', content: message.content });
    const outcome = agent.respond({ messages, channel: source.channel });
    turns.push({ skill: outcome.skill, events: outcome.events });
    for (const e of outcome.events)
      if (e.type === 'message') messages.push({ role: 'agent', content: e.content });
  }
  return turns;
}

const texts = (turns: { events: TurnEvent[] }[]) =>
  turns.flatMap((t) => t.events.flatMap((e) => (e.type === 'message' ? [e.content] : [])));
const handoffs = (turns: { events: TurnEvent[] }[]) =>
  turns.flatMap((t) => t.events.filter((e) => e.type === 'handoff'));

function withSkill(
  setup: AgentSetup,
  name: string,
  change: Partial<AgentSetup['skills'][number]>,
): AgentSetup {
  return { ...setup, skills: setup.skills.map((s) => (s.name === name ? { ...s, ...change } : s)) };
}

describe('generateDemoScenario', () => {
  it('is deterministic: the same seed and clock give the same JSON', () => {
    const again = generateDemoScenario({ seed: 42, now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(scenario));
    const other = generateDemoScenario({ seed: 7, now: NOW });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(scenario));
  });

  it('describes a store with 4–6 skills, 10+ knowledge items, rules and styles', () => {
    expect(scenario.skills.length).toBeGreaterThanOrEqual(4);
    expect(scenario.skills.length).toBeLessThanOrEqual(6);
    expect(scenario.knowledge.length).toBeGreaterThanOrEqual(10);
    expect(scenario.agent.escalation_rules.length).toBeGreaterThan(0);
    expect(scenario.agent.communication_styles.length).toBeGreaterThan(0);
  });

  it('has 300+ multi-turn conversations over the 30 days before now, mostly successes', () => {
    const { conversations } = scenario;
    expect(conversations.length).toBeGreaterThanOrEqual(300);
    for (const c of conversations) {
      const created = Date.parse(c.created_at);
      expect(created).toBeLessThan(NOW.getTime());
      expect(created).toBeGreaterThanOrEqual(NOW.getTime() - 30 * DAY);
    }
    const multiTurn = conversations.filter(
      (c) => c.messages.filter((m) => m.role === 'user').length > 1,
    );
    expect(multiTurn.length / conversations.length).toBeGreaterThan(0.8);
    const successes = conversations.filter((c) => c.labels.some((l) => l.startsWith('success')));
    expect(successes.length / conversations.length).toBeGreaterThan(0.6);
    const statuses = new Set(conversations.map((c) => c.status));
    expect([...statuses].sort()).toEqual(['closed', 'open', 'resolved-by-ai', 'routed-to-team']);
  });

  it('includes order numbers, emails and phone numbers in shopper text', () => {
    const shopperText = scenario.conversations.flatMap((c) =>
      c.messages.filter((m) => m.role === 'user').map((m) => m.content),
    );
    expect(shopperText.some((t) => /SP-\d{6}/.test(t))).toBe(true);
    expect(shopperText.some((t) => /[\w.]+@example\.com/.test(t))).toBe(true);
    expect(shopperText.some((t) => /\(555\) 01\d-\d{4}/.test(t))).toBe(true);
  });

  it('plants every failure pattern in at least ten conversations, listed in the ground truth', () => {
    for (const failure of PLANTED_FAILURES) {
      const ids = truth.conversations[failure];
      expect(ids.length, failure).toBeGreaterThanOrEqual(10);
      for (const id of ids) expect(conversation(id).labels).toContain(failure);
    }
  });
});

describe('generateDemoScenario at another size', () => {
  const SIZE = 1000;
  const large = generateDemoScenario({ seed: 42, now: NOW, conversations: SIZE });
  // The flow's own label comes first; the evaluation labels after it follow from it.
  const countByLabel = (s: Scenario) => {
    const counts = new Map<string, number>();
    for (const { labels } of s.conversations)
      if (labels[0]) counts.set(labels[0], (counts.get(labels[0]) ?? 0) + 1);
    return counts;
  };

  it('defaults to the demo itself, 343 conversations', () => {
    expect(DEMO_CONVERSATIONS).toBe(343);
    expect(scenario.conversations).toHaveLength(DEMO_CONVERSATIONS);
  });

  it('has exactly the asked count, with unique ids, spread over the 30 days before now', () => {
    expect(large.conversations).toHaveLength(SIZE);
    expect(new Set(large.conversations.map((c) => c.id)).size).toBe(SIZE);
    const created = large.conversations.map((c) => Date.parse(c.created_at));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(NOW.getTime() - 30 * DAY);
    expect(Math.max(...created)).toBeLessThan(NOW.getTime());
    // Every one of the 30 days holds some conversations, not just a corner of the window.
    const days = new Set(created.map((ms) => Math.floor((NOW.getTime() - ms) / DAY)));
    expect(days.size).toBe(30);
  });

  it("keeps every flow and failure kind in the demo's proportions", () => {
    const demo = countByLabel(scenario);
    const scaled = countByLabel(large);
    expect([...scaled.keys()].sort()).toEqual([...demo.keys()].sort());
    for (const failure of PLANTED_FAILURES) expect(scaled.get(failure), failure).toBeGreaterThan(0);
    for (const [label, count] of demo) {
      const expected = (count * SIZE) / DEMO_CONVERSATIONS;
      expect(Math.abs((scaled.get(label) ?? 0) - expected), label).toBeLessThanOrEqual(
        DEMO_FLOWS.filter((f) => f.label === label).length,
      );
    }
    const open = (s: Scenario) => s.conversations.filter((c) => c.status === 'open').length;
    expect(open(large)).toBeGreaterThan(open(scenario));
  });

  it('is deterministic by seed and size', () => {
    const again = generateDemoScenario({ seed: 42, now: NOW, conversations: SIZE });
    expect(JSON.stringify(again)).toBe(JSON.stringify(large));
    const otherSeed = generateDemoScenario({ seed: 7, now: NOW, conversations: SIZE });
    expect(otherSeed.conversations.map((c) => c.id)).not.toEqual(
      large.conversations.map((c) => c.id),
    );
  });

  it.each([0, -5, 2.5, MAX_DEMO_CONVERSATIONS + 1])('refuses %s conversations', (count) => {
    expect(() => generateDemoScenario({ conversations: count })).toThrow(ConfigError);
    expect(() => generateDemoScenario({ conversations: count })).toThrow(
      /conversations must be an integer from 1 to 100000/,
    );
  });
});

describe('planted failures agree with the sandbox agent', () => {
  const setup = demoAgentSetup(NOW.getTime());

  it('knowledge gap: replays answer vaguely before the snippet exists and from it afterwards', () => {
    const fixed: AgentSetup = {
      ...setup,
      knowledge: [...setup.knowledge, { id: 'kn_fix', ...DEMO_FIXES['knowledge-gap'].snippet }],
    };
    for (const id of truth.conversations['knowledge-gap']) {
      const before = replay(setup, conversation(id));
      expect(texts(before)[0]).toContain(VAGUE_TEXT);
      const after = replay(fixed, conversation(id));
      expect(texts(after)[0]).toContain('within 30 days of delivery');
      expect(texts(after).some((t) => t.includes(VAGUE_TEXT))).toBe(false);
      expect(handoffs(after)).toEqual([]);
    }
  });

  it('misrouted skill: warranty claims go to order status until its description is fixed', () => {
    const fix = DEMO_FIXES['misrouted-skill'];
    const fixed = withSkill(setup, fix.skill, { description: fix.description });
    for (const id of truth.conversations['misrouted-skill']) {
      expect(replay(setup, conversation(id))[0]?.skill).toBe(fix.wrongSkill);
      const after = replay(fixed, conversation(id));
      expect(after[0]?.skill).toBe(fix.skill);
      expect(texts(after)[0]).toContain('lifetime guarantee');
    }
  });

  it('human request ignored: the product skill refuses a person until its handoff is changed', () => {
    const fixed = withSkill(setup, 'product_qa', {
      handoff: DEMO_FIXES['human-request-ignored'].handoff,
    });
    for (const id of truth.conversations['human-request-ignored']) {
      expect(handoffs(replay(setup, conversation(id)))).toEqual([]);
      // With `offer`, the shopper is offered a person (at the vague answer or when asking).
      expect(handoffs(replay(fixed, conversation(id))).length).toBeGreaterThan(0);
    }
  });

  it('unnecessary escalation: refund questions escalate until the rule is disabled, then get answered', () => {
    const rule = DEMO_FIXES['unnecessary-escalation'].rule;
    const fixed: AgentSetup = {
      ...setup,
      escalationRules: setup.escalationRules.map((r) =>
        r.title === rule ? { ...r, status: 'disabled' } : r,
      ),
    };
    for (const id of truth.conversations['unnecessary-escalation']) {
      expect(handoffs(replay(setup, conversation(id)))[0]).toMatchObject({
        category: 'escalation-rule',
      });
      const after = replay(fixed, conversation(id));
      expect(handoffs(after)).toEqual([]);
      expect(texts(after)[0]).toContain('Refunds are issued within 2 business days');
    }
  });

  it('tone complaint: terse product answers lengthen once the instructions change', () => {
    const fixed = withSkill(setup, 'product_qa', {
      instructions: DEMO_FIXES['tone-complaint'].instructions,
    });
    for (const id of truth.conversations['tone-complaint']) {
      const shopper = conversation(id).messages.filter((m) => m.role === 'user');
      expect(shopper.some((m) => /curt|rude|blunt/i.test(m.content))).toBe(true);
      const [before] = texts(replay(setup, conversation(id)));
      const [after] = texts(replay(fixed, conversation(id)));
      expect((after ?? '').length).toBeGreaterThan((before ?? '').length);
    }
  });

  it('successful conversations replay without vague answers or handoffs', () => {
    const successes = scenario.conversations.filter((c) =>
      c.labels.some((l) => l.startsWith('success')),
    );
    for (const c of successes) {
      const turns = replay(setup, c);
      expect(
        texts(turns).some((t) => t.includes(VAGUE_TEXT) || t.includes(OFFER_TEXT)),
        c.id,
      ).toBe(false);
      expect(handoffs(turns), c.id).toEqual([]);
    }
  });

  it('stores the transcripts the agent actually produces', () => {
    const sample: Scenario['conversations'] = scenario.conversations.slice(0, 40);
    for (const c of sample) {
      const agentTexts = c.messages.filter((m) => m.role === 'agent').map((m) => m.content);
      expect(texts(replay(setup, c)).slice(0, agentTexts.length)).toEqual(agentTexts);
    }
  });
});

describe('the demo as a labelled store', () => {
  const scenario = generateDemoScenario({ seed: 7, now: new Date('2026-11-30T00:00:00Z') });

  it('labels every conversation with its outcome, and each planted failure with its pattern', () => {
    for (const { labels } of scenario.conversations) {
      const outcomes = labels.filter((l) => l.startsWith('outcome:'));
      expect(outcomes).toHaveLength(1);
      const planted = PLANTED_FAILURES.find((f) => labels[0] === f);
      if (planted) {
        expect(outcomes[0]).toBe('outcome:failure');
        expect(labels).toContain(`pattern:${planted}`);
        expect(labels.some((l) => l.startsWith('category:'))).toBe(true);
      } else expect(outcomes[0]).toBe('outcome:success');
    }
    expect(scenario.patterns.map((p) => p.id).sort()).toEqual([...PLANTED_FAILURES].sort());
  });
});
