import { AppError } from '../../errors.js';
import type { ProposalStore } from '../../store/proposals.js';
import {
  ProposalChangedError,
  ProposalNotFoundError,
  ProposalStateError,
} from '../../store/proposal-errors.js';
import { PatchSchema, type Patch, type PatchKind } from '../../patches/patch.js';
import { fillPlaceholders } from '../../domain/placeholders.js';
import { canApprove, checkPatch, type PolicyContext } from '../policy/policy.js';
import type { Proposal } from '../../domain/proposal.js';
import { renderPatchDiff, touchedFields } from '../../patches/render-diff.js';
import { DAY_MS } from '../../time.js';
import { ApprovalRefusedError, assertApprover, type ApprovalAccountConfig } from './approvers.js';

/**
 * The approval core's state changes: approve, reject, edit, auto-approve, expire (who may decide
 * is approvers.ts). Every decision is one compare-and-set `transition` of the proposal store,
 * which writes the audit entry in the same script, so an approval is never recorded without its
 * audit entry and two racing approvers yield one approval. What a decision sets off (the apply,
 * the Slack update) is the decide service's (decide.ts).
 */

/** The actor recorded for approvals made by the account's auto-approve policy. */
export const AUTO_APPROVE_ACTOR = 'policy:auto-approve';

/** The stores the approval core uses. */
export interface ApprovalStores {
  proposals: Pick<ProposalStore, 'get' | 'transition' | 'list'>;
}

/** An account's auto-approve policy; off unless `enabled` and the kind is listed. */
export interface AutoApprovePolicy {
  enabled: boolean;
  kinds: readonly PatchKind[];
}

async function mustGet(stores: ApprovalStores, id: string): Promise<Proposal> {
  const proposal = await stores.proposals.get(id);
  if (proposal === null) throw new ProposalNotFoundError(id);
  return proposal;
}

/** The skill's or snippet's display name from the first diff heading (`--- skill "X" · …`). */
function targetNameFromDiff(diff: string): string | undefined {
  return /^--- (?:skill|knowledge snippet) "(.+?)" · /m.exec(diff)?.[1];
}

/** The diff of `patch` against the proposal's baseline, keeping the target's display name. */
export function rerenderDiff(proposal: Proposal, patch: Patch): string {
  const name = targetNameFromDiff(proposal.diff);
  return renderPatchDiff(patch, proposal.baseline, name === undefined ? {} : { targetName: name });
}

/** The patch with `fills` applied, checked: every placeholder filled, the schema still met. */
export function fillPatch(patch: Patch, fills: Record<string, string>): Patch {
  const empty = Object.entries(fills).find(([, value]) => value.trim() === '');
  if (empty !== undefined) {
    throw new ApprovalRefusedError(
      `The fill for "${empty[0]}" is empty; give the fact it asks for.`,
      'invalid-fill',
    );
  }
  const parsed = PatchSchema.safeParse(fillPlaceholders(patch, fills));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? 'the patch';
    throw new ApprovalRefusedError(
      `With the fills, ${field} is invalid (${issue?.message ?? 'schema'}); shorten the filled text.`,
      'invalid-fill',
    );
  }
  return parsed.data;
}

export interface ApproveInput {
  proposalId: string;
  /** `slack:U123`, `web:alice`, `cli:ops`. */
  actor: string;
  accountConfig: ApprovalAccountConfig;
  /** Values for the proposal's placeholders, by description (`{ 'return window': '30 days' }`). */
  fills?: Record<string, string>;
  note?: string;
  /**
   * The revision the approver was shown (Slack buttons and web forms carry it). Without it (the
   * CLI by id), the revision read here is the one approved.
   */
  revision?: number;
  /**
   * Apply it even inside another change's open attribution window on its target
   * (src/domain/attribution.ts); both proposals then record that their attribution is shared.
   * Also for an approved proposal waiting behind such a window.
   */
  applyAnyway?: boolean;
}

/**
 * Approves a pending proposal (with `applyAnyway`, also records that on an approved one). Refused
 * (ApprovalRefusedError) when the actor is not an approver or placeholders remain unfilled; ProposalStateError when someone else decided first (its
 * message says who and when); ProposalChangedError when it was edited since the revision shown.
 *
 * With `fills`, the filled patch is stored first (an `edited` audit entry, the next revision) and
 * then that revision approved. Both writes are compare-and-sets pinned to a revision, so an edit
 * landing between them fails the approval instead of being approved unseen.
 */
