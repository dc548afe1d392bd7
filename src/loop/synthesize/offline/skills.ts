import { BEHAVIOUR_TOPICS } from '../../../domain/finding.js';
import { requestedDetails, type Detail } from '../../../domain/detail-requests.js';
import type { Wording } from '../../../domain/wording.js';
import { normalizeTopic } from '../findings.js';
import type { AgentConfigView, SkillView } from '../../../patches/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import { overlap } from '../../../domain/text.js';
import {
  contentWords,
  draft,
  skillOf,
  skillUpdate,
  skip,
  topicOf,
  withCompanion,
  wordingOf,
  type RulesOutcome,
} from './draft.js';
import type { Patch } from '../../../patches/patch.js';

/** The skill templates: a wrong skill's description routes the topic, an instruction gap gets a line. */

/** The skill whose name and description share the most words with the topic, if any does. */
function bestSkillFor(topic: string, skills: readonly SkillView[]): SkillView | undefined {
  const words = contentWords(topic);
  let best: { skill: SkillView; score: number } | undefined;
  const ordered = [...skills].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const skill of ordered) {
    const text = `${skill.name.replace(/_/g, ' ')} ${skill.displayName} ${skill.description}`;
    const score = overlap(words, contentWords(text));
    if (score > 0 && (best === undefined || score > best.score)) best = { skill, score };
  }
  return best?.skill;
}

/**
 * Words the shoppers of a finding used again and again (in two conversations or more) that the
 * skill's description lacks: how they describe what the skill should catch. Lower-case
 * dictionary words only, so no name, number or address of theirs can pass.
 */
function recurringWords(finding: Finding, skill: SkillView): string[] {
  const known = wordsOf(skill);
  return recurring(finding, (key) => !known.has(key));
}

const wordsOf = (skill: SkillView): Set<string> =>
  contentWords(`${skill.displayName} ${skill.description}`);

/** Shoppers' lower-case words that `keep` accepts (by stem), used in two conversations or more. */
function recurring(finding: Finding, keep: (key: string) => boolean): string[] {
  const seen = new Map<string, { word: string; conversations: Set<string> }>();
  for (const { quote, conversationId } of finding.evidence) {
    for (const word of quote.match(/(?<![\p{L}\p{N}@.'’-])\p{Ll}{4,}(?![\p{L}\p{N}@'’-])/gu) ??
      []) {
      const [key] = contentWords(word);
      if (key === undefined || !keep(key)) continue;
      const entry = seen.get(key) ?? { word, conversations: new Set<string>() };
      entry.conversations.add(conversationId);
      seen.set(key, entry);
    }
  }
  return [...seen.values()]
    .filter((e) => e.conversations.size >= 2)
    .sort((a, b) => b.conversations.size - a.conversations.size || (a.word < b.word ? -1 : 1))
    .slice(0, 5)
    .map((e) => e.word);
}

/**
 * Shoppers rejected what the skill made of their question and no skill's description names it:
 * the skill's description gains an exclusion in the words those shoppers kept using.
 */
function outsideSkill(finding: Finding, skill: SkillView, say: Wording): RulesOutcome {
  const cues = recurringWords(finding, skill);
  if (cues.length === 0) {
    return skip(
      `Shoppers said "${skill.displayName}" was not what they asked, in words too varied to name; a person should say which skill takes them.`,
    );
  }
  const line = say.notHereWords(quoted(cues));
  if (skill.description.includes(line))
    return skip(`Skill "${skill.displayName}" already says this.`);
  const why = `Shoppers asking about ${cues.join(', ')} were answered as "${skill.displayName}" and said that was not it; no skill's description names these words, so this one now excludes them. Add them to the description of the skill that should take them.`;
  return draft(
    skillUpdate(skill, 'description', line),
    why,
    `Those questions stop reaching "${skill.displayName}".`,
  );
}

/** Quoted words, comma-separated: `"tube", "valve"`. */
const quoted = (words: readonly string[]): string => words.map((w) => `"${w}"`).join(', ');

/**
 * The other side of a wrong skill: the line with which the skill that took `right`'s
 * conversations gives them up. Config names only: shoppers' words could name what the taking
 * skill does handle. Null when its description already says it.
 */
function givingUp(
  took: SkillView,
  right: SkillView,
  say: Wording,
  what = say.skillQuestions(right.displayName),
): { patch: Patch; why: string; impact: string } | null {
  const line = say.notHere(what, right.displayName);
  if (took.description.includes(line)) return null;
  return {
    patch: skillUpdate(took, 'description', line),
    why: `Conversations for "${right.displayName}" went to "${took.displayName}"; its description now gives them up, so they reach "${right.displayName}".`,
    impact: `"${took.displayName}" stops taking what "${right.displayName}" is for.`,
  };
}

