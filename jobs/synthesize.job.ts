import { z } from 'zod';
import { synthesize } from '../src/loop/synthesize.js';
import { defineJob } from '../src/queue/index.js';

const DAY_MS = 24 * 3600_000;

/**
 * Turns a window's diagnoses into ranked findings and pending proposals (policy-checked, with a
 * diff and a baseline). Proposals wait for a person; an account's auto-approve policy, when on,
 * is applied by the approval step, not here.
 */
export const synthesizeJob = defineJob({
  name: 'synthesize',
  queue: 'synthesize',
  schedule: 'per-account',
  payload: z.object({
    accountId: z.string().min(1),
    runId: z.string().min(1).optional(),
    /** Window of conversations ending now. @defaultValue 7 */
    days: z.number().int().min(1).max(90).optional(),
  }),
  async handle({ accountId, runId, days = 7 }, { deps, log, job, signal }) {
    const account = deps.account(accountId);
    const to = deps.now();
    const from = new Date(to.getTime() - days * DAY_MS);
    const result = await synthesize({
      accountId,
      runId: runId ?? job.id,
      client: deps.klaviyo(accountId, 'read'),
      stores: deps.stores,
      window: { from: from.toISOString(), to: to.toISOString() },
      policy: { allowedKinds: account.allowedKinds },
      llm: deps.llm ? { client: deps.llm } : undefined,
      logger: log,
      now: deps.now,
      signal,
    });
    const summary = {
      findings: result.findings.length,
      proposals: result.proposals.map((p) => p.id),
      created: result.created,
      blocked: result.blocked.length,
      skipped: result.skipped.length,
    };
    log.info(summary, 'synthesized');
    return summary;
  },
});
