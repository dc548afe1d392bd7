import { diffWords } from 'diff';
import { fieldName, violation, type Limits } from './fields.js';
import { percent } from '../../domain/format.js';
import type { PolicyViolation } from './policy.js';

/**
 * The size rules: texts stay under their limits, and an edit changes an existing text only so much.
 */

/** Share of the words of `before` and `after` that a word diff marks as removed or added. */
export function changedRatio(before: string, after: string): number {
  let changed = 0;
  let total = 0;
  for (const part of diffWords(before, after)) {
    const weight = part.added || part.removed ? 1 : 2;
    total += part.count * weight;
    if (part.added || part.removed) changed += part.count;
  }
  return total === 0 ? 0 : changed / total;
}

/** Share of the words of `before` that `after` keeps (case-insensitive). */
export function keptWordRatio(before: string, after: string): number {
  const parts = diffWords(before.toLowerCase(), after.toLowerCase());
  const kept = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + p.count, 0);
  const original = parts.filter((p) => !p.added).reduce((n, p) => n + p.count, 0);
  return original === 0 ? 1 : kept / original;
}

const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

function maxCharsFor(field: string, limits: Limits): number | null {
  const name = field.split('.').at(-1);
  if (name === 'instructions') return limits.maxInstructionsChars;
  if (name === 'content') return limits.maxSnippetChars;
  if (name === 'description' || name === 'custom_instruction') return limits.maxDescriptionChars;
  return null; // titles and names: the schema's maximum is enough
}

/** Size violations of one drafted text field against its limit and its current text, if any. */
export function sizeViolations(
  field: string,
  text: string,
  original: string | null,
  limits: Limits,
): PolicyViolation[] {
  const max = maxCharsFor(field, limits);
  if (max === null) return [];
  const found: PolicyViolation[] = [];
  const name = fieldName(field);
  if (text.length > max && (original === null || text.length > original.length)) {
    const message = `The ${name} would be ${text.length} characters, over the limit of ${max}; shorten it.`;
    found.push(violation('size_limit', message, field));
  }
  if (original === null || original === '') return found;
  const ratio = changedRatio(original, text);
  if (wordCount(original) >= limits.changedRatioMinWords && ratio > limits.maxChangedRatio) {
    const message = `The edit rewrites ${percent(ratio, { digits: 0 })} of the existing ${name} (at most ${percent(limits.maxChangedRatio, { digits: 0 })} may change); make a smaller, targeted edit.`;
    found.push(violation('size_limit', message, field));
  }
  if (
    text.length < original.length * limits.minKeptRatio &&
    !field.startsWith('rule.') &&
    !field.startsWith('style.')
  ) {
    const message = `The edit cuts the ${name} to ${percent(text.length / original.length, { digits: 0 })} of its length (at least ${percent(limits.minKeptRatio, { digits: 0 })} must stay); add to it instead of removing guidance.`;
    found.push(violation('size_limit', message, field));
  }
  return found;
}
