import type { AgentConfigView } from '../../patches/agent-config.js';
import type { Proposal } from '../../domain/proposal.js';
import { silentLogger, type Logger } from '../../logger.js';
import type { PatchKind } from '../../patches/patch.js';
import {
  applyJobId,
  applyProposalContract,
  enqueueNotification,
  type Enqueue,
  type EnqueuedJob,
} from '../../queue/index.js';
import { AppError } from '../../errors.js';
import { ProposalNotFoundError } from '../../store/proposal-errors.js';
import type { SnapshotStore } from '../../store/snapshots.js';
import { policyContextFor } from '../policy/admit.js';
import { findingTranscripts } from '../policy/evidence.js';
import type { PolicyContext } from '../policy/policy.js';
import { assertApprover, type ApprovalAccountConfig } from './approvers.js';
import { saveEdit, type SaveEditInput } from './edits.js';
import {
  approveProposal,
  autoApprove,
  rejectProposal,
  type ApprovalStores,
  type AutoApprovePolicy,
  type AutoApproveResult,
} from './transitions.js';

/**
 * The decide service: what a decision on a proposal sets off, the same whichever door it came
 * through (the CLI, Slack, the web page, the demo, the account's auto-approve policy). It records
 * the decision (a transition, transitions.ts), queues the apply when it is an approval, then
 * queues the Slack update of the proposal's new state. Every decision names the revision the
 * person was shown (Slack buttons and web forms carry it), and one on a proposal edited since is
 * refused (ProposalChangedError, with the new version). Edits are for approvers and are checked
 * by the policy against the agent's configuration read fresh and the finding's transcripts. Doors
 * only parse their input and word the answer.
 */

/** The account settings decisions read; an `AccountConfig` (src/config.ts) fits. */
export interface DecisionAccountConfig extends ApprovalAccountConfig {
  allowedKinds: readonly PatchKind[];
}

export interface DecideDeps {
  /** Snapshots hold the finding's transcripts an edit is checked against. */
  stores: ApprovalStores & { snapshots: Pick<SnapshotStore, 'get'> };
  enqueue: Enqueue;
  /** The settings of an account; throws for an unknown one. */
  account(accountId: string): DecisionAccountConfig;
  /** The account's agent configuration read fresh, which an edit is checked against. */
  readAgentConfig(accountId: string): Promise<AgentConfigView>;
  /** Whether proposals are announced (Slack is configured); without, no notify job is queued. */
  notifications: boolean;
  /** Where a notification that could not be queued is logged. @defaultValue silent */
  logger?: Logger;
}

export interface ApproveRequest {
  proposalId: string;
  /** `slack:U123`, `web:alice`, `cli:ops`. */
  actor: string;
  /** Values for the proposal's placeholders, by description. */
  fills?: Record<string, string>;
  note?: string;
  /** The revision the approver was shown; without it, the one read now (the CLI by id). */
  revision?: number;
  /**
   * Apply now even inside another change's open attribution window on the target (a pending
   * proposal, or an approved one waiting behind the window); both then share the attribution.
   * Auto-approve never sets it.
   */
  applyAnyway?: boolean;
}

export interface Approved {
  proposal: Proposal;
  /** The apply job: one per approval, however often it is queued. */
  applyJob: EnqueuedJob;
  /** The other proposal of a pair, approved with it (its apply queued too). */
  alongside?: Proposal;
}

export interface RejectRequest {
  proposalId: string;
  actor: string;
  /** Why; kept in the history and the audit entry. */
  reason?: string;
  /** The revision the approver was shown. */
  revision?: number;
}

/** A person's edit as the doors offer it (see edits.ts); the account and policy are the service's. */
export type EditRequest = Omit<SaveEditInput, 'policyContext' | 'accountConfig'>;

export interface Decisions {
  /** The settings (approvers, allowed kinds) of an account. */
  account(accountId: string): DecisionAccountConfig;
  /**
   * Approves a pending proposal, queues its apply, then its Slack update. The apply holds it
   * while another change's attribution window on its target is open, unless `applyAnyway`.
   * @throws ApprovalRefusedError, ProposalStateError, ProposalChangedError, ProposalNotFoundError
   *   (see transitions.ts)
   */
  approve(request: ApproveRequest): Promise<Approved>;
  /** Rejects a pending proposal, then queues its Slack update. Throws as `approve` does. */
  reject(request: RejectRequest): Promise<Proposal>;
  /**
   * Saves an approver's edit, checked by the policy against the agent read fresh and the
   * finding's transcripts, then queues the Slack update. Throws as `approve` does.
   * @returns the edited proposal, or null when the edit changed nothing
   */
  edit(request: EditRequest): Promise<Proposal | null>;
  /**
   * The account's auto-approve policy on a new proposal: when it approves, the apply and the
   * Slack update are queued as for a person's approval. Never throws for a "no".
   */
  autoApprove(proposal: Proposal, policy: AutoApprovePolicy): Promise<AutoApproveResult>;
}

export function createDecisions(deps: DecideDeps): Decisions {
  return {
    account: (accountId) => deps.account(accountId),
    approve: (request) => approve(deps, request),
    reject: (request) => reject(deps, request),
    edit: (request) => edit(deps, request),
    autoApprove: (proposal, policy) => approveByPolicy(deps, proposal, policy),
  };
}

