import { z } from 'zod';
import { EvidenceQuoteSchema, FailureCategorySchema } from './diagnosis.js';

/** A pattern of failures: diagnoses grouped by category × skill × topic, with their weight. */
export const FindingSchema = z.object({
  /** Deterministic from (account, category, skill, topic), so re-running a window re-finds it. */
  id: z.string().min(1),
  accountId: z.string().min(1),
  category: FailureCategorySchema,
  skillId: z.string().nullable(),
  topic: z.string().min(1),
  conversationIds: z.array(z.string()).min(1),
  evidence: z.array(EvidenceQuoteSchema.extend({ conversationId: z.string() })),
  metrics: z.object({
    /** Failures in this finding / conversations diagnosed in the window. */
    shareOfWindow: z.number().min(0).max(1),
    windowConversations: z.number().int().min(0),
    resolutionRate: z.number().min(0).max(1).nullable(),
    skillVolume: z.number().int().min(0).nullable(),
  }),
  /** Higher first: failures weighted by confidence and by how much they cost (escalations). */
  impact: z.number().min(0),
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * Topics of findings that group by behaviour rather than by subject: the diagnoser names them and
 * the drafters recognise them, since the fix follows from the behaviour.
 */
export const BEHAVIOUR_TOPICS = {
  /** The agent asked again for details the shopper had already given. */
  reask: 'asking again for details already given',
  /** Grieving, hurt, distressed or angry shoppers answered with cheer or a sales pitch. */
  upset: 'replies to upset shoppers',
  /** A tool the skill uses failed. */
  toolErrors: 'tool errors',
} as const;
