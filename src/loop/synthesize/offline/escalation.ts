import {
  reportsFraud,
  reportsHarm,
  situationPhrases,
  threatensLegal,
  ruleNamesSituation,
  lostParcelWords,
  ruleNamesLostParcel,
} from '../../../domain/situations.js';
import { WORDING, type Situation, type Wording } from '../../../domain/wording.js';
import type { AgentConfigView } from '../../../patches/agent-config.js';
import { topicFromTitle, type Finding } from '../../../domain/finding.js';
import { contentTokens, overlap, stem, words as wordList } from '../../../domain/text.js';
import type { GuidanceItem, Patch } from '../../../patches/patch.js';
import { findGuidanceIndex } from '../../../patches/guidance-list.js';
import { indexRules, matchRule, ruleTriggers } from '../../../domain/rule-triggers.js';
import {
  contentWords,
  draft,
  policyProblems,
  skillOf,
  skillUpdate,
  skip,
  topicOf,
  append,
  wordingOf,
  type RulesOutcome,
} from './draft.js';

/**
 * The escalation templates: a missed escalation gains a rule (unless one already covers it); an
 * unnecessary one relaxes the skill's handoff, or narrows the escalation rule that fired.
 */

/** Words that mark the ask-for-a-person case in a topic, and a rule that already handles it. */
const PERSON_WORDS = contentTokens(
  'human person people representative humain personne conseiller humano persona asesor ' +
    'mensch menschen mitarbeiter mitarbeiterin ansprechpartner berater beraterin ' +
    'pessoa atendente humano consultora consultor',
);

const mentionsPerson = (words: ReadonlySet<string>, extra?: ReadonlySet<string>): boolean =>
  [...words].some((w) => PERSON_WORDS.has(w) || extra?.has(w) === true);
/** …and the words that mark it in a topic only ("agent handoff", "someone to call"). */
const PERSON_TOPIC_WORDS = contentTokens('agent someone jemand jemanden alguém alguem');

/** Whether a rule is the ask-for-a-person rule, in whichever language it was drafted. */
const isPersonRule = (rule: GuidanceItem): boolean =>
  Object.values(WORDING).some((w) => w.personRule.title === rule.title);

function escalationRuleFor(topic: string, say: Wording): GuidanceItem {
  if (mentionsPerson(contentWords(topic), PERSON_TOPIC_WORDS)) {
    return { ...say.personRule, status: 'enabled' };
  }
  const { title, description } = say.topicRule(topic);
  return { title: title.slice(0, 120), description, status: 'enabled' };
}

/**
 * An enabled rule that already covers `rule`, by the words of its title and description: for the
 * ask-for-a-person rule, any rule that mentions a person; for a topic rule, one that has every
 * content word of the topic.
 */
function coveringRule(
  rule: GuidanceItem,
  topic: string,
  rules: readonly GuidanceItem[],
): GuidanceItem | undefined {
  const wanted = contentWords(topic);
  return rules.find((r) => {
    if (r.status !== 'enabled') return false;
    const words = contentWords(`${r.title} ${r.description}`);
    if (isPersonRule(rule)) return mentionsPerson(words);
    return wanted.size > 0 && overlap(wanted, words) === wanted.size;
  });
}

/** How each situation that needs a person is read in a message. */
const SITUATION_TESTS: Record<Situation, (text: string) => boolean> = {
  harm: reportsHarm,
  legal: threatensLegal,
  fraud: reportsFraud,
};

/** The situation a missed-escalation finding is about, from its evidence, if it is one of them. */
function situationOf(finding: Finding): Situation | null {
  for (const key of Object.keys(SITUATION_TESTS) as Situation[]) {
    if (finding.evidence.some((e) => SITUATION_TESTS[key](e.quote))) return key;
  }
  return null;
}

/**
 * A rule for people in a situation that needs one: its quoted triggers are the words the shoppers
 * used for it (harm, legal or fraud vocabulary found in the evidence, nothing else of theirs). An
 * enabled rule about the same situation gains the triggers instead of a second rule.
 */
function situationRule(finding: Finding, view: AgentConfigView, key: Situation): RulesOutcome {
  const say = wordingOf(view);
  const triggers = [
    ...new Set(finding.evidence.flatMap((e) => situationPhrases(e.quote, key))),
  ].slice(0, 8);
  if (triggers.length === 0) return skip('The evidence names no situation to quote as a trigger.');
  const quoted = triggers.map((t) => `"${t}"`).join(', ');
  const rules = view.agent.escalationRules;
  // A rule is about the situation when its title says so: a remake rule that quotes "can't see"
  // is about remakes, and widening it would hand injuries to whoever does remakes.
  const existing = rules.find((r) => r.status === 'enabled' && ruleNamesSituation(r) === key);
  const impact =
    'Shoppers in that situation reach a person instead of more answers from the agent.';
  if (existing !== undefined) {
    const missing = triggers.filter((t) => !existing.description.toLowerCase().includes(t));
    if (missing.length === 0) {
      return skip(
        `The escalation rule "${existing.title}" already quotes these triggers; the agent did not apply it, which a person should look at.`,
      );
    }
    const patch = withMoreTriggers(existing, missing, say);
    const why = `The escalation rule "${existing.title}" did not fire on the words these shoppers used; it gains them as triggers.`;
    return draft(patch, why, impact);
  }
  const rule: GuidanceItem = {
    title: say.situations[key].title,
    description: say.situationDescription(key, quoted),
    status: 'enabled',
  };
  const patch: Patch = { kind: 'agent.escalation-rule.add', rule };
  const what = WORDING.en.situations[key].what;
  const why = `Shoppers ${what.replace(/^reports/, 'reported').replace(/^threatens/, 'threatened')} and the agent kept answering; a rule hands such conversations to a person.`;
  return draft(patch, why, impact);
}

