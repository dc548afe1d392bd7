import { percent } from './format.js';
import { words } from './text.js';
import { z } from 'zod';
import { EvidenceQuoteSchema, FailureCategorySchema } from './diagnosis.js';

/** A pattern of failures: diagnoses grouped by category × skill × topic, with their weight. */
export const FindingSchema = z.object({
  /** Deterministic from (account, category, skill, topic), so re-running a window re-finds it. */
  id: z.string().min(1),
  accountId: z.string().min(1),
  category: FailureCategorySchema,
  skillId: z.string().nullable(),
  /** A wrong skill's other side: the skill that took most of its conversations, when known. */
  tookSkillId: z.string().nullable().optional(),
  topic: z.string().min(1),
  conversationIds: z.array(z.string()).min(1),
  evidence: z.array(EvidenceQuoteSchema.extend({ conversationId: z.string() })),
  metrics: z.object({
    /** Failures in this finding / conversations diagnosed in the window. */
    shareOfWindow: z.number().min(0).max(1),
    windowConversations: z.number().int().min(0),
    /**
     * Final conversations of the pull's window not fetched yet (over PULL_MAX_CONVERSATIONS) when
     * this was computed. Failures are fetched first, so while it is above 0 `shareOfWindow`
     * overstates how often this happens. Absent on findings from before the budget.
     */
    pendingConversations: z.number().int().min(0).optional(),
    resolutionRate: z.number().min(0).max(1).nullable(),
    skillVolume: z.number().int().min(0).nullable(),
  }),
  /** Higher first: failures weighted by confidence and by how much they cost (escalations). */
  impact: z.number().min(0),
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * "15.0% of 300 in the window", or, while the pull has not fetched the whole window, "15.0% of
 * the 300 fetched so far; 1,700 more in the window not fetched yet (failures first, so this share
 * is high)". Every surface (CLI, Slack, web, drafts) says it with this.
 */
export function describeWindowShare(metrics: Finding['metrics']): string {
  const share = percent(metrics.shareOfWindow);
  const n = (x: number) => x.toLocaleString('en-US');
  const pending = metrics.pendingConversations ?? 0;
  if (pending === 0) return `${share} of ${n(metrics.windowConversations)} in the window`;
  return (
    `${share} of the ${n(metrics.windowConversations)} fetched so far; ${n(pending)} more in the ` +
    'window not fetched yet (failures first, so this share is high)'
  );
}

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
  /**
   * Shoppers said the skill's take was not what they asked, and no other skill's description
   * names what they asked: the skill that took them is known, the one that should have is not.
   */
  outsideSkill: 'questions outside this skill',
  /** The agent made a change before confirming what the shopper meant, and the shopper stopped it. */
  unconfirmed: 'changes made without confirming',
  /** The agent advised before asking what the advice depends on, and had to take it back. */
  unasked: 'advice given before asking',
  /** The shopper asked again and again for one thing and got other offers instead. */
  putOff: 'requests answered with other offers',
  /** The lookup showed the shopper's order held up and the agent, asked when, gave no date. */
  heldUpOrder: 'orders held up without a date',
} as const;

/**
 * A config title as a topic: lower case, words only, at most six of them. Findings named after a
 * snippet, skill or rule carry this, so drafts find the item again by the same reading.
 */
export function topicFromTitle(title: string): string | null {
  if (/^\s*https?:\/\//i.test(title)) return null;
  const topic = words(title)
    .filter((w) => !/\d/.test(w))
    .slice(0, 6)
    .join(' ');
  return topic === '' ? null : topic;
}
