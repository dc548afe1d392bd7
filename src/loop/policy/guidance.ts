import type { GuidanceItem, Patch } from '../../patches/patch.js';
import { violation, type Limits } from './fields.js';
import { percent } from '../../domain/format.js';
import { keptWordRatio } from './size.js';
import type { PolicyContext, PolicyViolation } from './policy.js';
import { findGuidanceIndex } from '../../patches/render-diff.js';

/**
 * The structural rules: escalation rules and communication styles are never removed (disabled,
 * retitled or cut down), skills are not taken out of production nor stripped of their handoff,
 * and an update targets a skill or snippet the agent has.
 */

const GUIDANCE = {
  rule: { noun: 'escalation rule', rule: 'escalation_rule_removed', plural: 'escalation rules' },
  style: {
    noun: 'communication style',
    rule: 'communication_style_removed',
    plural: 'communication styles',
  },
} as const;

function guidanceViolations(
  key: keyof typeof GUIDANCE,
  items: readonly GuidanceItem[],
  next: GuidanceItem,
  editedTitle: string | undefined,
  limits: Limits,
): PolicyViolation[] {
  const { noun, rule, plural } = GUIDANCE[key];
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
  return found;
}

function skillViolations(
  patch: Extract<Patch, { kind: 'skill.update' }>,
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
  patch: Extract<Patch, { kind: 'knowledge.update' }>,
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

/** The structural violations of a patch against the current config (by patch kind). */
export function structuralViolations(
  patch: Patch,
  context: PolicyContext,
  limits: Limits,
): PolicyViolation[] {
  const { current } = context;
  switch (patch.kind) {
    case 'skill.update':
      return skillViolations(patch, context, limits);
    case 'knowledge.update':
      return knowledgeViolations(patch, context);
    case 'agent.escalation-rule.add':
    case 'agent.escalation-rule.edit': {
      const title = patch.kind === 'agent.escalation-rule.edit' ? patch.title : undefined;
      return guidanceViolations('rule', current.escalationRules, patch.rule, title, limits);
    }
    case 'agent.communication-style.add':
    case 'agent.communication-style.edit': {
      const title = patch.kind === 'agent.communication-style.edit' ? patch.title : undefined;
      return guidanceViolations('style', current.communicationStyles, patch.style, title, limits);
    }
    default:
      return [];
  }
}