/** `outcome`, with the taking skill's side drafted alongside when there is one to change. */
function withTakingSide(
  outcome: RulesOutcome,
  took: SkillView | undefined,
  right: SkillView,
  say: Wording,
  what?: string,
): RulesOutcome {
  const side = took === undefined ? null : givingUp(took, right, say, what);
  return side === null ? outcome : withCompanion(outcome, side);
}

/**
 * The skill that took another's conversations, although that one's description names them: its
 * description now sends them there (config names only). Where shoppers kept using words both
 * descriptions use, the right skill claims those words too, and the two go as a pair.
 */
function handOver(finding: Finding, took: SkillView, right: SkillView, say: Wording): RulesOutcome {
  const side = givingUp(took, right, say);
  // The words both descriptions use, as shoppers used them: where the two overlap.
  const inTook = wordsOf(took);
  const inRight = wordsOf(right);
  const shared = recurring(finding, (key) => inTook.has(key) && inRight.has(key));
  const claim = say.claims(quoted(shared), right.displayName, took.displayName);
  if (shared.length > 0 && !right.description.includes(claim)) {
    // Both sides: the right skill claims the overlap, and the taking skill gives it up.
    const why = `Conversations that "${right.displayName}" describes went to "${took.displayName}": shoppers used words both descriptions use (${shared.join(', ')}). "${right.displayName}" now claims them.`;
    const outcome = draft(
      skillUpdate(right, 'description', claim),
      why,
      `Those conversations reach "${right.displayName}".`,
    );
    return side === null ? outcome : withCompanion(outcome, side);
  }
  if (side === null) return skip(`Skill "${took.displayName}" already says this.`);
  const why = `Conversations that "${right.displayName}" describes went to "${took.displayName}", whose description claims them too; it now gives them up. The shoppers used no words "${right.displayName}" lacks, so its own description stays.`;
  return draft(side.patch, why, `Those conversations reach "${right.displayName}".`);
}

/**
 * A wrong skill's fix is both skills' descriptions: the skill that should have had the
 * conversations claims them (the proposal), and the skill that took them gives them up (drafted
 * alongside, decided together). When the right skill already names the case, it claims the words
 * both descriptions use, if shoppers kept using some, and otherwise only the taking skill changes;
 * when no skill is named as right, only the taking skill's exclusion is drafted.
 */
export function wrongSkill(finding: Finding, view: AgentConfigView): RulesOutcome {
  const skill = skillOf(finding, view);
  if (skill === undefined) return skip('The finding names no skill of the agent to clarify.');
  const say = wordingOf(view);
  if (finding.topic === BEHAVIOUR_TOPICS.outsideSkill) return outsideSkill(finding, skill, say);
  const took = view.skills.find((s) => s.id === finding.tookSkillId && s.id !== skill.id);
  const cues = recurringWords(finding, skill);
  if (cues.length > 0 && normalizeTopic(finding.topic) === normalizeTopic(skill.displayName)) {
    // The finding is the skill's own: the conversations it missed describe the case in these words.
    const line = say.describedAs(quoted(cues));
    if (skill.description.includes(line))
      return took === undefined
        ? skip(`Skill "${skill.displayName}" already says this.`)
        : handOver(finding, took, skill, say);
    const why = took
      ? `Conversations for "${skill.displayName}" went to "${took.displayName}"; shoppers described them with words the description of "${skill.displayName}" lacks.`
      : `Conversations for "${skill.displayName}" went to another skill; shoppers described them with words its description lacks.`;
    const outcome = draft(
      skillUpdate(skill, 'description', line),
      why,
      `Those conversations reach "${skill.displayName}".`,
    );
    return withTakingSide(outcome, took, skill, say);
  }
  if (normalizeTopic(finding.topic) === normalizeTopic(skill.displayName)) {
    // Its description names the case already, so the skill that took it claims it too: that one
    // gives it up. Saying a skill handles its own name would change nothing.
    if (took !== undefined) return handOver(finding, took, skill, say);
    return skip(
      `Conversations for "${skill.displayName}" went to another skill, and their shoppers share no words its description lacks; a person should say how they describe it.`,
    );
  }
  const topic = topicOf(finding);
  const best = bestSkillFor(topic, view.skills);
  let field: 'description' | 'instructions' = 'description';
  let line: string;
  let why: string;
  if (best !== undefined && best.id !== skill.id) {
    line = say.belongsElsewhere(topic, best.displayName);
    why = `"${best.displayName}" matches the topic better; the description now routes it there.`;
  } else if (best !== undefined) {
    line = say.alsoHandles(topic);
    why = `"${skill.displayName}" is the skill for the topic; its description now says so.`;
  } else {
    field = 'instructions';
    line = say.mayNotBelong(topic);
    why = 'No skill clearly covers the topic; the instructions now keep it from guessing.';
  }
  if (skill[field].includes(line)) return skip(`Skill "${skill.displayName}" already says this.`);
  const impact = `Questions about ${topic} reach the skill that can answer them.`;
  const outcome = draft(skillUpdate(skill, field, line), why, impact);
  // Claimed by its skill: the skill that took the topic gives it up alongside.
  return best?.id === skill.id
    ? withTakingSide(outcome, took, skill, say, say.questionsAbout(topic))
    : outcome;
}

