import { z } from 'zod';
import { defineContract } from '../contract.js';

/**
 * Pulls an account's new and changed conversations into snapshots and fans the changed ones out
 * to `diagnose-conversations`. Scheduled per account; its id is BullMQ's (one per fire).
 */
export const pullConversationsContract = defineContract({
  name: 'pull-conversations',
  queue: 'pull',
  schedule: 'per-account',
  payload: z.object({
    accountId: z.string().min(1),
    runId: z.string().min(1).optional(),
    /** Start here instead of the checkpoint (ISO). */
    since: z.iso.datetime({ offset: true }).optional(),
  }),
});
