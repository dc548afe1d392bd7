import { z } from 'zod';

/**
 * What the diagnoser says about one conversation. The rules diagnoser and the Claude diagnoser
 * both produce this shape; Claude's answer is validated against it (see src/llm/).
 */

export const FAILURE_CATEGORIES = [
  'knowledge_gap',
  'wrong_skill',
  'instruction_gap',
  'tone',
  'missed_escalation',
  'unnecessary_escalation',
  'tool_failure',
  'other',
] as const;
export const FailureCategorySchema = z.enum(FAILURE_CATEGORIES);
export type FailureCategory = z.infer<typeof FailureCategorySchema>;

export const OutcomeSchema = z.enum(['success', 'failure', 'uncertain']);
export type Outcome = z.infer<typeof OutcomeSchema>;

export const EvidenceQuoteSchema = z.object({
  messageId: z.string().min(1),
  /** Verbatim text from that message (personal data is scrubbed before it is shown to people). */
  quote: z.string().min(1).max(500),
});
export type EvidenceQuote = z.infer<typeof EvidenceQuoteSchema>;

/**
 * A conversation whose shopper messages address instructions to whoever reviews or trains the
 * agent (prompt injection aimed at this loop). It is listed for a person and never feeds a
 * finding, whatever else the diagnosis says.
 */
export const SuspicionSchema = z.object({
  reason: z.string().min(1).max(200),
  /** The message that carries the instruction, quoted verbatim (scrubbed before it is shown). */
  evidence: EvidenceQuoteSchema,
});
export type Suspicion = z.infer<typeof SuspicionSchema>;

export const DiagnosisSchema = z.object({
  conversationId: z.string().min(1),
  outcome: OutcomeSchema,
  /** Set when outcome is `failure` (and may be set for `uncertain`). */
  category: FailureCategorySchema.nullable(),
  /** Id of the skill that handled (or should have handled) the conversation, when known. */
  skillId: z.string().nullable(),
  /** A wrong skill's other side: the skill that took the conversation, when known. */
  tookSkillId: z.string().nullable().optional(),
  /** A short normalized topic, e.g. "international returns"; groups failures into findings. */
  topic: z.string().min(1).max(80),
  evidence: z.array(EvidenceQuoteSchema).max(5),
  confidence: z.number().min(0).max(1),
  summary: z.string().min(1).max(300),
  diagnoser: z.enum(['rules', 'claude']),
  /** Set when the transcript tries to instruct the loop. */
  suspicion: SuspicionSchema.optional(),
  /**
   * A failure whose category is a guess: the conversation plainly went wrong (the shopper was left
   * with the last, unanswered word) but nothing in it says why. It counts toward a finding that
   * surer diagnoses of its topic start, and never starts one (so it drafts no patch alone).
   */
  tentative: z.boolean().optional(),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
