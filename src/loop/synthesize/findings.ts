import { createHash } from 'node:crypto';
import { mergeNearDuplicates, mostAsked, unknownWords } from './topics.js';
import type { Diagnosis, FailureCategory } from '../../domain/diagnosis.js';
import { BEHAVIOUR_TOPICS, topicFromTitle, type Finding } from '../../domain/finding.js';
import { contentTokens, singular } from '../../domain/text.js';
import { roundTo } from '../../domain/format.js';
import type { WindowMetrics } from './window-metrics.js';

/**
 * Synthesis step one: failures grouped into findings (category × skill × topic), weighted and
 * ranked. Everything here is deterministic: the same diagnoses give the same findings, ids and
 * order, whatever order the store listed them in, so re-running a window re-finds them.
 */

/**
 * How much one failure of a category costs, before its confidence. A missed escalation leaves a
 * shopper stuck with no person (worst); an unnecessary one spends a person's time on what the
 * agent could answer; a knowledge gap is the most common and most fixable cause of both. Tone and
 * tool failures hurt less per conversation (and tools are built by people), `other` least.
 */
export const CATEGORY_WEIGHTS: Readonly<Record<FailureCategory, number>> = {
  missed_escalation: 3,
  unnecessary_escalation: 2,
  knowledge_gap: 2,
  wrong_skill: 1.5,
  instruction_gap: 1.5,
  tone: 1,
  tool_failure: 1,
  other: 0.5,
};

/** `uncertain` diagnoses count only from this confidence on. */
export const UNCERTAIN_MIN_CONFIDENCE = 0.5;
/** …and weigh this much of a `failure` with the same confidence. */
export const UNCERTAIN_WEIGHT = 0.5;
/** Conversations a group needs to be a pattern rather than one odd conversation. */
export const DEFAULT_MIN_COUNT = 2;
/** Evidence quotes kept per finding, each from a different conversation. */
export const MAX_EVIDENCE = 5;

export interface GroupFindingsInput {
  accountId: string;
  /** The window's diagnoses (successes included; they are ignored here). */
  diagnoses: readonly Diagnosis[];
  /** Conversations diagnosed in the window: the denominator of `shareOfWindow`. */
  windowConversations: number;
  /** Final conversations the pull has not fetched yet (see `Finding['metrics']`). */
  pendingConversations?: number | undefined;
  metrics?: WindowMetrics | undefined;
  /** @defaultValue DEFAULT_MIN_COUNT (2) */
  minCount?: number | undefined;
  /**
   * The configuration's words (skills, knowledge, rules), stemmed: knowledge gaps whose shoppers
   * name the same thing outside it merge. Without it, topics alone decide.
   */
  vocabulary?: ReadonlySet<string> | undefined;
  /**
   * The snippets' titles as topics (`normalizeTopic`): among a knowledge gap's equally frequent
   * spellings, one that names a snippet names it, since the fix completes that snippet.
   */
  snippetTopics?: ReadonlySet<string> | undefined;
}

const LEADING_ARTICLE = /^(?:the|a|an)\s+/;
// Left dangling when an email or order number is cut out: "refund for ann@x.com" → "refund".
const TRAILING_LINK_WORD = /(?:\s+(?:for|of|to|with|about|at|on|in|from|by|and|or|my|the|a|an))+$/;
const EMAIL_OR_URL = /\S+@\S+|\bhttps?:\/\/\S+|\bwww\.\S+/g;

/**
 * A topic as people read it: lowercase, no emails, links, digits-bearing tokens (order numbers)
 * or punctuation, single spaces, at most 8 words. Topics come from the diagnoser, which read
 * untrusted conversations, and the rules drafter writes them into patches.
 */
