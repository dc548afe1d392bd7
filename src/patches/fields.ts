import { guidanceItems } from './guidance-list.js';

/**
 * Field values as patches compare them. A field is named as the API spells it; a baseline's
 * `fields`, apply's target state and the audit's before/after all hold such fields.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Of `tone_of_voice`, only what a patch sets: `preset` and `custom_instruction` (`updated_at`
 * changes on every write). Anything that is not an object is returned as it is.
 */
export function toneFields(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return {
    preset: value['preset'] ?? null,
    custom_instruction: value['custom_instruction'] ?? null,
  };
}

/** Fields as compared and written: rule and style lists and the tone reduced to what a patch sets. */
export function comparable(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (field === 'escalation_rules' || field === 'communication_styles')
      out[field] = guidanceItems(value);
    else if (field === 'tone_of_voice') out[field] = toneFields(value);
    else out[field] = value;
  }
  return out;
}
