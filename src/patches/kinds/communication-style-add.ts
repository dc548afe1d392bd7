import { z } from 'zod';
import { COMMUNICATION_STYLES, GuidanceItemSchema } from '../guidance-list.js';
import { guidanceKind } from './guidance.js';

/** `agent.communication-style.add`: adds a communication style to the customer agent. */

export const CommunicationStyleAddPatchSchema = z.object({
  kind: z.literal('agent.communication-style.add'),
  style: GuidanceItemSchema,
});
export type CommunicationStyleAddPatch = z.infer<typeof CommunicationStyleAddPatchSchema>;

export const communicationStyleAdd = guidanceKind<CommunicationStyleAddPatch>({
  list: COMMUNICATION_STYLES,
  item: (patch) => patch.style,
  edited: () => undefined,
  withItem: (patch, style) => ({ ...patch, style }),
  edit: (title, style) => ({ kind: 'agent.communication-style.edit', title, style }),
});
