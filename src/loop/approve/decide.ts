import type { AgentConfigView } from '../../domain/agent-config.js';
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
  const { stores } = deps;
  const logger = deps.logger ?? silentLogger;

  async function mustGet(proposalId: string): Promise<Proposal> {
    const proposal = await stores.proposals.get(proposalId);
    if (!proposal) throw new ProposalNotFoundError(proposalId);
    return proposal;
  }

  async function accountFor(proposalId: string): Promise<DecisionAccountConfig> {
    return deps.account((await mustGet(proposalId)).accountId);
  }

  async function policyContextFor(proposal: Proposal): Promise<PolicyContext> {
    const account = deps.account(proposal.accountId);
    const view = await deps.readAgentConfig(proposal.accountId);
    return { allowedKinds: account.allowedKinds, current: toPolicyCurrent(view), transcripts: [] };
  }

  function enqueueApply(proposal: Proposal): Promise<EnqueuedJob> {
    return deps.enqueue(
      applyProposalContract,
      { accountId: proposal.accountId, proposalId: proposal.id },
      { jobId: applyJobId(proposal) },
    );
  }

  /** Queues the Slack update; a failure to queue it must not undo the decision. */
  async function notify(proposal: Proposal): Promise<void> {
    if (!deps.notifications) return;
    await enqueueNotification(deps.enqueue, stores.proposals, proposal.id).catch(
      (error: unknown) => {
        logger.warn({ err: error, proposalId: proposal.id }, 'could not queue the Slack update');
      },
    );
  }

  return {
    account: (accountId) => deps.account(accountId),
    async approve({ proposalId, actor, fills, note }) {
      const accountConfig = await accountFor(proposalId);
      const proposal = await approveProposal(stores, {
        proposalId,
        actor,
        accountConfig,
        ...(fills === undefined || Object.keys(fills).length === 0 ? {} : { fills }),
        ...(note === undefined ? {} : { note }),
      });
      const applyJob = await enqueueApply(proposal);
      await notify(proposal);
      return { proposal, applyJob };
    },
    async reject({ proposalId, actor, reason }) {
      const accountConfig = await accountFor(proposalId);
      const proposal = await rejectProposal(stores, {
        proposalId,
        actor,
        accountConfig,
        ...(reason === undefined ? {} : { reason }),
      });
      await notify(proposal);
      return proposal;
    },
    async edit(request) {
      const policyContext = await policyContextFor(await mustGet(request.proposalId));
      const edited = await saveEdit(stores, { ...request, policyContext });
      if (edited !== null) await notify(edited);
      return edited;
    },
    async autoApprove(proposal, policy) {
      const decision = await autoApprove(stores, proposal, policy);
      if (decision.approved) {
        await enqueueApply(decision.proposal);
        await notify(decision.proposal);
      }
      return decision;
    },
  };
}
