import type { FailureCategory } from '../../domain/diagnosis.js';
import { contentTokens } from '../../domain/text.js';

/**
 * One topic, one finding. Diagnoses name the same subject in several ways ("international
 * returns", "return policy"; "price", "price match"); groups of one category whose topics share a
 * distinctive stemmed word merge into one, under the topic of the largest group. Words every topic
 * may carry ("question", "policy", "report") never merge two groups on their own.
 */

/** Words too general to say two topics are about the same thing. */
const GENERIC = contentTokens(
  'question questions policy policies report reports issue issues problem problems info ' +
    'information general detail details request requests help shopper shoppers customer ' +
    'customers reply replies product products item items store order orders thing things',
);

export interface TopicGroup<T> {
  category: FailureCategory;
  skillId: string | null;
  topic: string;
  members: T[];
  /**
   * For knowledge gaps: the words its shoppers used that the configuration does not know (see
   * `unknownWords`). Two gaps are one when a word most shoppers of one used comes up in the
   * other: they name the same unknown thing, however the agent or the diagnoser worded the topic.
   */
  unknown?: UnknownWords;
  /**
   * For knowledge gaps: the words most of its shoppers' questions use. A gap named after a thing
   * ("restrictions for gas cartridges") is the same gap as one named only by a general heading
   * ("shipping") whose shoppers mostly asked about that thing.
   */
  asked?: ReadonlySet<string>;
}

export interface UnknownWords {
  /** Used by most of the group's shoppers. */
  common: ReadonlySet<string>;
  /** Used by any of them. */
  any: ReadonlySet<string>;
}

/** How many of `questions` use each of their words (`GENERIC` and those `skip` names left out). */
function questionCounts(
  questions: readonly string[],
  skip: ReadonlySet<string> = new Set(),
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const question of questions) {
    for (const word of contentTokens(question)) {
      if (skip.has(word) || GENERIC.has(word)) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** The words of `counts` used by most of `total` questions. */
const byMost = (counts: ReadonlyMap<string, number>, total: number): Set<string> =>
  new Set([...counts].filter(([, n]) => n * 2 > total).map(([word]) => word));

/** The words (not `GENERIC`) that most of `questions` use. */
export function mostAsked(questions: readonly string[]): Set<string> {
  return byMost(questionCounts(questions), questions.length);
}

/** The words of `questions` that `vocabulary` (the configuration's words) lacks. */
export function unknownWords(
  questions: readonly string[],
  vocabulary: ReadonlySet<string>,
): UnknownWords {
  const counts = questionCounts(questions, vocabulary);
  // In a larger group, one shopper's word ("thanks a lot") is no sign of its subject.
  const recurring = [...counts].filter(([, n]) => n >= 2 || questions.length <= 2);
  return {
    common: byMost(counts, questions.length),
    any: new Set(recurring.map(([word]) => word)),
  };
}

/** Whether the commonest unknown words of one group come up in the other. */
function nameSameUnknown<T>(a: TopicGroup<T>, b: TopicGroup<T>): boolean {
  // Only groups that are patterns already: one conversation's unknown words link too easily.
  if (!a.unknown || !b.unknown || a.members.length < 2 || b.members.length < 2) return false;
  const [x, y] = [a.unknown, b.unknown];
  return [...x.common].some((w) => y.any.has(w)) || [...y.common].some((w) => x.any.has(w));
}

/** The distinctive words of a topic: not generic, and not among `everyday`. */
function topicWords(topic: string, everyday: ReadonlySet<string>): Set<string> {
  const words = contentTokens(topic);
  for (const generic of GENERIC) words.delete(generic);
  for (const word of everyday) words.delete(word);
  return words;
}

/**
 * Whether two groups are one subject: the same category, skills that do not disagree (the same, or
 * one unknown; any, for knowledge gaps), and a shared distinctive word.
 */
function sameSubject<T>(
  a: TopicGroup<T> & { words: ReadonlySet<string> },
  b: TopicGroup<T> & { words: ReadonlySet<string> },
): boolean {
  if (a.category !== b.category) return false;
  // Every skill answers from the same knowledge, so a gap's skill does not tell two gaps apart.
  const skillsAgree =
    a.category === 'knowledge_gap' ||
    a.skillId === b.skillId ||
    a.skillId === null ||
    b.skillId === null;
  if (!skillsAgree) return false;
  // A topic's own words that most of the other group's shoppers asked about.
  const namesTheirs = (x: typeof a, y: typeof b) =>
    y.members.length >= 2 && [...x.words].some((w) => y.asked?.has(w) === true);
  return (
    [...a.words].some((w) => b.words.has(w)) ||
    nameSameUnknown(a, b) ||
    namesTheirs(a, b) ||
    namesTheirs(b, a)
  );
}

/**
 * Merges near-duplicate groups. The largest group of each merged set (then the first in input
 * order) keeps its key, topic and skill; the others' members join it. Input order is kept.
 * Words in `everyday` (what most of the store's conversations are about: "box" at a shipper of
 * boxes) make no two topics one.
 */
export function mergeNearDuplicates<T, G extends TopicGroup<T>>(
  groups: readonly G[],
  everyday: ReadonlySet<string> = new Set(),
): G[] {
  const parent = groups.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i] ?? i)));
  // Each topic's distinctive words, read once rather than once per pair.
  const read = groups.map((g) => ({ ...g, words: topicWords(g.topic, everyday) }));
  for (let i = 0; i < read.length; i += 1) {
    for (let j = i + 1; j < read.length; j += 1) {
      const [a, b] = [read[i], read[j]];
      if (a && b && sameSubject(a, b)) parent[find(j)] = find(i);
    }
  }
  const sets = new Map<number, number[]>();
  groups.forEach((_, i) => sets.set(find(i), [...(sets.get(find(i)) ?? []), i]));
  const merged: { at: number; group: G }[] = [];
  for (const indexes of sets.values()) {
    const lead = indexes.reduce((best, i) =>
      (groups[i]?.members.length ?? 0) > (groups[best]?.members.length ?? 0) ? i : best,
    );
    const head = groups[lead];
    if (!head) continue;
    merged.push({
      at: Math.min(...indexes),
      group: {
        ...head,
        members: [lead, ...indexes.filter((i) => i !== lead)].flatMap(
          (i) => groups[i]?.members ?? [],
        ),
      },
    });
  }
  return merged.sort((x, y) => x.at - y.at).map((m) => m.group);
}