export function missedEscalation(finding: Finding, view: AgentConfigView): RulesOutcome {
  const situation = situationOf(finding);
  if (situation !== null) return situationRule(finding, view, situation);
  const named = namedRuleWidened(finding, view);
  if (named !== null) return named;
  const topic = topicOf(finding);
  const rule = escalationRuleFor(topic, wordingOf(view));
  // A skill that never hands off refuses shoppers who ask for a person: its handoff is the fix.
  const skill = skillOf(finding, view);
  if (isPersonRule(rule) && skill?.handoff === 'none') {
    const patch: Patch = { kind: 'skill.update', skillId: skill.id, changes: { handoff: 'offer' } };
    const why = `"${skill.displayName}" never hands off, so shoppers who asked for a person were refused; it now offers one.`;
    return draft(patch, why, 'Shoppers who ask for a person are offered one.');
  }
  const rules = view.agent.escalationRules;
  const same = rules[findGuidanceIndex(rules, rule.title)];
  if (same !== undefined) {
    return skip(
      `The escalation rule "${same.title}" exists (${same.status}); the agent did not apply it, which a person should look at.`,
    );
  }
  const covering = coveringRule(rule, topic, rules);
  if (covering !== undefined) {
    // Editing a rule that already says it would not change behaviour; a person should look.
    return skip(
      `The enabled escalation rule "${covering.title}" already covers this; the agent did not apply it, which a person should look at.`,
    );
  }
  const patch: Patch = { kind: 'agent.escalation-rule.add', rule };
  const why = `An escalation rule makes the handoff explicit.`;
  return draft(patch, why, 'Shoppers who need a person reach one instead of giving up.');
}

/**
 * The diagnoser named the finding after an enabled rule that the shoppers described in words it
 * does not quote ("blocked" for a rule on "Stolen or blocklisted devices"): the rule gains the
 * evidence's words for what its title is about. Null when the finding is not named after a rule,
 * or the rule already says every such word.
 */
function namedRuleWidened(finding: Finding, view: AgentConfigView): RulesOutcome | null {
  const rule = ruleNamedBy(finding, view.agent.escalationRules);
  if (rule === undefined) return null;
  // Its own triggers were said: the rule covers it and the agent did not apply it.
  const indexed = indexRules([rule]);
  if (finding.evidence.some((e) => matchRule(e.quote, indexed) !== null)) return null;
  // A rule for lost parcels gains how shoppers said theirs did not come ("nao recebi").
  const lost = ruleNamesLostParcel(rule)
    ? finding.evidence.flatMap((e) => lostParcelWords(e.quote))
    : [];
  const phrases = lost.length > 0 ? lost : titleWordsSaid(finding, rule);
  // A word the rule has only in another form ("cracked") is not one it quotes.
  const written = ` ${wordList(rule.description).join(' ')} `;
  const words = [...new Set(phrases.filter((p) => !written.includes(` ${p} `)))].slice(0, 6);
  if (words.length === 0) return null;
  const patch = withMoreTriggers(rule, words, wordingOf(view));
  const why = `Shoppers described what the escalation rule "${rule.title}" is about in words it does not quote, and the agent kept answering; it gains them as triggers.`;
  return draft(patch, why, 'Shoppers in that situation reach a person instead of more answers.');
}

/** The rule's title words as the shoppers wrote them: one word, or two that make one ("blocked list"). */
function titleWordsSaid(finding: Finding, rule: GuidanceItem): string[] {
  const about = ruleTriggers(rule).titleTokens;
  return finding.evidence.flatMap((e) => {
    const all = wordList(e.quote);
    return all.flatMap((w, i) => {
      const next = all[i + 1];
      if (about.has(stem(w))) return [w];
      return next !== undefined && about.has(stem(w) + stem(next)) ? [`${w} ${next}`] : [];
    });
  });
}

/** The enabled rule the diagnoser named the finding after (its topic is the rule's title). */
function ruleNamedBy(finding: Finding, rules: readonly GuidanceItem[]): GuidanceItem | undefined {
  return rules.find((r) => r.status === 'enabled' && topicFromTitle(r.title) === finding.topic);
}

/** An edit of `rule` that keeps its description and quotes `triggers` after it as well. */
function withMoreTriggers(rule: GuidanceItem, triggers: readonly string[], say: Wording): Patch {
  const quoted = triggers.map((t) => `"${t}"`).join(', ');
  const widened = { ...rule, description: append(rule.description, say.moreTriggers(quoted), ' ') };
  return { kind: 'agent.escalation-rule.edit', title: rule.title, rule: widened };
}

