import { z } from 'zod';
import { defineContract } from '../contract.js';
import { jobIdFrom } from '../job-id.js';

/** Diagnoses a batch of pulled conversations (rules, and Claude when configured). */
export const diagnoseConversationsContract = defineContract({
  name: 'diagnose-conversations',
  queue: 'diagnose',
  payload: z.object({
    accountId: z.string().min(1),
    runId: z.string().min(1),
    conversations: z
      .array(z.object({ id: z.string().min(1), updatedAt: z.string().min(1) }))
      .min(1),
  }),
});

/**
 * The id of a diagnose batch: its conversation versions, in the order given (callers sort them by
 * id), so a retried or overlapping pull never diagnoses the same versions twice.
 */
export function diagnoseJobId(
  accountId: string,
  conversations: readonly { id: string; updatedAt: string }[],
): string {
  const versions = conversations.map((c) => `${c.id}@${c.updatedAt}`).join(',');
  return jobIdFrom('diagnose', accountId, versions);
}