export function cleanTopic(topic: string): string {
  return topic
    .toLowerCase()
    .replace(EMAIL_OR_URL, ' ')
    .replace(/[^\p{L}\p{N}\s'-]+/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '' && !/\d/.test(word))
    .map((word) => word.replace(/^['-]+|['-]+$/g, ''))
    .filter((word) => word !== '')
    .slice(0, 8)
    .join(' ')
    .replace(LEADING_ARTICLE, '')
    .replace(TRAILING_LINK_WORD, '');
}

/**
 * The grouping key of a topic: `cleanTopic`, then each word made `singular`. Two topics are the same
 * finding only when these keys are equal (no synonym lists: predictable beats clever).
 */
export function normalizeTopic(topic: string): string {
  return cleanTopic(topic).split(' ').filter(Boolean).map(singular).join(' ');
}

/**
 * The topics that name a config item by its title: the whole title, and the title as a topic (cut
 * to six words, as `topicFromTitle` makes it), both normalized. Findings named after a snippet,
 * and the drafts that look the snippet up again, read titles by this one rule.
 */
export function titleTopics(title: string): string[] {
  return [normalizeTopic(title), normalizeTopic(topicFromTitle(title) ?? '')].filter(
    (t) => t !== '',
  );
}

/** `finding_` + 16 hex of SHA-256 over account, category, skill and normalized topic. */
export function findingIdFrom(
  accountId: string,
  category: FailureCategory,
  skillId: string | null,
  topicKey: string,
): string {
  const hash = createHash('sha256')
    .update([accountId, category, skillId ?? '', topicKey].join('|'))
    .digest('hex');
  return `finding_${hash.slice(0, 16)}`;
}

interface Counted {
  diagnosis: Diagnosis;
  category: FailureCategory;
  weight: number;
}

/** A failure, or an uncertain diagnosis confident enough to count (at a lower weight). */
function counted(diagnosis: Diagnosis): Counted | null {
  // A transcript that tries to steer the loop is for a person to read, never a pattern to fix.
  if (diagnosis.suspicion) return null;
  const category = diagnosis.category ?? 'other';
  if (diagnosis.outcome === 'failure') return { diagnosis, category, weight: 1 };
  if (diagnosis.outcome === 'uncertain' && diagnosis.confidence >= UNCERTAIN_MIN_CONFIDENCE) {
    return { diagnosis, category, weight: UNCERTAIN_WEIGHT };
  }
  return null;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const round = (value: number): number => roundTo(value, 4);

/**
 * The most frequent cleaned spelling of the group's topic, among members whose category was shown
 * (a tentative one, guessed, joins but does not name). A spelling `names` accepts (a snippet's
 * title) also counts the spellings whose words it all holds ("shipping" for "shipping rates and
 * delivery times"): the same subject, named by the item that fixes it. Among equals, one `names`
 * accepts, then the one whose words the most members' topics share ("trade in values" among
 * "trade in allowance", "trade in program" and an odd one out), then the first in code order.
 */
function displayTopic(
  members: readonly Counted[],
  key: string,
  names: (topic: string) => boolean = () => false,
): string {
  const shown = members.filter((m) => m.diagnosis.tentative !== true);
  const spellings = (shown.length > 0 ? shown : members)
    .map(({ diagnosis }) => cleanTopic(diagnosis.topic))
    .filter((t) => t !== '');
  const words = new Map(spellings.map((t) => [t, contentTokens(t)]));
  const within = (inner: string, outer: string): boolean =>
    [...(words.get(inner) ?? [])].every((w) => words.get(outer)?.has(w));
  const count = (topic: string): number =>
    spellings.filter((t) => t === topic || (names(topic) && !names(t) && within(t, topic))).length;
  const kin = (topic: string): number => {
    const own = words.get(topic) ?? new Set<string>();
    return spellings.filter((t) => t !== topic && [...(words.get(t) ?? [])].some((w) => own.has(w)))
      .length;
  };
  const named = (topic: string): number => (names(topic) ? 1 : 0);
  const ranked = [...new Set(spellings)].sort(
    (a, b) => count(b) - count(a) || named(b) - named(a) || kin(b) - kin(a) || compare(a, b),
  );
  return ranked[0] ?? key;
}

function evidenceOf(members: readonly Counted[]): Finding['evidence'] {
  const byStrength = [...members].sort(
    (a, b) =>
      b.weight * b.diagnosis.confidence - a.weight * a.diagnosis.confidence ||
      compare(a.diagnosis.conversationId, b.diagnosis.conversationId),
  );
  const evidence: Finding['evidence'] = [];
  for (const { diagnosis } of byStrength) {
    const quote = diagnosis.evidence[0];
    if (quote === undefined) continue;
    evidence.push({ conversationId: diagnosis.conversationId, ...quote });
    if (evidence.length === MAX_EVIDENCE) break;
  }
  return evidence;
}

/** The shopper's question a diagnosis quotes first (both diagnosers quote it before the reply). */
const questionOf = (member: Counted): string => member.diagnosis.evidence[0]?.quote ?? '';

/** Share of the window's questions a word may come up in and still tell a subject apart. */
const EVERYDAY_SHARE = 0.1;

/** Words in more than `EVERYDAY_SHARE` of the questions, and in more than five. */
function everyday(questions: readonly string[]): Set<string> {
  const counts = new Map<string, number>();
  for (const question of questions) {
    for (const word of contentTokens(question)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const floor = Math.max(5, questions.length * EVERYDAY_SHARE);
  return new Set([...counts].filter(([, n]) => n > floor).map(([word]) => word));
}

/** The last diagnosis of each conversation (a re-diagnosis replaces the earlier one). */
function latestPerConversation(diagnoses: readonly Diagnosis[]): Diagnosis[] {
  const byConversation = new Map<string, Diagnosis>();
  for (const diagnosis of diagnoses) byConversation.set(diagnosis.conversationId, diagnosis);
  return [...byConversation.values()];
}

/**
 * Wrong skills group by the skill that took the conversations: what a store sees is one skill
 * catching what it should not, while which skill should have had each one is read less surely.
 */
const TAKEN_KEY = normalizeTopic(BEHAVIOUR_TOPICS.outsideSkill);

/** The skill that took a wrong-skill conversation, when the diagnosis says. */
function tookSkillOf(d: Diagnosis): string | null {
  if (d.tookSkillId != null) return d.tookSkillId;
  // "No other skill names it" diagnoses name the skill that took it as theirs.
  return normalizeTopic(d.topic) === TAKEN_KEY ? d.skillId : null;
}

function groupingOf(
  d: Diagnosis,
  category: FailureCategory,
  topicKey: string,
): { skillId: string | null; key: string } {
  const took = category === 'wrong_skill' ? tookSkillOf(d) : null;
  return took === null ? { skillId: d.skillId, key: topicKey } : { skillId: took, key: TAKEN_KEY };
}

/**
 * The two sides of a group keyed by the skill that took it: the skill most of its conversations
 * should have gone to (then the fix is that one's, and the topic its own), or, when none was
 * named, the skill that took them (whose description must give them up).
 */
function wrongSkillSides(members: readonly Counted[]): {
  skillId: string | null;
  tookSkillId: string | null;
  topic: string;
} {
  const took = tookSkillOf((members[0] as Counted).diagnosis);
  const named = members.filter((m) => m.diagnosis.tookSkillId != null && m.diagnosis.skillId);
  const counts = new Map<string, number>();
  for (const { diagnosis } of named) {
    const right = diagnosis.skillId as string;
    counts.set(right, (counts.get(right) ?? 0) + 1);
  }
  const [right] = [...counts].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0] ?? [];
  if (right === undefined) {
    return { skillId: took, tookSkillId: null, topic: BEHAVIOUR_TOPICS.outsideSkill };
  }
  const forRight = named.filter((m) => m.diagnosis.skillId === right);
  return { skillId: right, tookSkillId: took, topic: displayTopic(forRight, TAKEN_KEY) };
}

/**
 * Groups the window's failures into findings. A group needs `minCount` conversations, at least
 * one of them an outright failure (a pile of maybes is not a pattern). Impact is
 * Σ confidence × CATEGORY_WEIGHTS × (UNCERTAIN_WEIGHT for uncertain ones); findings come sorted
 * by impact, highest first, then by id.
 */
export function groupFindings(input: GroupFindingsInput): Finding[] {
  const minCount = Math.max(1, input.minCount ?? DEFAULT_MIN_COUNT);
  const diagnoses = latestPerConversation(input.diagnoses);
  const groups = new Map<string, { key: string; members: Counted[] }>();
  for (const diagnosis of diagnoses) {
    const entry = counted(diagnosis);
    const topicKey = entry === null ? '' : normalizeTopic(diagnosis.topic);
    if (entry === null || topicKey === '') continue;
    const { skillId, key } = groupingOf(diagnosis, entry.category, topicKey);
    const id = findingIdFrom(input.accountId, entry.category, skillId, key);
    const group = groups.get(id) ?? { key, members: [] };
    group.members.push(entry);
    groups.set(id, group);
  }
  // A word that comes up across the window ("dear", "lab" at a lab supplier, "box" at a shipper
  // of boxes) names no one subject.
  const common = everyday(diagnoses.map((d) => d.evidence[0]?.quote ?? ''));
  const byTopic = mergeNearDuplicates(
    [...groups].map(([id, { key, members }]) => {
      const first = members[0] as Counted;
      return {
        id,
        key,
        members,
        category: first.category,
        skillId: key === TAKEN_KEY ? tookSkillOf(first.diagnosis) : first.diagnosis.skillId,
        topic: key,
      };
    }),
    common,
  );
  // Then knowledge gaps whose shoppers name the same thing the configuration does not know.
  const known =
    input.vocabulary === undefined ? undefined : new Set([...input.vocabulary, ...common]);
  const merged =
    known === undefined
      ? byTopic
      : mergeNearDuplicates(
          byTopic.map((group) => {
            if (group.category !== 'knowledge_gap') return group;
            const questions = group.members.map(questionOf);
            return {
              ...group,
              unknown: unknownWords(questions, known),
              asked: mostAsked(questions),
            };
          }),
          common,
        );
  // Never claim more than all of the window, whatever the caller counted.
  const denominator = Math.max(input.windowConversations, diagnoses.length);
  const snippets = input.snippetTopics;
  const findings: Finding[] = [];
  for (const { id, key, members, category } of merged) {
    const namesSnippet = (topic: string) =>
      category === 'knowledge_gap' && snippets !== undefined && snippets.has(normalizeTopic(topic));
    // A guessed category joins a finding; only a failure shown by its evidence starts one.
    const hasFailure = members.some(
      (m) => m.diagnosis.outcome === 'failure' && m.diagnosis.tentative !== true,
    );
    if (members.length < minCount || !hasFailure) continue;
    const first = members[0] as Counted;
    const sides = key === TAKEN_KEY ? wrongSkillSides(members) : null;
    const skillId = sides ? sides.skillId : first.diagnosis.skillId;
    const impact = members.reduce(
      (sum, m) => sum + m.diagnosis.confidence * CATEGORY_WEIGHTS[m.category] * m.weight,
      0,
    );
    const volume = skillId === null ? undefined : input.metrics?.skillVolumes[skillId];
    findings.push({
      id,
      accountId: input.accountId,
      category: first.category,
      skillId,
      ...(sides?.tookSkillId ? { tookSkillId: sides.tookSkillId } : {}),
      topic: sides ? sides.topic : displayTopic(members, key, namesSnippet),
      conversationIds: members.map((m) => m.diagnosis.conversationId).sort(compare),
      evidence: evidenceOf(members),
      metrics: {
        shareOfWindow: denominator === 0 ? 0 : round(Math.min(1, members.length / denominator)),
        windowConversations: Math.max(0, Math.trunc(input.windowConversations)),
        ...(input.pendingConversations
          ? { pendingConversations: Math.max(0, Math.trunc(input.pendingConversations)) }
          : {}),
        resolutionRate: input.metrics?.resolutionRate ?? null,
        skillVolume: volume === undefined ? null : Math.max(0, Math.trunc(volume)),
      },
      impact: round(impact),
    });
  }
  return findings.sort((a, b) => b.impact - a.impact || compare(a.id, b.id));
}
