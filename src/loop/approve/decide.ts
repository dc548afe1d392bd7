import type { App } from '../../app.js';
import { readAgentConfig } from '../../domain/agent-config.js';
import type { ApprovalAccountConfig } from './transitions.js';
import type { PolicyContext } from '../policy/policy.js';
import type { Proposal } from '../../domain/proposal.js';
import {
  applyJobId,
  applyProposalContract,
  createEnqueue,
  enqueueNotification,
} from '../../queue/index.js';
import { ProposalNotFoundError } from '../../store/proposal-errors.js';
import type { ProposalStore } from '../../store/proposals.js';
import { toPolicyCurrent } from '../policy/policy.js';

/**
 * What a deployment does around a person's decision, whichever door it came through (Slack, the
 * web page): whose approver list applies, the policy context an edit is checked against (the
 * agent's configuration read fresh), the apply job an approval queues, and the Slack update every
 * change triggers. The decisions themselves are the transitions' (transitions.ts).
 */
export interface DecisionContext {
  stores: { proposals: ProposalStore };
  /** The approver settings of the account a proposal belongs to. */
  accountFor(proposalId: string): Promise<ApprovalAccountConfig>;
  /** Queues the apply job of an approved proposal; one job however often it is called. */
  enqueueApply(proposal: Proposal): Promise<void>;
  /** The policy context for checking an edit of `proposal`. */
  policyContextFor(proposal: Proposal): Promise<PolicyContext>;
  /** Queues the Slack update of a proposal's current state (nothing without Slack). */
  notify(proposal: Proposal): Promise<void>;
}

export function decisionContext(app: App): DecisionContext {
  const { deps } = app;
  const enqueue = createEnqueue(app.queues);
  return {
    stores: deps.stores,
    async accountFor(proposalId) {
      const proposal = await deps.stores.proposals.get(proposalId);
      if (!proposal) throw new ProposalNotFoundError(proposalId);
      return deps.account(proposal.accountId);
    },
    async enqueueApply(proposal) {
      await enqueue(
        applyProposalContract,
        { accountId: proposal.accountId, proposalId: proposal.id },
        { jobId: applyJobId(proposal) },
      );
    },
    async policyContextFor(proposal) {
      const account = deps.account(proposal.accountId);
      const view = await readAgentConfig(deps.klaviyo(account.id, 'read'));
      return {
        allowedKinds: account.allowedKinds,
        current: toPolicyCurrent(view),
        transcripts: [],
      };
    },
    async notify(proposal) {
      if (deps.slack) await enqueueNotification(enqueue, deps.stores.proposals, proposal.id);
    },
  };
}
