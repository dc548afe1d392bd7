import { z } from 'zod';
import { COMMUNICATION_STYLES, GuidanceItemSchema } from '../guidance-list.js';
import { guidanceKind } from './guidance.js';

/** `agent.communication-style.edit`: edits a communication style of the customer agent, named by its current title. */

export const CommunicationStyleEditPatchSchema = z.object({
  kind: z.literal('agent.communication-style.edit'),
  title: z.string().min(1),
  style: GuidanceItemSchema,
});
export type CommunicationStyleEditPatch = z.infer<typeof CommunicationStyleEditPatchSchema>;

export const communicationStyleEdit = guidanceKind<CommunicationStyleEditPatch>({
  list: COMMUNICATION_STYLES,
  item: (patch) => patch.style,
  edited: (patch) => patch.title,
  withItem: (patch, style) => ({ ...patch, style }),
  edit: (title, style) => ({ kind: 'agent.communication-style.edit', title, style }),
});
