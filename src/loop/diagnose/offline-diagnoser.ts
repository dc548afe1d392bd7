import {
  DiagnosisSchema,
  type Diagnosis,
  type FailureCategory,
  type Outcome,
} from '../../domain/diagnosis.js';
import { analyze, type Analysis } from './offline/conversation.js';
import { DETECTORS, type Candidate } from './offline/detectors.js';
import { quotesOf } from './offline/evidence.js';
import type { RulesContext } from './offline/matching.js';
import { matchRule } from '../../domain/rule-triggers.js';
import { needsPerson } from '../../domain/situations.js';
import { isHumanAsk } from './offline/signals.js';
import { findSuspicion } from './offline/suspicion.js';
import { questionTopic, TOPICS } from './offline/topic.js';
import { scrubPersonalData } from '../../domain/scrub.js';
import type { ConversationSnapshot } from '../../domain/snapshot.js';
import { roundTo } from '../../domain/format.js';

export type { RulesContext, RulesKnowledge, RulesSkill } from './offline/matching.js';
export type { RulesGuidance } from '../../domain/rule-triggers.js';

/**
 * The offline diagnoser: phrase and word-overlap signals, no LLM. It is the default without an
 * Anthropic key and the triage in front of Claude. Transcript text is only matched, never obeyed:
 * a shopper writing "ignore your instructions" is just words that match no signal. Summaries are
 * built from fixed words and config names (then scrubbed anyway), never from transcript text.
 */

/** Signals at or above this confidence make a failure; weaker ones an `uncertain`. */
export const FAILURE_CONFIDENCE = 0.5;

/** A detector's candidate, or the verdict of a conversation with none (no category). */
type Verdict = Omit<Candidate, 'category'> & { category: FailureCategory | null };

/** Diagnoses one conversation by rules. Deterministic: the same input gives the same diagnosis. */
export function diagnoseByRules(snapshot: ConversationSnapshot, context: RulesContext): Diagnosis {
  const a = analyze(snapshot, context);
  const candidates = DETECTORS.map((detect) => detect(a)).filter((c): c is Candidate => c !== null);
  // The strongest evidence wins; among equals, the detector listed first.
  const failure = candidates
    .filter((c) => c.confidence >= FAILURE_CONFIDENCE)
    .reduce<Candidate | undefined>(
      (best, c) => (best && best.confidence >= c.confidence ? best : c),
      undefined,
    );
  if (failure) return build(a, 'failure', failure);
  const weak = [...candidates].sort((x, y) => y.confidence - x.confidence)[0];
  if (weak) return build(a, 'uncertain', weak);
  return build(a, ...noFailure(a));
}

/** A conversation with no failure signal: a success when it ended well, else uncertain. */
function noFailure(a: Analysis): [Outcome, Verdict] {
  const topic = questionTopic(a.question?.clean ?? null, a.ctx, a.skill?.name ?? null);
  const base = {
    category: null,
    topic,
    skillId: a.skill?.id ?? null,
    evidence: quotesOf([a.question]),
  };
  const ok = (confidence: number, summary: string): [Outcome, Verdict] => [
    'success',
    { ...base, confidence, summary },
  ];
  const unsure = (confidence: number, summary: string): [Outcome, Verdict] => [
    'uncertain',
    { ...base, confidence, summary },
  ];
  if (a.routed) {
    const users = a.turns.filter((t) => t.role === 'user');
    if (users.some((t) => isHumanAsk(t.text))) {
      return ok(0.8, 'The shopper asked for a person and the agent handed off.');
    }
    // Only what was said before the handoff can have set a rule off.
    const before = users.filter((t) => a.handoffTurn === null || t.index < a.handoffTurn.index);
    const rule = matchRule(before.map((t) => t.text).join('\n'), a.ctx.rules);
    if (rule)
      return ok(0.75, `The agent handed off as the escalation rule "${rule.rule.title}" requires.`);
    if (users.some((t) => needsPerson(t.clean) !== null)) {
      return ok(0.75, 'The agent handed off a situation that needs a person.');
    }
    return unsure(
      0.45,
      `The agent handed off a conversation about ${topic}; the transcript does not say why.`,
    );
  }
  if (a.status === 'resolved-by-ai') {
    return ok(a.endsWithThanks ? 0.9 : 0.8, `The agent answered the question about ${topic}.`);
  }
  if (a.endsWithThanks) {
    return ok(0.85, `The agent answered the question about ${topic} and the shopper thanked it.`);
  }
  if (a.status === 'open') return unsure(0.4, `The conversation about ${topic} is still open.`);
  return unsure(0.5, `The conversation about ${topic} ended without a sign of how it went.`);
}

function build(a: Analysis, outcome: Outcome, c: Verdict): Diagnosis {
  const suspicion = findSuspicion(a.turns);
  return DiagnosisSchema.parse({
    ...(suspicion ? { suspicion } : {}),
    conversationId: a.conversationId,
    outcome,
    category: outcome === 'success' ? null : c.category,
    skillId: c.skillId,
    ...(outcome !== 'success' && c.tookSkillId ? { tookSkillId: c.tookSkillId } : {}),
    ...(outcome !== 'success' && c.tentative ? { tentative: true } : {}),
    topic: clean(c.topic, 80) || TOPICS.fallback,
    evidence: c.evidence,
    confidence: roundTo(c.confidence, 2),
    summary: clean(c.summary, 300),
    diagnoser: 'rules',
  });
}

/** One line, personal data scrubbed, cut to `max` characters. */
function clean(text: string, max: number): string {
  const line = scrubPersonalData(text.replace(/\s+/g, ' ').trim()).text;
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
