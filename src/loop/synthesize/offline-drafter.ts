import { type AgentConfigView, type SkillView } from '../../domain/agent-config.js';
import type { FailureCategory } from '../../domain/diagnosis.js';
import type { Finding } from '../../domain/finding.js';
import { cleanTopic, normalizeTopic, singularize } from './findings.js';
import type { GuidanceItem, Patch } from '../../patches/patch.js';
import { ALL_PATCH_KINDS, checkPatch, toPolicyCurrent } from '../policy/policy.js';
import { targetOf } from '../../patches/baseline.js';
import { findGuidanceIndex } from '../../patches/guidance-list.js';
import { summarizePatch } from '../../patches/render-diff.js';
import { indexContext, matchRule } from '../diagnose/offline/matching.js';
import { stem, words as wordList } from '../diagnose/offline/text.js';

/**
 * The offline drafter: one fixed template per failure category, filled only with the finding's
 * cleaned topic and the store's own config, so the loop runs without an LLM. Transcript text
 * never reaches a patch from here: evidence quotes are only matched against the store's escalation
 * rules (to name the one that fired) and stay in the proposal's finding. Facts the system cannot
 * know are `{{fill: …}}` placeholders a person fills before approving. Where a finding has two
 * possible fixes, the policy decides: a draft it would refuse gives way to the other template.
 */

/** A drafted patch with its reasons, before the policy has checked it. */
export interface Draft {
  patch: Patch;
  title: string;
  rationale: string;
  expectedImpact: string;
  drafter: 'rules' | 'claude';
}

/** A draft, or why the rules have none for this finding (reported as a skipped finding). */
export type RulesOutcome = { draft: Draft; reason: null } | { draft: null; reason: string };

/** Words too common to say what a topic or a skill is about. */
const STOPWORDS = new Set(
  (
    'a an and are about any ask asks asking be by can do for from has have how i in is it its ' +
    'me my of on or our question shopper customer skill that the their them they this to ' +
    'want what when where which who why will with you your handle handles help'
  ).split(' '),
);

/** Content words of a text, singularized, for overlap scores. */
export function contentWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2 && !STOPWORDS.has(w))
    .map(singularize);
  return new Set(words);
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let n = 0;
  for (const word of a) if (b.has(word)) n += 1;
  return n;
}

const sentenceCase = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The finding's topic as it may appear in config text; never empty. */
function topicOf(finding: Finding): string {
  const topic = cleanTopic(finding.topic);
  return topic === '' ? 'this topic' : topic;
}

/** Appends a paragraph (or line) to an existing text; a blank original becomes just the line. */
function append(original: string, addition: string, separator = '\n\n'): string {
  const base = original.trimEnd();
  return base === '' ? addition : `${base}${separator}${addition}`;
}

/** `summarizePatch`, naming an edited skill or snippet by its display name rather than its id. */
function titleOf(patch: Patch, view: AgentConfigView): string {
  const summary = summarizePatch(patch);
  const { id, name } = targetOf(patch, view);
  if (id === null || !name || !summary.endsWith(id)) return summary.slice(0, 200);
  return `${summary.slice(0, -id.length)}"${name}"`.slice(0, 200);
}

function draft(patch: Patch, why: string, impact: string): RulesOutcome {
  return {
    reason: null,
    draft: {
      patch,
      title: summarizePatch(patch).slice(0, 200), // named by `titleOf` once the view is at hand
      rationale: why,
      expectedImpact: impact,
      drafter: 'rules',
    },
  };
}

const skip = (reason: string): RulesOutcome => ({ draft: null, reason });

function skillOf(finding: Finding, view: AgentConfigView): SkillView | undefined {
  return view.skills.find((s) => s.id === finding.skillId);
}