/** The skill's instructions gain `line`, unless they have it already. */
function guidanceLine(skill: SkillView, line: string, why: string, impact: string): RulesOutcome {
  if (skill.instructions.includes(line)) {
    return skip(`Skill "${skill.displayName}" already has this guidance line.`);
  }
  return draft(skillUpdate(skill, 'instructions', line), why, impact);
}

/** The details the agent's quoted requests ask for, in words ("order number", "email"). */
function reaskedDetails(finding: Finding, say: Wording): string[] {
  const asked = new Set<Detail>();
  for (const { quote } of finding.evidence) for (const d of requestedDetails(quote)) asked.add(d);
  return [...asked].map((d) => say.details[d]);
}

/** Instructions that make the skill read what the shopper already gave before asking. */
function reaskDraft(finding: Finding, skill: SkillView, say: Wording): RulesOutcome {
  const details = reaskedDetails(finding, say);
  const what = details.length > 0 ? details.join(', ') : say.someDetails;
  const line = say.reask(what);
  const why = `"${skill.displayName}" asked shoppers again for the ${what} they had already given; its instructions now say to use it.`;
  const impact = `Shoppers of "${skill.displayName}" are not asked twice for the same ${what}.`;
  return guidanceLine(skill, line, why, impact);
}

/** Instructions that make the skill confirm a change before it makes it. */
function confirmDraft(skill: SkillView, say: Wording): RulesOutcome {
  const line = say.confirmFirst;
  const why = `"${skill.displayName}" made changes before confirming what shoppers meant, and they had to stop it; its instructions now ask it to confirm first.`;
  const impact = `Shoppers of "${skill.displayName}" get the change they asked for, not a guess.`;
  return guidanceLine(skill, line, why, impact);
}

/** Instructions that make the skill ask what its advice depends on before giving it. */
function askFirstDraft(skill: SkillView, say: Wording): RulesOutcome {
  const line = say.askFirst;
  const why = `"${skill.displayName}" gave advice that did not hold for the shopper's situation and took it back once they said; its instructions now ask it to find out first.`;
  const impact = `Shoppers of "${skill.displayName}" get advice for their situation the first time.`;
  return guidanceLine(skill, line, why, impact);
}

/** Instructions for an order the lookup shows held up: its dates, or what the store can offer. */
function heldUpDraft(skill: SkillView, say: Wording): RulesOutcome {
  const line = say.heldUpOrder;
  const why = `"${skill.displayName}" read out orders as held up and, asked when they would come, gave no date and nothing else to do; its instructions now say what to tell and offer.`;
  const impact = `Shoppers whose order is held up hear its dates, or what they can do instead.`;
  return guidanceLine(skill, line, why, impact);
}

/** Instructions that make the skill do what the shopper asked once they turned an offer down. */
function doAskedDraft(skill: SkillView, say: Wording): RulesOutcome {
  const line = say.doAsked;
  const why = `"${skill.displayName}" answered shoppers who asked for one thing, again and again, with other offers; its instructions now say to do what was asked.`;
  const impact = `Shoppers of "${skill.displayName}" get what they asked for after one "no".`;
  return guidanceLine(skill, line, why, impact);
}

export function instructionGap(finding: Finding, view: AgentConfigView): RulesOutcome {
  const skill = skillOf(finding, view);
  if (skill === undefined) return skip('The finding names no skill whose instructions to extend.');
  const say = wordingOf(view);
  if (finding.topic === BEHAVIOUR_TOPICS.reask) return reaskDraft(finding, skill, say);
  if (finding.topic === BEHAVIOUR_TOPICS.unconfirmed) return confirmDraft(skill, say);
  if (finding.topic === BEHAVIOUR_TOPICS.unasked) return askFirstDraft(skill, say);
  if (finding.topic === BEHAVIOUR_TOPICS.putOff) return doAskedDraft(skill, say);
  if (finding.topic === BEHAVIOUR_TOPICS.heldUpOrder) return heldUpDraft(skill, say);
  const topic = topicOf(finding);
  const line = say.topicLine(topic);
  const why = `The instructions of "${skill.displayName}" gain one line about the topic.`;
  const impact = `"${skill.displayName}" handles ${topic} the way the store wants.`;
  return guidanceLine(skill, line, why, impact);
}