export async function approveProposal(
  stores: ApprovalStores,
  input: ApproveInput,
): Promise<Proposal> {
  const proposal = await mustGet(stores, input.proposalId);
  assertApprover(input.actor, proposal, input.accountConfig);
  const attribution = input.applyAnyway ? { applyAnyway: { actor: input.actor } } : undefined;
  if (attribution !== undefined && proposal.status === 'approved') {
    return stores.proposals.transition(proposal.id, {
      from: 'approved',
      to: 'approved',
      actor: input.actor,
      note: input.note ?? "apply anyway, inside another change's attribution window",
      attribution,
      ...(input.revision === undefined ? {} : { revision: input.revision }),
    });
  }
  if (proposal.status !== 'pending')
    throw ProposalStateError.refused(proposal, 'approved', 'moved');
  ProposalChangedError.assertAt(proposal, input.revision);
  const fills = input.fills ?? {};
  const patch = Object.keys(fills).length === 0 ? proposal.patch : fillPatch(proposal.patch, fills);
  const check = canApprove(patch);
  if (!check.ok) throw new ApprovalRefusedError(check.reason, 'placeholders');
  const approving =
    patch === proposal.patch
      ? proposal
      : await stores.proposals.transition(proposal.id, {
          from: 'pending',
          to: 'pending',
          actor: input.actor,
          note: `filled ${Object.keys(fills).length} placeholder(s) before approving`,
          revision: proposal.revision,
          patch,
          diff: rerenderDiff(proposal, patch),
        });
  return stores.proposals.transition(proposal.id, {
    from: 'pending',
    to: 'approved',
    actor: input.actor,
    revision: approving.revision,
    ...(input.note === undefined ? {} : { note: input.note }),
    ...(attribution === undefined ? {} : { attribution }),
  });
}

export interface RejectInput {
  proposalId: string;
  actor: string;
  accountConfig: ApprovalAccountConfig;
  /** Why; kept in the history and the audit entry. */
  reason?: string;
  /** The revision the approver was shown; a newer one is not rejected unseen. */
  revision?: number;
}

/** Rejects a pending proposal (same approver rule as approving). */
export async function rejectProposal(
  stores: ApprovalStores,
  input: RejectInput,
): Promise<Proposal> {
  const proposal = await mustGet(stores, input.proposalId);
  assertApprover(input.actor, proposal, input.accountConfig);
  return stores.proposals.transition(proposal.id, {
    from: 'pending',
    to: 'rejected',
    actor: input.actor,
    ...(input.revision === undefined ? {} : { revision: input.revision }),
    ...(input.reason === undefined ? {} : { note: input.reason }),
  });
}

export type EditInput = {
  proposalId: string;
  actor: string;
  /** Who may edit: the account's approvers, as for deciding. */
  accountConfig: ApprovalAccountConfig;
  /**
   * The account's policy with the agent's current config read fresh and the finding's evidence
   * transcripts, so an edit is held to what a draft is.
   */
  policyContext: PolicyContext;
  note?: string;
  /** The revision the editor started from; an edit of a newer one is refused, not overwritten. */
  revision?: number;
} & ({ patch: Patch; fills?: undefined } | { fills: Record<string, string>; patch?: undefined });

/** Same kind and same target: the baseline was read for that resource and those fields. */
function editMismatch(
  before: Patch,
  after: Patch,
  baselineFields: readonly string[],
): string | null {
  if (before.kind !== after.kind) return `an edit keeps the patch kind (${before.kind})`;
  const target = (p: Patch): string | null =>
    p.kind === 'skill.update' ? p.skillId : p.kind === 'knowledge.update' ? p.knowledgeId : null;
  if (target(before) !== target(after)) return 'an edit keeps the patch target';
  const isCreate = after.kind === 'skill.create' || after.kind === 'knowledge.create';
  const outside = isCreate ? [] : touchedFields(after).filter((f) => !baselineFields.includes(f));
  return outside.length === 0
    ? null
    : `the edit also changes ${outside.join(', ')}, which the proposal's baseline does not cover`;
}

/**
 * An approver's edit of a pending proposal: a new patch, or placeholder fills. The edit is checked
 * by the policy again (and scrubbed like a draft), the diff re-rendered, and stored with an
 * `edited` audit entry as the next revision. Only approvers edit: an edit changes what the next
 * Approve applies, so whoever could edit could otherwise steer an approval they may not give.
 * The edited patch still needs an approval.
 */
