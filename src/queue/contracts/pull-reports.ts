import { z } from 'zod';
import { defineContract } from '../contract.js';

/** Stores the account's values and skill-values reports for one window. Scheduled per account. */
export const pullReportsContract = defineContract({
  name: 'pull-reports',
  queue: 'pull',
  schedule: 'per-account',
  payload: z.object({
    accountId: z.string().min(1),
    /** Window length ending now. @defaultValue 1 */
    days: z.number().int().min(1).max(90).optional(),
    /** Window end (exclusive, ISO); defaults to now. */
    end: z.iso.datetime({ offset: true }).optional(),
  }),
});
