import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../../../src/domain/diagnosis.js';
import { FindingSchema } from '../../../../src/domain/finding.js';
import { evidenceSummary } from '../../../../src/loop/synthesize/build-proposal.js';
import { groupFindings } from '../../../../src/loop/synthesize/findings.js';

const failure = (conversationId: string): Diagnosis => ({
  conversationId,
  outcome: 'failure',
  category: 'knowledge_gap',
  skillId: 'sk_returns',
  topic: 'international returns',
  evidence: [{ messageId: `${conversationId}-m1`, quote: `quote of ${conversationId}` }],
  confidence: 0.8,
  summary: 'The agent did not know.',
  diagnoser: 'rules',
});

describe('findings from a partly fetched window', () => {
  const input = {
    accountId: 'acct',
    windowConversations: 20,
    diagnoses: [failure('c1'), failure('c2'), failure('c3')],
  };

  it('record how much of the window the pull has not fetched yet', () => {
    const [finding] = groupFindings({ ...input, pendingConversations: 1700 });
    if (!finding) throw new Error('no finding');
    expect(finding.metrics).toMatchObject({ windowConversations: 20, pendingConversations: 1700 });
    expect(FindingSchema.safeParse(finding).success).toBe(true);
    expect(evidenceSummary(finding)).toContain(
      '15% of the 20 diagnosed so far, failures first (1700 more in the window not fetched yet)',
    );
  });

  it('say nothing of it once the whole window is in', () => {
    for (const pendingConversations of [0, undefined]) {
      const [finding] = groupFindings({ ...input, pendingConversations });
      if (!finding) throw new Error('no finding');
      expect(finding.metrics).not.toHaveProperty('pendingConversations');
      expect(evidenceSummary(finding)).toContain('15% of the 20 diagnosed in the window');
    }
  });
});