export async function editProposal(stores: ApprovalStores, input: EditInput): Promise<Proposal> {
  const proposal = await mustGet(stores, input.proposalId);
  assertApprover(input.actor, proposal, input.accountConfig, 'edit');
  if (proposal.status !== 'pending') throw ProposalStateError.refused(proposal, 'pending', 'moved');
  ProposalChangedError.assertAt(proposal, input.revision);
  const edited = input.patch ?? fillPatch(proposal.patch, input.fills ?? {});
  const mismatch = editMismatch(proposal.patch, edited, Object.keys(proposal.baseline.fields));
  if (mismatch !== null) {
    throw new ApprovalRefusedError(
      `Edit refused: ${mismatch}; draft a new proposal instead.`,
      'edit',
    );
  }
  // What the approver typed into placeholders is a person's text, not a shopper's.
  const typed = Object.values(input.fills ?? {});
  const context = {
    ...input.policyContext,
    fills: [...(input.policyContext.fills ?? []), ...typed],
  };
  const checked = checkPatch(edited, context);
  if (!checked.ok) {
    const reasons = checked.violations.map((v) => v.message).join(' ');
    throw new ApprovalRefusedError(
      `The edited patch breaks the policy: ${reasons}`,
      'policy',
      checked.violations,
    );
  }
  return stores.proposals.transition(proposal.id, {
    from: 'pending',
    to: 'pending',
    actor: input.actor,
    note: input.note ?? 'edited',
    // Pinned to the revision the policy checked: a concurrent edit is refused, never overwritten.
    revision: proposal.revision,
    patch: checked.patch,
    diff: rerenderDiff(proposal, checked.patch),
  });
}

export type AutoApproveResult =
  { approved: true; proposal: Proposal } | { approved: false; reason: string };

/**
 * Applies the account's auto-approve policy to a new proposal: approves it as
 * `policy:auto-approve` only when the policy is enabled, lists the patch kind, and the patch has
 * no placeholders (facts only a person knows). Off by default; never throws for a "no".
 */
export async function autoApprove(
  stores: ApprovalStores,
  proposal: Proposal,
  policy: AutoApprovePolicy | undefined,
): Promise<AutoApproveResult> {
  if (policy === undefined || !policy.enabled)
    return { approved: false, reason: 'auto-approve is off for this account' };
  if (!policy.kinds.includes(proposal.patch.kind)) {
    return {
      approved: false,
      reason: `auto-approve does not cover ${proposal.patch.kind} patches`,
    };
  }
  const check = canApprove(proposal.patch);
  if (!check.ok) return { approved: false, reason: check.reason };
  try {
    const approved = await stores.proposals.transition(proposal.id, {
      from: 'pending',
      to: 'approved',
      actor: AUTO_APPROVE_ACTOR,
      // What the policy looked at; a person's edit since is for a person to approve.
      revision: proposal.revision,
      note: `auto-approved: the account's policy allows ${proposal.patch.kind} patches`,
    });
    return { approved: true, proposal: approved };
  } catch (error) {
    if (error instanceof ProposalStateError || error instanceof ProposalChangedError)
      return { approved: false, reason: error.message };
    throw error;
  }
}

export interface ExpireOptions {
  /** Pending proposals created longer ago than this expire. */
  olderThanDays: number;
  accountId?: string;
  /** @defaultValue () => new Date() */
  now?: () => Date;
}

/**
 * Expires pending proposals drafted more than `olderThanDays` ago. Age counts from `createdAt`,
 * not the last edit: the baseline was read then, and an edit does not refresh it. Returns the
 * ids expired; a proposal decided meanwhile is skipped.
 */
export async function expireStale(
  stores: ApprovalStores,
  options: ExpireOptions,
): Promise<string[]> {
  if (!(options.olderThanDays > 0)) {
    throw new AppError('olderThanDays must be a positive number of days', {
      code: 'request_invalid',
      retryable: false,
    });
  }
  const now = (options.now ?? (() => new Date()))().getTime();
  const cutoff = now - options.olderThanDays * DAY_MS;
  const pending = await stores.proposals.list({
    status: 'pending',
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    createdBefore: new Date(cutoff),
    limit: Number.MAX_SAFE_INTEGER,
  });
  const expired: string[] = [];
  for (const proposal of pending) {
    if (!(Date.parse(proposal.createdAt) < cutoff)) continue;
    try {
      await stores.proposals.transition(proposal.id, {
        from: 'pending',
        to: 'expired',
        actor: 'system',
        note: `expired: pending for more than ${options.olderThanDays} days`,
      });
      expired.push(proposal.id);
    } catch (error) {
      if (!(error instanceof ProposalStateError)) throw error;
    }
  }
  return expired;
}
