import type { AgentContext } from '../../../src/llm/agent-context.js';
import { createLlmClient, type LlmClientOptions } from '../../../src/llm/client.js';
import type { FakeAnthropic } from '../../fakes/anthropic-server.js';
import type { ConversationSnapshot } from '../../../src/domain/snapshot.js';

export const TEST_KEY = 'sk-ant-test-0123456789';

export const TEST_MODELS = {
  diagnose: 'claude-haiku-4-5',
  draft: 'claude-sonnet-4-6',
  judge: 'claude-haiku-4-5',
} as const;

/** The real SDK-backed client pointed at the fake server, with fast retries. */
export function clientFor(fake: FakeAnthropic, overrides: Partial<LlmClientOptions> = {}) {
  return createLlmClient({
    apiKey: TEST_KEY,
    baseURL: fake.url,
    models: { ...TEST_MODELS },
    maxRetries: 2,
    timeoutMs: 10_000,
    ...overrides,
  });
}

export const AGENT_CONTEXT: AgentContext = {
  skills: [
    {
      id: 'sk_returns',
      name: 'Returns',
      description: 'Handles return requests.',
      handoff: 'offer',
      status: 'live',
    },
    {
      id: 'sk_orders',
      name: 'Order status',
      description: 'Where is my order.',
      handoff: 'none',
      status: 'live',
    },
  ],
  knowledge: [
    { id: 'kn_2', title: 'Shipping times' },
    { id: 'kn_1', title: 'Return policy (domestic)' },
  ],
  escalationRules: [
    {
      title: 'Damaged items',
      description: 'Escalate when an item arrived damaged.',
      status: 'enabled',
    },
  ],
  communicationStyles: [
    { title: 'No emojis', description: 'Never use emojis.', status: 'enabled' },
  ],
  tone: { preset: 'friendly', customInstruction: null },
};

/** A conversation snapshot shaped like the Klaviyo client's. */
export function snapshot(
  id: string,
  turns: [role: 'user' | 'agent', content: string][],
): ConversationSnapshot {
  const at = '2026-11-20T10:00:00Z';
  return {
    conversation: { id, attributes: { status: 'routed-to-team', created_at: at, updated_at: at } },
    messages: turns.map(([role, content], i) => ({
      id: `${id}-m${i + 1}`,
      attributes: { role, content, created_at: at, updated_at: at },
    })),
  } as unknown as ConversationSnapshot;
}

/** A valid answer for the diagnose tool. */
export function diagnosisAnswer(overrides: Record<string, unknown> = {}) {
  return {
    outcome: 'failure',
    category: 'knowledge_gap',
    skillId: 'sk_returns',
    topic: 'international returns',
    evidence: [],
    confidence: 0.8,
    summary: 'The agent did not know the international return window.',
    ...overrides,
  };
}
