import { extractShopperNames, scrubPersonalData } from '../../domain/scrub.js';
import type { Proposal } from '../../domain/proposal.js';
import type { RegressionSuiteStore } from '../../store/regression-suite.js';
import type { SnapshotStore, StoredSnapshot } from '../../store/snapshots.js';
import { describePassing } from './replay-judge.js';
import type { ReplayDetail } from '../../domain/replay.js';
import { channelOf, shopperTurnsOf } from './verify.js';

/**
 * A verified fix grows the account's regression suite: every evidence conversation the verify
 * replay judged handled becomes a case, its shopper turns scrubbed of personal data, with what
 * passing means (the finding's category and topic). Later applies replay the suite
 * (regression-check.ts).
 */

export interface AddVerifiedCasesInput {
  /** The applied proposal that was verified. */
  proposal: Proposal;
  /**
   * The verify replay's per-conversation verdicts; only fixed ones become cases: `handled: true`,
   * and against a baseline, failed at it too (`outcome: 'fixed'`).
   */
  details: readonly Pick<
    ReplayDetail,
    'conversationId' | 'handled' | 'reason' | 'judge' | 'outcome'
  >[];
  stores: {
    snapshots: Pick<SnapshotStore, 'get'>;
    regressionSuite: Pick<RegressionSuiteStore, 'add'>;
  };
  /** The account's skills, to name the case's skill. */
  skills?: readonly { id: string; name: string }[];
  now: Date;
}

/** The shopper's turns with names, emails, phones, orders, cards and addresses replaced. */
function scrubbedTurns(snapshot: Pick<StoredSnapshot, 'messages'>): string[] {
  const names = extractShopperNames(
    snapshot.messages.map((m) => ({ role: m.attributes.role, content: m.attributes.content })),
  );
  return shopperTurnsOf(snapshot).map((turn) => scrubPersonalData(turn, { names }).text);
}

/** Adds the fixed conversations of a verified proposal; adding the same ones again adds none. */
export async function addVerifiedCases(
  input: AddVerifiedCasesInput,
): Promise<{ added: number; existing: number }> {
  const { proposal, now } = input;
  const { category, topic, skillId } = proposal.finding;
  const skillName = input.skills?.find((s) => s.id === skillId)?.name ?? null;
  let added = 0;
  let existing = 0;
  for (const detail of input.details) {
    const fixed =
      detail.outcome === undefined ? detail.handled === true : detail.outcome === 'fixed';
    if (!fixed) continue;
    const snapshot = await input.stores.snapshots.get(proposal.accountId, detail.conversationId);
    const turns = snapshot === null ? [] : scrubbedTurns(snapshot);
    if (snapshot === null || turns.length === 0) continue;
    const outcome = await input.stores.regressionSuite.add(proposal.accountId, {
      conversationId: detail.conversationId,
      fromProposalId: proposal.id,
      addedAt: now.toISOString(),
      category,
      topic,
      passing: describePassing(category, topic),
      skillId,
      skillName,
      channel: channelOf(snapshot) ?? null,
      shopperTurns: turns,
      // The regression check judges by the rules, so only a rules verdict counts as "passed
      // before"; a Claude verdict leaves it to the first check.
      lastResult:
        detail.judge === 'rules'
          ? { passed: true, at: now.toISOString(), reason: detail.reason }
          : null,
    });
    if (outcome === 'added') added += 1;
    else existing += 1;
  }
  return { added, existing };
}
