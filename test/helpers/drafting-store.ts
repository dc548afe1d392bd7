import { expect } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import type { AgentConfigView } from '../../src/patches/agent-config.js';
import type { GuidanceItem, Patch } from '../../src/patches/patch.js';
import { ALL_PATCH_KINDS, checkPatch, toPolicyCurrent } from '../../src/loop/policy/policy.js';

/**
 * A one-skill store written in one language, for tests of what the rules drafter writes in the
 * store's language: the configuration as the drafter reads it, a finding on it, and the policy's
 * verdict on a draft.
 */

export interface Store {
  /** The skill's name as the store's language writes it ("Commandes", "Pedidos"). */
  skillName: string;
  skill: { description: string; instructions: string };
  snippet: { title: string; content: string };
  rule: GuidanceItem;
  style: GuidanceItem;
}

export function storeView(store: Store): AgentConfigView {
  return {
    readAt: '2026-11-21T00:00:00.000Z',
    agent: {
      id: 'agent_1',
      tone: { preset: 'friendly', custom_instruction: null },
      escalationRules: [store.rule],
      communicationStyles: [store.style],
      updatedAt: null,
      attributes: {},
    },
    skills: [
      {
        id: 'sk_orders',
        name: 'orders',
        displayName: store.skillName,
        ...store.skill,
        status: 'live',
        handoff: 'offer',
        toolIds: [],
        updatedAt: '2026-11-01T00:00:00Z',
        attributes: {},
      },
    ],
    knowledge: [
      {
        id: 'kn_1',
        sourceType: 'snippet',
        ...store.snippet,
        url: null,
        status: 'indexed',
        updatedAt: '2026-11-01T00:00:00Z',
        attributes: {},
      },
    ],
  };
}

/** A finding on the store's one skill. */
export function storeFinding(overrides: Partial<Finding> & { topic: string }): Finding {
  return {
    id: 'finding_1',
    accountId: 'acct',
    category: 'knowledge_gap',
    skillId: 'sk_orders',
    conversationIds: ['c1', 'c2', 'c3'],
    evidence: [],
    metrics: { shareOfWindow: 0.15, windowConversations: 20, resolutionRate: 0.6, skillVolume: 9 },
    impact: 4.8,
    ...overrides,
  };
}

/** Evidence quotes, one per conversation. */
export const quotes = (...texts: string[]) =>
  texts.map((quote, i) => ({ conversationId: `c${i}`, messageId: `m${i}`, quote }));

/** The policy passes the draft, its shoppers' own messages (in the store's language) included. */
export function expectPasses(patch: Patch, store: AgentConfigView, shoppers: string[]): void {
  const result = checkPatch(patch, {
    allowedKinds: ALL_PATCH_KINDS,
    current: toPolicyCurrent(store),
    transcripts: shoppers.map((content) => ({ role: 'user', content })),
  });
  expect(result.violations).toEqual([]);
}

export const textOf = (patch: Patch | undefined) => JSON.stringify(patch ?? null);
