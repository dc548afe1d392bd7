import type { AnyJobDefinition } from '../src/queue/index.js';
import { applyProposalJob } from './apply-proposal.job.js';
import { diagnoseConversationsJob } from './diagnose-conversations.job.js';
import { impactCheckJob } from './impact-check.job.js';
import { notifyProposalJob } from './notify-proposal.job.js';
import { pullConversationsJob } from './pull-conversations.job.js';
import { pullReportsJob } from './pull-reports.job.js';
import { regressionCheckJob } from './regression-check.job.js';
import { synthesizeJob } from './synthesize.job.js';
import { verifyProposalJob } from './verify-proposal.job.js';

/** Every job, read by the worker, the schedules, the dashboard and the CLI. */
export const jobs: readonly AnyJobDefinition[] = [
  pullConversationsJob,
  diagnoseConversationsJob,
  pullReportsJob,
  synthesizeJob,
  applyProposalJob,
  verifyProposalJob,
  regressionCheckJob,
  impactCheckJob,
  notifyProposalJob,
];