function knowledgeGap(finding: Finding, view: AgentConfigView): RulesOutcome {
  const topic = topicOf(finding);
  const key = normalizeTopic(topic);
  const existing = view.knowledge.find(
    (k) => k.sourceType === 'snippet' && k.title !== null && normalizeTopic(k.title) === key,
  );
  const impact = `Shoppers asking about ${topic} get an answer instead of a dead end or a handoff.`;
  if (existing !== undefined) {
    const addition = `Details shoppers still ask about: {{fill: ${topic} details the snippet is missing}}`;
    if ((existing.content ?? '').includes(addition)) {
      return skip(`Snippet "${existing.title ?? existing.id}" already asks for these details.`);
    }
    const patch: Patch = {
      kind: 'knowledge.update',
      knowledgeId: existing.id,
      changes: { content: append(existing.content ?? '', addition) },
    };
    const why = `The snippet "${existing.title ?? existing.id}" exists but did not answer them; it gains the missing details.`;
    return draft(patch, why, impact);
  }
  const content = [
    `Shoppers ask about ${topic}. Answer with the store's policy:`,
    `- What applies: {{fill: ${topic} policy}}`,
    `- Time frames and costs: {{fill: ${topic} time frames and costs}}`,
    `- Exceptions, and when to hand off to a person: {{fill: ${topic} exceptions}}`,
  ].join('\n');
  const patch: Patch = {
    kind: 'knowledge.create',
    snippet: { title: sentenceCase(topic).slice(0, 200), content },
  };
  return draft(patch, 'No knowledge snippet covers the topic; this adds one.', impact);
}

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

function skillUpdate(skill: SkillView, field: 'description' | 'instructions', line: string) {
  const separator = field === 'description' ? ' ' : '\n\n';
  const patch: Patch = {
    kind: 'skill.update',
    skillId: skill.id,
    changes: { [field]: append(skill[field], line, separator) },
  };
  return patch;
}

function wrongSkill(finding: Finding, view: AgentConfigView): RulesOutcome {
  const skill = skillOf(finding, view);
  if (skill === undefined) return skip('The finding names no skill of the agent to clarify.');
  const topic = topicOf(finding);
  const best = bestSkillFor(topic, view.skills);
  let field: 'description' | 'instructions' = 'description';
  let line: string;
  let why: string;
  if (best !== undefined && best.id !== skill.id) {
    line = `Does not handle ${topic} — those belong to ${best.displayName}.`;
    why = `"${best.displayName}" matches the topic better; the description now routes it there.`;
  } else if (best !== undefined) {
    line = `Also handles questions about ${topic}.`;
    why = `"${skill.displayName}" is the skill for the topic; its description now says so.`;
  } else {
    field = 'instructions';
    line = `Questions about ${topic} may not belong to this skill: answer only what these instructions cover and offer a handoff for the rest.`;
    why = 'No skill clearly covers the topic; the instructions now keep it from guessing.';
  }
  if (skill[field].includes(line)) return skip(`Skill "${skill.displayName}" already says this.`);
  const impact = `Questions about ${topic} reach the skill that can answer them.`;
  return draft(skillUpdate(skill, field, line), why, impact);
}

function instructionGap(finding: Finding, view: AgentConfigView): RulesOutcome {
  const skill = skillOf(finding, view);
  if (skill === undefined) return skip('The finding names no skill whose instructions to extend.');
  const topic = topicOf(finding);
  const line = `- When a shopper asks about ${topic}: {{fill: how to handle ${topic}}}`;
  if (skill.instructions.includes(line)) {
    return skip(`Skill "${skill.displayName}" already has this guidance line.`);
  }
  const why = `The instructions of "${skill.displayName}" gain one line about the topic.`;
  const impact = `"${skill.displayName}" handles ${topic} the way the store wants.`;
  return draft(skillUpdate(skill, 'instructions', line), why, impact);
}

const EMPATHY_STYLE: GuidanceItem = {
  title: 'Acknowledge frustration before answering',
  description:
    'When a shopper sounds frustrated or upset, acknowledge it in one short, sincere sentence before answering, then get to the point.',
  status: 'enabled',
};

/** Violations the policy finds in a draft against the store's config, before any transcript. */
function policyProblems(patch: Patch, view: AgentConfigView): string[] {
  const current = toPolicyCurrent(view);
  const result = checkPatch(patch, { allowedKinds: ALL_PATCH_KINDS, current, transcripts: [] });
  return result.violations.map((v) => v.message);
}

