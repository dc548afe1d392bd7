import type { Finding } from '../../domain/finding.js';
import type { Proposal } from '../../domain/proposal.js';
import type { ProposalStore } from '../../store/proposals.js';
import { DAY_MS } from '../../time.js';
import { normalizeTopic } from './findings.js';

/**
 * Learning from "no": a finding whose fix a person rejected is not proposed again for a while
 * (`cooldownDays`), unless it has grown (`regrowth` times the conversations it had when it was
 * rejected); and Claude's drafter is shown why the account's people rejected changes to the same
 * target, so it does not draft the same thing again.
 */

export interface RejectionMemory {
  /** Days a rejected finding is not proposed again. */
  cooldownDays: number;
  /** How many times its conversations at rejection a finding must reach to come back sooner. */
  regrowth: number;
}

export const DEFAULT_REJECTION_MEMORY: RejectionMemory = { cooldownDays: 30, regrowth: 2 };

/** A rejected proposal, as synthesis remembers it. */
export interface Rejection {
  proposalId: string;
  title: string;
  findingId: string;
  category: Finding['category'];
  skillId: string | null;
  topicKey: string;
  /** Conversations the finding had when it was rejected. */
  conversations: number;
  at: string;
  actor: string;
  reason: string | null;
}

/** How many rejected proposals are read per run (the newest). */
const MAX_REMEMBERED = 500;

function asRejection(proposal: Proposal): Rejection | null {
  const event = proposal.history.findLast((e) => e.status === 'rejected');
  if (event === undefined) return null;
  return {
    proposalId: proposal.id,
    title: proposal.title,
    findingId: proposal.finding.id,
    category: proposal.finding.category,
    skillId: proposal.finding.skillId,
    topicKey: normalizeTopic(proposal.finding.topic),
    conversations: proposal.finding.conversationIds.length,
    at: event.at,
    actor: event.actor,
    reason: event.note ?? null,
  };
}

/** The account's rejections within the cool-down, newest first. */
export async function recentRejections(
  proposals: Pick<ProposalStore, 'list'>,
  accountId: string,
  now: Date,
  memory: RejectionMemory,
): Promise<Rejection[]> {
  const since = now.getTime() - memory.cooldownDays * DAY_MS;
  const rejected = await proposals.list({ accountId, status: 'rejected', limit: MAX_REMEMBERED });
  return rejected
    .map(asRejection)
    .filter((r): r is Rejection => r !== null && Date.parse(r.at) > since)
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** The same subject: the same finding, or the same category and topic. */
function sameFinding(finding: Finding, rejection: Rejection): boolean {
  return (
    rejection.findingId === finding.id ||
    (rejection.category === finding.category &&
      rejection.topicKey === normalizeTopic(finding.topic))
  );
}

/**
 * Why a finding is not proposed again (rejected within the cool-down and not grown enough), or
 * null when it may be.
 */
export function stillRejected(
  finding: Finding,
  rejections: readonly Rejection[],
  memory: RejectionMemory,
): string | null {
  const last = rejections.find((r) => sameFinding(finding, r));
  if (last === undefined) return null;
  const needed = Math.ceil(last.conversations * memory.regrowth);
  if (finding.conversationIds.length >= needed) return null;
  const until = new Date(Date.parse(last.at) + memory.cooldownDays * DAY_MS).toISOString();
  const why = last.reason === null ? '' : ` ("${last.reason}")`;
  return `Rejected by ${last.actor} on ${last.at.slice(0, 10)}${why} (proposal ${last.proposalId}); proposed again after ${until.slice(0, 10)}, or once it reaches ${needed} conversations (it has ${finding.conversationIds.length}).`;
}

/** The reasons people gave for rejecting changes to what this finding would change, newest first. */
export function rejectionReasonsFor(finding: Finding, rejections: readonly Rejection[]): string[] {
  return rejections
    .filter(
      (r) =>
        r.reason !== null &&
        (sameFinding(finding, r) || (finding.skillId !== null && r.skillId === finding.skillId)),
    )
    .slice(0, 5)
    .map((r) => `"${r.title}" was rejected: ${r.reason ?? ''}`);
}
