import type { EvidenceQuote, FailureCategory } from '../../../domain/diagnosis.js';
import { asksSomething, type Analysis } from './conversation.js';
import {
  clearBest,
  followedSkill,
  skillScores,
  type IndexedContext,
  type RulesSkill,
} from './matching.js';
import type { Turn } from './evidence.js';
import {
  agentHandsOff,
  agentLacksInfo,
  agentOffersHandoff,
  agentRefusesHandoff,
  agentReportsError,
} from './signals.js';
import { questionTopic } from './topic.js';

/**
 * What a failure detector finds: how sure it is, which messages show it, which skill and topic it
 * concerns, and why (one line built from config names and fixed words only: no transcript text,
 * so no personal data).
 */
export interface Candidate {
  category: FailureCategory;
  confidence: number;
  topic: string;
  skillId: string | null;
  /** A wrong skill: the skill that took the conversation. */
  tookSkillId?: string;
  /** The category is a guess (see `Diagnosis.tentative`). */
  tentative?: boolean;
  evidence: EvidenceQuote[];
  summary: string;
}

/** Looks for one category's signals in a conversation. */
export type Detector = (a: Analysis) => Candidate | null;

export const isAgent = (t: Turn): boolean => t.role === 'agent';
export const isUser = (t: Turn): boolean => t.role === 'user';

/** The agent said something of substance (not a handoff, offer, refusal, "I don't know" or error). */
export function substantive(t: Turn): boolean {
  return (
    isAgent(t) &&
    !agentHandsOff(t.text) &&
    !agentOffersHandoff(t.text) &&
    !agentRefusesHandoff(t.text) &&
    !agentLacksInfo(t.text) &&
    !agentReportsError(t.text)
  );
}

/** The topic of a question in this conversation (see `questionTopic`). */
export function topicFor(a: Analysis, question: Turn | null): string {
  return questionTopic(question?.clean ?? null, a.ctx, a.skill?.name ?? null);
}

/** The message a reaction refers to: the shopper's last real question before `turn`. */
export function askingBefore(a: Analysis, turn: Turn): Turn | null {
  const asked = a.turns.slice(0, turn.index).filter((t) => isUser(t) && asksSomething(t.clean));
  return asked.at(-1) ?? a.question;
}

/** The skill (as indexed) whose words the agent's substantive replies use, when one clearly does. */
export function actedAs(a: Analysis): IndexedContext['skills'][number] | null {
  return framedBy(a, a.turns.filter(substantive));
}

/** The skill (as indexed) whose words `replies` use, when one clearly does. */
export function framedBy(
  a: Analysis,
  replies: readonly Turn[],
): IndexedContext['skills'][number] | null {
  const id = clearBest(
    skillScores(
      replies.map((t) => t.text),
      a.ctx,
    ),
    2,
  );
  return a.ctx.skills.find((s) => s.skill.id === id) ?? null;
}

const followedCache = new WeakMap<Analysis, RulesSkill | null>();

/**
 * The skill whose steps the agent's substantive replies follow, when one clearly does (by its
 * description and its instructions' own words); read once per conversation.
 */
function followedBy(a: Analysis): RulesSkill | null {
  let followed = followedCache.get(a);
  if (followed === undefined) {
    const id = followedSkill(
      a.turns.filter(substantive).map((t) => t.text),
      a.ctx,
    );
    followed = a.ctx.skills.find((s) => s.skill.id === id)?.skill ?? null;
    followedCache.set(a, followed);
  }
  return followed;
}

/**
 * The skill whose steps the agent was following, else the one the shopper's words route to. An
 * instruction gap is fixed in those instructions, whichever skill the topic sounds like.
 */
export function instructionsOwner(a: Analysis): RulesSkill | null {
  return followedBy(a) ?? a.skill;
}

/** The skills with tools bound (none when the bindings were not read). */
export function skillsWithTools(a: Analysis): RulesSkill[] {
  return a.ctx.skills.map((s) => s.skill).filter((skill) => (skill.tools?.length ?? 0) > 0);
}

/**
 * The skill whose tool failed: the one the conversation routes to when it has tools bound, else
 * the skill with tools whose steps the replies follow, else the only skill with tools. A skill
 * with no tools called none, so it owns no tool failure while others have tools bound (null when
 * none can be told).
 */
export function toolOwner(a: Analysis): RulesSkill | null {
  const withTools = skillsWithTools(a);
  // Bindings unknown (none read): the routed skill is the best guess.
  if (withTools.length === 0) return a.skill;
  if (a.skill && withTools.includes(a.skill)) return a.skill;
  const followed = followedBy(a);
  if (followed && withTools.includes(followed)) return followed;
  return withTools.length === 1 ? (withTools[0] ?? null) : null;
}