/** Directives asking a skill for the shortest answer, which shoppers read as curt. */
const TERSE_DIRECTIVE =
  /\b(?:as few words as possible|be (?:very |extremely )?(?:brief|terse|short)|keep (?:it|answers|replies|responses) (?:very )?(?:short|brief)|(?:answer|reply|respond) in (?:one|a single) sentence|one[- ]sentence (?:answers?|replies|responses)|(?:no|skip the|skip) pleasantries|no small talk)\b/i;
const WARM_LINE = 'Answer warmly and completely, with the details the shopper needs.';

/**
 * The instructions with their first terse sentence replaced by `WARM_LINE` and any others taken
 * out (a line left empty goes too); null when they have no terse directive.
 */
function warmInstructions(instructions: string): string | null {
  let warm = instructions.includes(WARM_LINE);
  let changed = false;
  const lines = instructions.split('\n').flatMap((line) => {
    const sentences = line.match(/[^.!?]*[.!?]+\s*|[^.!?]+$/g) ?? [line];
    const next = sentences.map((sentence) => {
      if (!TERSE_DIRECTIVE.test(sentence)) return sentence;
      changed = true;
      if (warm) return '';
      warm = true;
      const [lead = ''] = /^\s*(?:[-*•]\s+)?/.exec(sentence) ?? [];
      const [trail = ''] = /\s*$/.exec(sentence) ?? [];
      return `${lead}${WARM_LINE}${trail}`;
    });
    const text = next.join('').trimEnd();
    return line.trim() !== '' && /^\s*[-*•]?\s*$/.test(text) ? [] : [text];
  });
  return changed ? lines.join('\n').trim() : null;
}

/** A terse skill's instructions rewritten to answer warmly, when the policy allows the edit. */
function warmSkillDraft(finding: Finding, view: AgentConfigView): RulesOutcome | null {
  const skill = skillOf(finding, view);
  const instructions = skill === undefined ? null : warmInstructions(skill.instructions);
  if (skill === undefined || instructions === null || instructions === skill.instructions) {
    return null;
  }
  const patch: Patch = { kind: 'skill.update', skillId: skill.id, changes: { instructions } };
  if (policyProblems(patch, view).length > 0) return null;
  const why = `The instructions of "${skill.displayName}" ask for the shortest possible answer, which shoppers read as curt; they now ask for warm, complete answers.`;
  return draft(patch, why, `Shoppers get complete, friendly answers from "${skill.displayName}".`);
}

function tone(finding: Finding, view: AgentConfigView): RulesOutcome {
  // A skill told to be terse is the cause; a communication style would not override it.
  const warm = warmSkillDraft(finding, view);
  if (warm !== null) return warm;
  const index = findGuidanceIndex(view.agent.communicationStyles, EMPATHY_STYLE.title);
  if (index >= 0) {
    return skip(`The communication style "${EMPATHY_STYLE.title}" already exists.`);
  }
  // No topic in the text: tone findings on several topics then draft one identical proposal.
  const patch: Patch = { kind: 'agent.communication-style.add', style: EMPATHY_STYLE };
  const why = 'A communication style asks the agent to acknowledge frustration first.';
  return draft(patch, why, 'Fewer frustrated shoppers asking for a person.');
}

/** Words that mark the ask-for-a-person case in a topic, and a rule that already handles it. */
const PERSON_WORDS = new Set(['human', 'person', 'people', 'representative']);
const PERSON_RULE_TITLE = 'Shopper asks for a person';

const mentionsPerson = (words: ReadonlySet<string>, extra: readonly string[] = []): boolean =>
  [...words].some((w) => PERSON_WORDS.has(w) || extra.includes(w));

