import { z } from 'zod';
import { ESCALATION_RULES, GuidanceItemSchema } from '../guidance-list.js';
import { guidanceKind } from './guidance.js';

/** `agent.escalation-rule.add`: adds an escalation rule to the customer agent. */

export const EscalationRuleAddPatchSchema = z.object({
  kind: z.literal('agent.escalation-rule.add'),
  rule: GuidanceItemSchema,
});
export type EscalationRuleAddPatch = z.infer<typeof EscalationRuleAddPatchSchema>;

export const escalationRuleAdd = guidanceKind<EscalationRuleAddPatch>({
  list: ESCALATION_RULES,
  item: (patch) => patch.rule,
  edited: () => undefined,
  withItem: (patch, rule) => ({ ...patch, rule }),
  edit: (title, rule) => ({ kind: 'agent.escalation-rule.edit', title, rule }),
});
