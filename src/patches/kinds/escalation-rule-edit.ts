import { z } from 'zod';
import { ESCALATION_RULES, GuidanceItemSchema } from '../guidance-list.js';
import { guidanceKind } from './guidance.js';

/** `agent.escalation-rule.edit`: edits an escalation rule of the customer agent, named by its current title. */

export const EscalationRuleEditPatchSchema = z.object({
  kind: z.literal('agent.escalation-rule.edit'),
  /** The rule's current title identifies it (the API gives rules no ids). */
  title: z.string().min(1),
  rule: GuidanceItemSchema,
});
export type EscalationRuleEditPatch = z.infer<typeof EscalationRuleEditPatchSchema>;

export const escalationRuleEdit = guidanceKind<EscalationRuleEditPatch>({
  list: ESCALATION_RULES,
  item: (patch) => patch.rule,
  edited: (patch) => patch.title,
  withItem: (patch, rule) => ({ ...patch, rule }),
  edit: (title, rule) => ({ kind: 'agent.escalation-rule.edit', title, rule }),
});