function escalationRuleFor(topic: string): GuidanceItem {
  if (mentionsPerson(contentWords(topic), ['agent', 'someone'])) {
    return {
      title: PERSON_RULE_TITLE,
      description:
        // Quoted trigger phrases make the rule's intent unambiguous to the agent.
        'Hand off to the support team as soon as a shopper asks to talk to a "person", a "human", a "real person" or a "representative".',
      status: 'enabled',
    };
  }
  return {
    title: `Escalate ${topic}`.slice(0, 120),
    description: `Hand off to the support team when a conversation about ${topic} cannot be resolved from the knowledge base.`,
    status: 'enabled',
  };
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
    if (rule.title === PERSON_RULE_TITLE) return mentionsPerson(words);
    return wanted.size > 0 && overlap(wanted, words) === wanted.size;
  });
}

function missedEscalation(finding: Finding, view: AgentConfigView): RulesOutcome {
  const topic = topicOf(finding);
  const rule = escalationRuleFor(topic);
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
 * The enabled escalation rule that fired on most of the finding's evidence quotes (the first on a
 * tie), with the word that fired it as the store's config spells it.
 */
function firedRule(
  finding: Finding,
  view: AgentConfigView,
): { rule: GuidanceItem; trigger: string } | null {
  const rules = view.agent.escalationRules;
  const ctx = indexContext({ skills: [], knowledge: [], escalationRules: rules });
  const fired = new Map<string, { count: number; trigger: string }>();
  for (const { quote } of finding.evidence) {
    const match = matchRule(quote, ctx);
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
  if (best === null) return null;
  // Rules without quoted phrases fire on stemmed words; name the word as the rule writes it.
  const spelled = wordList(`${best.rule.title} ${best.rule.description}`);
  const trigger = spelled.find((w) => stem(w) === best.trigger) ?? best.trigger;
  return { rule: best.rule, trigger };
}

/**
 * An escalation rule that hands off questions the knowledge base answers is narrowed: the same
 * title and status, a description that names the topic as answered, and the situations that do
 * need a person left for the store to fill in as quoted trigger phrases.
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
  const answered = `Questions about ${topic} are answered from the knowledge base.`;
  if (rule.description.includes(answered)) {
    return skip(
      `The escalation rule "${rule.title}" already leaves ${topic} to the knowledge base; the agent still hands off, which a person should look at.`,
    );
  }
  const when = `{{fill: the ${trigger} situations that need a person — quote the trigger phrases, e.g. "${trigger} denied"}}`;
  const narrowed: GuidanceItem = {
    ...rule,
    description: `Hand off only when ${when}. ${answered}`,
  };
  const patch: Patch = { kind: 'agent.escalation-rule.edit', title: rule.title, rule: narrowed };
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

function unnecessaryEscalation(finding: Finding, view: AgentConfigView): RulesOutcome {
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
  const line = `Answer questions about ${topic} from the knowledge base; offer a handoff only if the shopper still asks for one.`;
  if (skill.instructions.includes(line)) {
    return skip(`Skill "${skill.displayName}" already has this guidance line.`);
  }
  const why = `The instructions of "${skill.displayName}" now say to answer first.`;
  return draft(skillUpdate(skill, 'instructions', line), why, impact);
}

const TEMPLATES: Record<
  FailureCategory,
  (finding: Finding, view: AgentConfigView) => RulesOutcome
> = {
  knowledge_gap: knowledgeGap,
  wrong_skill: wrongSkill,
  instruction_gap: instructionGap,
  tone,
  missed_escalation: missedEscalation,
  unnecessary_escalation: unnecessaryEscalation,
  tool_failure: () => skip('Tool failures need a person to fix or build the tool; reported only.'),
  other: () => skip('No template for uncategorized failures; reported only.'),
};

/** The rules draft for a finding, or why there is none. Deterministic. */
export function draftByRulesWithReason(finding: Finding, view: AgentConfigView): RulesOutcome {
  const outcome = TEMPLATES[finding.category](finding, view);
  if (outcome.draft === null) return outcome;
  return { ...outcome, draft: { ...outcome.draft, title: titleOf(outcome.draft.patch, view) } };
}

/** The rules draft for a finding, or null when its category has no template or nothing to do. */
export function draftByRules(finding: Finding, view: AgentConfigView): Draft | null {
  return draftByRulesWithReason(finding, view).draft;
}
