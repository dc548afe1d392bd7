import type { GuidanceChange, GuidanceList } from '../../patches/guidance-list.js';
import { findGuidanceIndex } from '../../patches/guidance-list.js';
import { guidanceChangeOf } from '../../patches/kinds/index.js';
import type { GuidanceItem, Patch, PatchKind, PatchOf } from '../../patches/patch.js';
import { ruleTriggers } from '../../domain/rule-triggers.js';
import { containsPhrase, contentTokens, stem, words } from '../../domain/text.js';
import { violation, type Limits } from './fields.js';
import { percent } from '../../domain/format.js';
import { keptWordRatio } from './size.js';
import type { PolicyContext, PolicyViolation } from './policy.js';

/**
 * The structural rules: escalation rules and communication styles are never removed (disabled,
 * retitled or cut down), skills are not taken out of production nor stripped of their handoff,
 * and an update targets a skill or snippet the agent has. What each kind is checked for is
 * `STRUCTURAL`, one entry per kind: a new kind does not compile until it says.
 */

const REMOVED: Record<GuidanceList['key'], { rule: PolicyViolation['rule']; plural: string }> = {
  rule: { rule: 'escalation_rule_removed', plural: 'escalation rules' },
  style: { rule: 'communication_style_removed', plural: 'communication styles' },
};

function guidanceViolations(
  change: GuidanceChange,
  context: PolicyContext,
  limits: Limits,
): PolicyViolation[] {
  const { list, item: next, edited: editedTitle } = change;
  const { key, noun } = list;
  const { rule, plural } = REMOVED[key];
  const items = context.current[list.view];
  const never = `existing ${plural} are never removed`;
  const v = (message: string, field: string): PolicyViolation =>
    violation(rule, message, `${key}.${field}`);
  if (editedTitle === undefined) {
    if (findGuidanceIndex(items, next.title) < 0) return [];
    const message = `The patch adds the ${noun} "${next.title}", which already exists; edit that ${noun} instead.`;
    return [v(message, 'title')];
  }
  const index = findGuidanceIndex(items, editedTitle);
  const old = items[index];
  if (old === undefined) {
    const message = `The patch edits the ${noun} "${editedTitle}", which does not exist; edit an existing ${noun} by its exact title or add a new one.`;
    return [violation(rule, message, 'title')];
  }
  const found: PolicyViolation[] = [];
  if (old.status === 'enabled' && next.status === 'disabled') {
    const message = `The patch disables the ${noun} "${old.title}"; ${never}. Edit its description instead.`;
    found.push(v(message, 'status'));
  }
  const clash = findGuidanceIndex(items, next.title);
  if (keptWordRatio(old.title, next.title) < 0.5 || (clash >= 0 && clash !== index)) {
    const message = `The patch retitles the ${noun} "${old.title}" to "${next.title}"; ${never}. Keep its title and edit its description.`;
    found.push(v(message, 'title'));
  }
  if (next.description.length < old.description.length * limits.minKeptRatio) {
    const message = `The patch cuts the description of the ${noun} "${old.title}" to ${percent(next.description.length / old.description.length, { digits: 0 })} of its length; ${never}. Add to the description instead.`;
    found.push(v(message, 'description'));
  }
  const dropped = key === 'rule' ? droppedTriggers(old, next) : [];
  if (dropped.length > 0) {
    const list = dropped.map((t) => `"${t}"`).join(', ');
    const message = `The patch drops ${list} from the ${noun} "${old.title}", which fires on ${dropped.length === 1 ? 'it' : 'them'}; ${never} or narrowed by rewording. Keep every trigger and add to the description instead.`;
    found.push(v(message, 'description'));
  }
  return found;
}

/**
 * The triggers of an escalation rule that an edit loses, whatever the rule's length: its quoted
 * phrases, or (a rule quoting none fires on its distinctive words) those words as it spells them.
 */
function droppedTriggers(old: GuidanceItem, next: GuidanceItem): string[] {
  const { phrases } = ruleTriggers(old);
  if (phrases.length > 0) return phrases.filter((p) => !containsPhrase(next.description, p));
  // The title has its own rule (never retitled away); these are the description's words.
  const { tokens } = ruleTriggers({ title: '', description: old.description });
  const kept = contentTokens(`${next.title} ${next.description}`);
  const lost = [...tokens].filter((t) => !kept.has(t));
  const spelled = words(old.description);
  return [...new Set(lost.map((t) => spelled.find((w) => stem(w) === t) ?? t))];
}

function skillViolations(
  patch: PatchOf<'skill.update'>,
  context: PolicyContext,
  limits: Limits,
): PolicyViolation[] {
  const skill = context.current.skills.find((s) => s.id === patch.skillId);
  if (skill === undefined) {
    const message = `The patch updates skill "${patch.skillId}", which the agent does not have; target an existing skill id or propose a new skill.`;
    return [violation('skill_unknown', message, 'skillId')];
  }
  const found: PolicyViolation[] = [];
  const { status, handoff } = patch.changes;
  if (status === 'draft' && skill.status === 'live' && !limits.allowSkillDeactivation) {
    const message = `The patch sets the live skill "${skill.id}" to draft, taking it out of production; change its instructions instead.`;
    found.push(violation('skill_disable', message, 'changes.status'));
  }
  if (handoff === 'none' && skill.handoff !== 'none') {
    const message = `The patch changes the handoff of skill "${skill.id}" from "${skill.handoff}" to "none", so shoppers could no longer reach a person; keep the handoff.`;
    found.push(violation('handoff_weakened', message, 'changes.handoff'));
  }
  return found;
}

function knowledgeViolations(
  patch: PatchOf<'knowledge.update'>,
  context: PolicyContext,
): PolicyViolation[] {
  const item = context.current.knowledge.find((k) => k.id === patch.knowledgeId);
  if (item === undefined) {
    const message = `The patch updates knowledge item "${patch.knowledgeId}", which the agent does not have; target an existing snippet id or propose a new snippet.`;
    return [violation('knowledge_unknown', message, 'knowledgeId')];
  }
  if (item.url !== null && item.content === null) {
    const message = `Knowledge item "${patch.knowledgeId}" is a webpage (${item.url}), not a snippet; propose a new snippet instead.`;
    return [violation('knowledge_unknown', message, 'knowledgeId')];
  }
  return [];
}

type Structural<P extends Patch> = (
  patch: P,
  context: PolicyContext,
  limits: Limits,
) => PolicyViolation[];

/** Creates and the tone: nothing of the agent's existing config to keep. */
const none = (): PolicyViolation[] => [];

/** Rule and style kinds: their one item, against the list it goes into. */
const guidance: Structural<Patch> = (patch, context, limits) => {
  const change = guidanceChangeOf(patch);
  return change === null ? [] : guidanceViolations(change, context, limits);
};

/** The structural rules of each kind. */
const STRUCTURAL: { [K in PatchKind]: Structural<PatchOf<K>> } = {
  'skill.update': skillViolations,
  'skill.create': none,
  'knowledge.create': none,
  'knowledge.update': knowledgeViolations,
  'agent.escalation-rule.add': guidance,
  'agent.escalation-rule.edit': guidance,
  'agent.communication-style.add': guidance,
  'agent.communication-style.edit': guidance,
  'agent.tone.update': none,
};

/** The structural violations of a patch against the current config (by patch kind). */
export function structuralViolations(
  patch: Patch,
  context: PolicyContext,
  limits: Limits,
): PolicyViolation[] {
  const check = STRUCTURAL[patch.kind] as Structural<Patch>;
  return check(patch, context, limits);
}
