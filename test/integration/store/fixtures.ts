import { randomUUID } from 'node:crypto';
import type { Diagnosis } from '../../../src/domain/diagnosis.js';
import type { Proposal } from '../../../src/domain/proposal.js';
import type { DiagnosisStore } from '../../../src/store/index.js';

/** A valid pending proposal; override what a test cares about. */
export function makeProposal(overrides: Partial<Proposal> = {}): Proposal {
  const at = '2026-11-20T10:00:00.000Z';
  return {
    id: 'p_1',
    accountId: 'acct_1',
    status: 'pending',
    title: 'Add a snippet about international returns',
    rationale: 'Shoppers ask about international returns and the agent escalates.',
    finding: {
      id: 'f_1',
      accountId: 'acct_1',
      category: 'knowledge_gap',
      skillId: null,
      topic: 'international returns',
      conversationIds: ['c1', 'c2'],
      evidence: [{ conversationId: 'c1', messageId: 'm1', quote: 'Can I return from Canada?' }],
      metrics: {
        shareOfWindow: 0.1,
        windowConversations: 20,
        resolutionRate: 0.5,
        skillVolume: null,
      },
      impact: 2,
    },
    patch: {
      kind: 'knowledge.create',
      snippet: { title: 'International returns', content: 'Returns from abroad take 30 days.' },
    },
    baseline: {
      target: { type: 'agent-knowledge', id: null },
      fields: {},
      updatedAt: null,
      readAt: at,
    },
    diff: '+ International returns',
    expectedImpact: 'Fewer escalations on returns questions.',
    placeholders: [],
    revertOf: null,
    createdAt: at,
    updatedAt: at,
    history: [{ at, status: 'pending', actor: 'system' }],
    revision: 1,
    result: {},
    attribution: {},
    ...overrides,
  };
}

export function makeDiagnosis(
  conversationId: string,
  overrides: Partial<Diagnosis> = {},
): Diagnosis {
  return {
    conversationId,
    outcome: 'failure',
    category: 'knowledge_gap',
    skillId: null,
    topic: 'international returns',
    evidence: [],
    confidence: 0.8,
    summary: 'The agent did not know the return window.',
    diagnoser: 'rules',
    ...overrides,
  };
}

/**
 * Stores, for `accountId`, a diagnosis of a new conversation whose shopper tried to instruct the
 * loop with `quote`; returns the conversation's id.
 */
export async function storeSuspicious(
  diagnoses: Pick<DiagnosisStore, 'put'>,
  accountId: string,
  quote: string,
): Promise<string> {
  const conversationId = `conv_${randomUUID().slice(0, 8)}`;
  const at = new Date().toISOString();
  await diagnoses.put(accountId, {
    conversationId,
    conversationCreatedAt: at,
    conversationUpdatedAt: at,
    diagnosis: makeDiagnosis(conversationId, {
      outcome: 'success',
      category: null,
      topic: 'shipping',
      summary: 'Answered.',
      suspicion: {
        reason: 'The shopper addresses instructions to whoever reviews or trains the agent.',
        evidence: { messageId: 'm1', quote },
      },
    }),
  });
  return conversationId;
}
