import { z } from 'zod';
import { defineContract } from '../contract.js';

/** Turns a window's diagnoses into findings and pending proposals. Scheduled per account. */
export const synthesizeContract = defineContract({
  name: 'synthesize',
  queue: 'synthesize',
  schedule: 'per-account',
  payload: z.object({
    accountId: z.string().min(1),
    runId: z.string().min(1).optional(),
    /** Window of conversations ending now. @defaultValue 7 */
    days: z.number().int().min(1).max(90).optional(),
  }),
});