async function approve(deps: DecideDeps, request: ApproveRequest): Promise<Approved> {
  const { proposalId, actor, fills, note, revision, applyAnyway } = request;
  const proposal = await approveProposal(deps.stores, {
    proposalId,
    actor,
    accountConfig: await accountFor(deps, proposalId),
    ...(fills === undefined || Object.keys(fills).length === 0 ? {} : { fills }),
    ...(note === undefined ? {} : { note }),
    ...(revision === undefined ? {} : { revision }),
    ...(applyAnyway ? { applyAnyway } : {}),
  });
  const applyJob = await enqueueApply(deps, proposal);
  await notify(deps, proposal);
  const alongside = await decidePartner(deps, proposal, actor, async (partner, config) => {
    const approved = await approveProposal(deps.stores, {
      proposalId: partner.id,
      actor,
      accountConfig: config,
      note: `approved with ${proposal.id}`,
      revision: partner.revision,
    });
    await enqueueApply(deps, approved);
    return approved;
  });
  return { proposal, applyJob, ...(alongside === null ? {} : { alongside }) };
}

async function reject(deps: DecideDeps, request: RejectRequest): Promise<Proposal> {
  const { proposalId, actor, reason, revision } = request;
  const proposal = await rejectProposal(deps.stores, {
    proposalId,
    actor,
    accountConfig: await accountFor(deps, proposalId),
    ...(reason === undefined ? {} : { reason }),
    ...(revision === undefined ? {} : { revision }),
  });
  await notify(deps, proposal);
  await decidePartner(deps, proposal, actor, (partner, config) =>
    rejectProposal(deps.stores, {
      proposalId: partner.id,
      actor,
      accountConfig: config,
      reason: `rejected with ${proposal.id}${reason === undefined ? '' : `: ${reason}`}`,
      revision: partner.revision,
    }),
  );
  return proposal;
}

/**
 * A decision on one proposal of a pair decides the other (src/domain/proposal.ts, PairSchema)
 * while it is still pending. Its failure (someone decided it first, a placeholder left open) is
 * logged and leaves the first decision standing: each half stands on its own.
 */
async function decidePartner(
  deps: DecideDeps,
  decided: Proposal,
  actor: string,
  decide: (partner: Proposal, config: DecisionAccountConfig) => Promise<Proposal>,
): Promise<Proposal | null> {
  if (decided.pair === undefined) return null;
  const log = deps.logger ?? silentLogger;
  const partner = await deps.stores.proposals.get(decided.pair.proposalId);
  if (partner === null || partner.status !== 'pending') return null;
  try {
    const done = await decide(partner, deps.account(partner.accountId));
    await notify(deps, done);
    return done;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    log.warn(
      { proposalId: partner.id, pairedWith: decided.id, actor, err: error.message },
      'could not decide the paired proposal with it',
    );
    return null;
  }
}

async function edit(deps: DecideDeps, request: EditRequest): Promise<Proposal | null> {
  const proposal = await mustGet(deps, request.proposalId);
  const accountConfig = deps.account(proposal.accountId);
  // Approvers only, and before the agent's configuration is read for the policy.
  assertApprover(request.actor, proposal, accountConfig, 'edit');
  const policyContext = await editPolicyContext(deps, proposal);
  const edited = await saveEdit(deps.stores, { ...request, accountConfig, policyContext });
  if (edited !== null) await notify(deps, edited);
  return edited;
}

async function approveByPolicy(
  deps: DecideDeps,
  proposal: Proposal,
  policy: AutoApprovePolicy,
): Promise<AutoApproveResult> {
  const decision = await autoApprove(deps.stores, proposal, policy);
  if (decision.approved) {
    await enqueueApply(deps, decision.proposal);
    await notify(deps, decision.proposal);
  }
  return decision;
}

async function mustGet(deps: DecideDeps, proposalId: string): Promise<Proposal> {
  const proposal = await deps.stores.proposals.get(proposalId);
  if (!proposal) throw new ProposalNotFoundError(proposalId);
  return proposal;
}

async function accountFor(deps: DecideDeps, proposalId: string): Promise<DecisionAccountConfig> {
  return deps.account((await mustGet(deps, proposalId)).accountId);
}

/**
 * The policy an edit passes: the account's, with the agent's configuration read fresh and the
 * finding's evidence transcripts, as the draft passed it (so an edit cannot bring in what the
 * drafter was kept from copying out of shopper messages).
 */
async function editPolicyContext(deps: DecideDeps, proposal: Proposal): Promise<PolicyContext> {
  const account = deps.account(proposal.accountId);
  const [view, transcripts] = await Promise.all([
    deps.readAgentConfig(proposal.accountId),
    findingTranscripts(deps.stores.snapshots, proposal.accountId, proposal.finding),
  ]);
  return policyContextFor(view, { allowedKinds: account.allowedKinds }, transcripts);
}

/**
 * The apply of an approved proposal: one job per approval (an "apply anyway" is a new `approved`
 * entry, so a new job), however often it is queued.
 */
function enqueueApply(deps: DecideDeps, proposal: Proposal): Promise<EnqueuedJob> {
  return deps.enqueue(
    applyProposalContract,
    { accountId: proposal.accountId, proposalId: proposal.id },
    { jobId: applyJobId(proposal) },
  );
}

/** Queues the Slack update; a failure to queue it must not undo the decision. */
async function notify(deps: DecideDeps, proposal: Proposal): Promise<void> {
  if (!deps.notifications) return;
  await enqueueNotification(deps.enqueue, deps.stores.proposals, proposal.id).catch(
    (error: unknown) => {
      (deps.logger ?? silentLogger).warn(
        { err: error, proposalId: proposal.id },
        'could not queue the Slack update',
      );
    },
  );
}
