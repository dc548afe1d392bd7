import type { AnyJobContract } from '../contract.js';
import { applyProposalContract } from './apply-proposal.js';
import { diagnoseConversationsContract } from './diagnose-conversations.js';
import { impactCheckContract } from './impact-check.js';
import { notifyProposalContract } from './notify-proposal.js';
import { pullConversationsContract } from './pull-conversations.js';
import { pullReportsContract } from './pull-reports.js';
import { regressionCheckContract } from './regression-check.js';
import { synthesizeContract } from './synthesize.js';
import { verifyProposalContract } from './verify-proposal.js';

export * from './apply-proposal.js';
export * from './diagnose-conversations.js';
export * from './impact-check.js';
export * from './notify-proposal.js';
export * from './pull-conversations.js';
export * from './pull-reports.js';
export * from './regression-check.js';
export * from './synthesize.js';
export * from './verify-proposal.js';

/** Every job's contract, in loop order; `jobs/index.ts` has one handler for each. */
export const JOB_CONTRACTS: readonly AnyJobContract[] = [
  pullConversationsContract,
  diagnoseConversationsContract,
  pullReportsContract,
  synthesizeContract,
  applyProposalContract,
  verifyProposalContract,
  regressionCheckContract,
  impactCheckContract,
  notifyProposalContract,
];
