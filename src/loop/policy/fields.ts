import type { Patch } from '../../patches/patch.js';
import type { PolicyContext, PolicyLimits, PolicyRule, PolicyViolation } from './policy.js';
import { kindOf } from '../../patches/kinds/index.js';

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
  return kindOf(patch).originalTexts(patch, context.current);
}

/** All text of the current config: the store's own words, trusted where transcripts are not. */
export function configText(context: PolicyContext): string {
  const { current } = context;
  return [
    ...[...current.escalationRules, ...current.communicationStyles].flatMap((g) => [
      g.title,
      g.description,
    ]),
    ...current.skills.flatMap((s) => [s.description, s.instructions]),
    ...current.knowledge.flatMap((k) => [k.title ?? '', k.content ?? '', k.url ?? '']),
    current.tone?.custom_instruction ?? '',
  ].join('\n');
}