/**
 * The enabled escalation rule that fired on most of the finding's evidence quotes (the first on a
 * tie), with the word that fired it as the store's config spells it.
 */
function firedRule(
  finding: Finding,
  view: AgentConfigView,
): { rule: GuidanceItem; trigger: string } | null {
  const rules = view.agent.escalationRules;
  const indexed = indexRules(rules);
  const fired = new Map<string, { count: number; trigger: string }>();
  for (const { quote } of finding.evidence) {
    const match = matchRule(quote, indexed);
    const [trigger] = match?.triggers ?? [];
    if (match === null || trigger === undefined) continue;
    const seen = fired.get(match.rule.title);
    fired.set(match.rule.title, {
      count: (seen?.count ?? 0) + 1,
      trigger: seen?.trigger ?? trigger,
    });
  }
  let best: { rule: GuidanceItem; trigger: string; count: number } | null = null;
  for (const rule of rules) {
    const hit = fired.get(rule.title);
    if (hit !== undefined && (best === null || hit.count > best.count)) best = { rule, ...hit };
  }
  if (best === null) best = sensedRule(finding, rules);
  if (best === null) return null;
  // Rules without quoted phrases fire on stemmed words; name the word as the rule writes it.
  const spelled = wordList(`${best.rule.title} ${best.rule.description}`);
  const trigger = spelled.find((w) => stem(w) === best.trigger) ?? best.trigger;
  return { rule: best.rule, trigger };
}

/**
 * The rule the diagnoser read the evidence as falling under, for its sense rather than its
 * triggers: the finding is named after it. Its word the evidence shares is what set it off.
 */
function sensedRule(
  finding: Finding,
  rules: readonly GuidanceItem[],
): { rule: GuidanceItem; trigger: string; count: number } | null {
  const rule = ruleNamedBy(finding, rules);
  if (rule === undefined) return null;
  const said = contentTokens(finding.evidence.map((e) => e.quote).join('\n'));
  const trigger = [...ruleTriggers(rule).tokens].find((t) => said.has(t));
  return trigger === undefined ? null : { rule, trigger, count: 1 };
}

/**
 * An escalation rule that hands off questions the knowledge base answers is narrowed: the same
 * title, status and description — every trigger kept — plus an exclusion for what the knowledge
 * base answers, with the situations that do need a person left for the store to fill in.
 */
function narrowRule(finding: Finding, view: AgentConfigView): RulesOutcome {
  const fired = firedRule(finding, view);
  if (fired === null) {
    return skip(
      'The finding names no skill whose handoff to adjust, and no enabled escalation rule fires on its evidence.',
    );
  }
  const { rule, trigger } = fired;
  const topic = topicOf(finding);
  const say = wordingOf(view);
  if (Object.values(WORDING).some((w) => rule.description.includes(w.exceptionMark))) {
    return skip(
      `The escalation rule "${rule.title}" already leaves ${topic} to the knowledge base; the agent still hands off, which a person should look at.`,
    );
  }
  // Its triggers stay (a person may rely on each); the exclusion names what it should not catch.
  const exclusion = say.exception(topic, say.exceptionWhen(trigger));
  const patch: Patch = {
    kind: 'agent.escalation-rule.edit',
    title: rule.title,
    rule: { ...rule, description: append(rule.description, exclusion, ' ') },
  };
  const problems = policyProblems(patch, view);
  if (problems.length > 0) {
    return skip(
      `Narrowing the escalation rule "${rule.title}" breaks the policy: ${problems.join(' ')}`,
    );
  }
  const why = `The escalation rule "${rule.title}" fires on any mention of "${trigger}", including questions the knowledge base answers; it now hands off only the situations that need a person.`;
  const impact = `Questions about ${topic} are answered instead of handed off; ${trigger} cases that need a person still reach one.`;
  return draft(patch, why, impact);
}

export function unnecessaryEscalation(finding: Finding, view: AgentConfigView): RulesOutcome {
  // A rule's handoff comes before any skill, so the diagnoser names no skill when a rule fired.
  if (finding.skillId === null) return narrowRule(finding, view);
  const skill = skillOf(finding, view);
  if (skill === undefined) return skip('The finding names no skill whose handoff to adjust.');
  const topic = topicOf(finding);
  const impact = `Fewer handoffs for questions about ${topic} the agent can answer.`;
  if (skill.handoff === 'immediate') {
    const patch: Patch = { kind: 'skill.update', skillId: skill.id, changes: { handoff: 'offer' } };
    const why = `"${skill.displayName}" hands off immediately; offering a handoff lets the agent answer first.`;
    return draft(patch, why, impact);
  }
  const line = wordingOf(view).answerFirst(topic);
  if (skill.instructions.includes(line)) {
    return skip(`Skill "${skill.displayName}" already has this guidance line.`);
  }
  const why = `The instructions of "${skill.displayName}" now say to answer first.`;
  return draft(skillUpdate(skill, 'instructions', line), why, impact);
}
