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
import { ProposalNotFoundError } from '../../store/proposal-errors.js';
import { toPolicyCurrent, type PolicyContext } from '../policy/policy.js';
import type { ApprovalAccountConfig } from './approvers.js';
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
 * queues the Slack update of the proposal's new state. Edits are checked against the agent's
 * configuration read fresh. Doors only parse their input and word the answer.
 */

/** The account settings decisions read; an `AccountConfig` (src/config.ts) fits. */
export interface DecisionAccountConfig extends ApprovalAccountConfig {
  allowedKinds: readonly PatchKind[];
}

export interface DecideDeps {
  stores: ApprovalStores;
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
}

export interface Approved {
  proposal: Proposal;
  /** The apply job: one per approval, however often it is queued. */
  applyJob: EnqueuedJob;
}

export interface RejectRequest {
  proposalId: string;
  actor: string;
  /** Why; kept in the history and the audit entry. */
  reason?: string;
}

/** A person's edit as the doors offer it (see edits.ts); the policy context is the service's. */
export type EditRequest = Omit<SaveEditInput, 'policyContext'>;

export interface Decisions {
  /** The settings (approvers, allowed kinds) of an account. */
  account(accountId: string): DecisionAccountConfig;
  /**
   * Approves a pending proposal, queues its apply, then its Slack update.
   * @throws ApprovalRefusedError, ProposalStateError, ProposalNotFoundError (see transitions.ts)
   */
  approve(request: ApproveRequest): Promise<Approved>;
  /** Rejects a pending proposal, then queues its Slack update. Throws as `approve` does. */
  reject(request: RejectRequest): Promise<Proposal>;
  /**
   * Saves an edit checked by the policy against the agent read fresh, then queues the Slack
   * update. Editing is not approving: it needs no approver (a door may ask for one).
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
  const { proposalId, actor, fills, note } = request;
  const proposal = await approveProposal(deps.stores, {
    proposalId,
    actor,
    accountConfig: await accountFor(deps, proposalId),
    ...(fills === undefined || Object.keys(fills).length === 0 ? {} : { fills }),
    ...(note === undefined ? {} : { note }),
  });
  const applyJob = await enqueueApply(deps, proposal);
  await notify(deps, proposal);
  return { proposal, applyJob };
}

async function reject(deps: DecideDeps, request: RejectRequest): Promise<Proposal> {
  const { proposalId, actor, reason } = request;
  const proposal = await rejectProposal(deps.stores, {
    proposalId,
    actor,
    accountConfig: await accountFor(deps, proposalId),
    ...(reason === undefined ? {} : { reason }),
  });
  await notify(deps, proposal);
  return proposal;
}

async function edit(deps: DecideDeps, request: EditRequest): Promise<Proposal | null> {
  const policyContext = await policyContextFor(deps, await mustGet(deps, request.proposalId));
  const edited = await saveEdit(deps.stores, { ...request, policyContext });
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

/** The account's policy with the agent's configuration read fresh. */
async function policyContextFor(deps: DecideDeps, proposal: Proposal): Promise<PolicyContext> {
  const account = deps.account(proposal.accountId);
  const view = await deps.readAgentConfig(proposal.accountId);
  return { allowedKinds: account.allowedKinds, current: toPolicyCurrent(view), transcripts: [] };
}

/** The apply of an approved proposal: one job per approval, however often it is queued. */
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
