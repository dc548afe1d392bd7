import { AppError } from '../../errors.js';
import type { ProposalStore } from '../../store/proposals.js';
import { ProposalNotFoundError, ProposalStateError } from '../../store/proposal-errors.js';
import { PatchSchema, type Patch, type PatchKind } from '../../patches/patch.js';
import { fillPlaceholders } from '../../domain/placeholders.js';
import {
  canApprove,
  checkPatch,
  type PolicyContext,
  type PolicyViolation,
} from '../policy/policy.js';
import type { Proposal } from '../../domain/proposal.js';
import { renderPatchDiff, touchedFields } from '../../patches/render-diff.js';
import { DAY_MS } from '../../time.js';

/**
 * The approval core: who may decide on a proposal, and the decisions themselves (approve, reject,
 * edit, auto-approve, expire). Every decision is one compare-and-set `transition` of the proposal
 * store, which writes the audit entry in the same script, so an approval is never recorded
 * without its audit entry and two racing approvers yield one approval.
 *
 * Who may approve: an actor listed in the account's `approvers` (`slack:U123`, `web:alice`,
 * `cli:ops`; `slack:*` admits every Slack user). An EMPTY list admits only `cli:*` operators:
 * whoever runs the CLI already holds the deployment's Redis and keys and could write directly,
 * so refusing them protects nothing, while remote Slack and web users must be named.
 */

/** The actor recorded for approvals made by the account's auto-approve policy. */
export const AUTO_APPROVE_ACTOR = 'policy:auto-approve';

/** The stores the approval core uses. */
export interface ApprovalStores {
  proposals: Pick<ProposalStore, 'get' | 'transition' | 'list'>;
}

/** The account settings approvals read (an `AccountConfig` from src/config.ts fits). */
export interface ApprovalAccountConfig {
  /** When given, proposals of other accounts are refused. */
  id?: string;
  approvers: readonly string[];
}

/** An account's auto-approve policy; off unless `enabled` and the kind is listed. */
export interface AutoApprovePolicy {
  enabled: boolean;
  kinds: readonly PatchKind[];
}

export type ApprovalRefusal = 'not-approver' | 'placeholders' | 'invalid-fill' | 'policy' | 'edit';

/**
 * A decision the approval core refuses; `message` says why and what to do. Not retryable.
 */
export class ApprovalRefusedError extends AppError {
  readonly reason: ApprovalRefusal;
  readonly violations: PolicyViolation[];

  constructor(message: string, reason: ApprovalRefusal, violations: PolicyViolation[] = []) {
    super(message, { code: 'approval_refused', retryable: false });
    this.reason = reason;
    this.violations = violations;
  }
}

const CLI_OPERATOR = 'cli:*';

/** `slack:*` matches any `slack:<id>`; anything else matches exactly. */
function matches(actor: string, pattern: string): boolean {
  if (!pattern.endsWith(':*')) return actor === pattern;
  const scheme = pattern.slice(0, -1);
  return actor.startsWith(scheme) && actor.length > scheme.length;
}

/** Whether `actor` may approve or reject for an account with these `approvers`. */
export function isApprover(actor: string, approvers: readonly string[]): boolean {
  const allowed = approvers.length === 0 ? [CLI_OPERATOR] : approvers;
  return allowed.some((pattern) => matches(actor, pattern));
}

/** Throws unless `actor` may decide on `proposal` for this account. */
export function assertApprover(
  actor: string,
  proposal: Pick<Proposal, 'id' | 'accountId'>,
  account: ApprovalAccountConfig,
): void {
  if (account.id !== undefined && account.id !== proposal.accountId) {
    throw new ApprovalRefusedError(
      `Proposal ${proposal.id} belongs to account ${proposal.accountId}, not ${account.id}; decide on it with that account's approvers.`,
      'not-approver',
    );
  }
  if (isApprover(actor, account.approvers)) return;
  const who =
    account.approvers.length === 0
      ? 'only CLI operators (cli:*) may, because the account lists no approvers; add approvers such as slack:U123 or web:alice to the account'
      : `approvers are ${account.approvers.join(', ')}`;
  throw new ApprovalRefusedError(
    `${actor} may not approve or reject proposals of account ${proposal.accountId}: ${who}.`,
    'not-approver',
  );
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
}

/**
 * Approves a pending proposal. Refused (ApprovalRefusedError) when the actor is not an approver
 * or placeholders remain unfilled; ProposalStateError when someone else decided first (its
 * message says who and when).
 *
 * With `fills`, the filled patch is stored first (an `edited` audit entry) and then approved.
 * The store takes a patch only on `pending → pending`, so these are two compare-and-sets, not
 * one: an edit landing in the instant between them would be approved as edited. Apply refuses a
 * patch that still has placeholders whatever happened here, so none can reach Klaviyo.
 */
export async function approveProposal(
  stores: ApprovalStores,
  input: ApproveInput,
): Promise<Proposal> {
  const proposal = await mustGet(stores, input.proposalId);
  assertApprover(input.actor, proposal, input.accountConfig);
  if (proposal.status !== 'pending')
    throw ProposalStateError.refused(proposal, 'approved', 'moved');
  const fills = input.fills ?? {};
  const patch = Object.keys(fills).length === 0 ? proposal.patch : fillPatch(proposal.patch, fills);
  const check = canApprove(patch);
  if (!check.ok) throw new ApprovalRefusedError(check.reason, 'placeholders');
  if (patch !== proposal.patch) {
    await stores.proposals.transition(proposal.id, {
      from: 'pending',
      to: 'pending',
      actor: input.actor,
      note: `filled ${Object.keys(fills).length} placeholder(s) before approving`,
      patch,
      diff: rerenderDiff(proposal, patch),
    });
  }
  return stores.proposals.transition(proposal.id, {
    from: 'pending',
    to: 'approved',
    actor: input.actor,
    ...(input.note === undefined ? {} : { note: input.note }),
  });
}

export interface RejectInput {
  proposalId: string;
  actor: string;
  accountConfig: ApprovalAccountConfig;
  /** Why; kept in the history and the audit entry. */
  reason?: string;
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
    ...(input.reason === undefined ? {} : { note: input.reason }),
  });
}

export type EditInput = {
  proposalId: string;
  actor: string;
  /** The account's policy with the agent's current config, read fresh. */
  policyContext: PolicyContext;
  note?: string;
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
 * A person's edit of a pending proposal: a new patch, or placeholder fills. The edit is checked by
 * the policy again (and scrubbed like a draft), the diff re-rendered, and stored with an `edited`
 * audit entry. Editing is not approving: it needs no approver, and the edited patch still needs one.
 */
export async function editProposal(stores: ApprovalStores, input: EditInput): Promise<Proposal> {
  const proposal = await mustGet(stores, input.proposalId);
  if (proposal.status !== 'pending') throw ProposalStateError.refused(proposal, 'pending', 'moved');
  const edited = input.patch ?? fillPatch(proposal.patch, input.fills ?? {});
  const mismatch = editMismatch(proposal.patch, edited, Object.keys(proposal.baseline.fields));
  if (mismatch !== null) {
    throw new ApprovalRefusedError(
      `Edit refused: ${mismatch}; draft a new proposal instead.`,
      'edit',
    );
  }
  const checked = checkPatch(edited, input.policyContext);
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
      note: `auto-approved: the account's policy allows ${proposal.patch.kind} patches`,
    });
    return { approved: true, proposal: approved };
  } catch (error) {
    if (error instanceof ProposalStateError) return { approved: false, reason: error.message };
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
