import type { GuidanceChange } from '../guidance-list.js';
import type { PatchKindModule, PatchKindTable } from '../kind.js';
import type { Patch } from '../patch.js';
import { communicationStyleAdd } from './communication-style-add.js';
import { communicationStyleEdit } from './communication-style-edit.js';
import { escalationRuleAdd } from './escalation-rule-add.js';
import { escalationRuleEdit } from './escalation-rule-edit.js';
import { knowledgeCreate } from './knowledge-create.js';
import { knowledgeUpdate } from './knowledge-update.js';
import { skillCreate } from './skill-create.js';
import { skillUpdate } from './skill-update.js';
import { toneUpdate } from './tone-update.js';

/**
 * Every patch kind's module, by kind. Typed so that a kind of the `Patch` union without a module,
 * a module of no kind, or a module missing a member fails to compile.
 */
export const PATCH_KINDS = {
  'skill.update': skillUpdate,
  'skill.create': skillCreate,
  'knowledge.create': knowledgeCreate,
  'knowledge.update': knowledgeUpdate,
  'agent.escalation-rule.add': escalationRuleAdd,
  'agent.escalation-rule.edit': escalationRuleEdit,
  'agent.communication-style.add': communicationStyleAdd,
  'agent.communication-style.edit': communicationStyleEdit,
  'agent.tone.update': toneUpdate,
} satisfies PatchKindTable;

/** The module of `patch`'s kind, typed for `patch`. */
export function kindOf<P extends Patch>(patch: P): PatchKindModule<P> {
  // The table pairs each kind with its module; TypeScript cannot follow `patch.kind` to it.
  return PATCH_KINDS[patch.kind] as unknown as PatchKindModule<P>;
}

/** Rule and style patches: the one list item the patch changes. Other patches: null. */
export function guidanceChangeOf(patch: Patch): GuidanceChange | null {
  return kindOf(patch).guidance?.(patch) ?? null;
}
