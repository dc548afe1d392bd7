import type { Patch } from '../../patches/patch.js';
import type { PolicyContext, PolicyLimits, PolicyRule, PolicyViolation } from './policy.js';
import { findGuidanceIndex } from '../../patches/render-diff.js';

/**
 * What every policy rule shares: a violation's shape, how a field is named in a message, and the
 * current text of the fields a patch edits (the size and injection rules compare against it).
 */

/** The limits in force: the defaults with the account's overrides. */
export type Limits = Readonly<PolicyLimits>;

/** A violation of `rule`; `field` is the dotted path of the offending field, when there is one. */
export function violation(rule: PolicyRule, message: string, field?: string): PolicyViolation {
  return field === undefined ? { rule, message } : { rule, message, field };
}

/** A field as messages name it: `changes.custom_instruction` → "custom instruction". */
export function fieldName(field: string): string {
  return (field.split('.').at(-1) ?? field).replace('_', ' ');
}

/** The current text of each drafted field that edits an existing text (creates and adds have none). */
export function originalTexts(patch: Patch, context: PolicyContext): Record<string, string | null> {
  const { current } = context;
  switch (patch.kind) {
    case 'skill.update': {
      const skill = current.skills.find((s) => s.id === patch.skillId);
      return {
        'changes.description': skill?.description ?? null,
        'changes.instructions': skill?.instructions ?? null,
      };
    }
    case 'knowledge.update': {
      const item = current.knowledge.find((k) => k.id === patch.knowledgeId);
      return { 'changes.title': item?.title ?? null, 'changes.content': item?.content ?? null };
    }
    case 'agent.escalation-rule.edit': {
      const old = current.escalationRules[findGuidanceIndex(current.escalationRules, patch.title)];
      return { 'rule.title': old?.title ?? null, 'rule.description': old?.description ?? null };
    }
    case 'agent.communication-style.edit': {
      const old =
        current.communicationStyles[findGuidanceIndex(current.communicationStyles, patch.title)];
      return { 'style.title': old?.title ?? null, 'style.description': old?.description ?? null };
    }
    case 'agent.tone.update':
      return { 'tone.custom_instruction': current.tone?.custom_instruction ?? null };
    default:
      return {};
  }
}
