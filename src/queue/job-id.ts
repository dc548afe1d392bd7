import { createHash } from 'node:crypto';
import { RequestValidationError } from '../errors.js';

/**
 * Deterministic job ids are how the loop avoids duplicate work: enqueueing the same
 * (job, account, window) twice is a no-op in BullMQ. BullMQ forbids `:` and integer-looking ids,
 * and ids show up in dashboard URLs, so ids use only `[A-Za-z0-9_.-]`.
 */

/** Longest part kept verbatim; longer or unsafe parts are shortened and hashed. */
const MAX_PART = 64;
const SAFE_PART = /^[A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*$/;
const SEPARATOR = '--';

/** A value in a job id: strings, numbers and dates (dates become epoch milliseconds). */
export type JobIdPart = string | number | Date;

/**
 * Joins parts with `--` into a BullMQ-safe, deterministic id:
 * `jobIdFrom('pull-conversations', 'acct_1', new Date(0))` → `pull-conversations--acct_1--0`.
 * Safe parts stay readable; a part with other characters (`:`, `/`, spaces, `--`) or longer than
 * 64 characters becomes a readable stem plus a hash of the original, so distinct inputs give
 * distinct ids (up to a 64-bit hash collision).
 */
export function jobIdFrom(...parts: JobIdPart[]): string {
  if (parts.length === 0) throw new RequestValidationError('jobIdFrom needs at least one part');
  const id = parts.map(encodePart).join(SEPARATOR);
  // BullMQ rejects ids that parse as integers ("Custom Id cannot be integers").
  return /^\d+$/.test(id) ? `n${id}` : id;
}

function encodePart(part: JobIdPart, index: number): string {
  const text = part instanceof Date ? String(part.getTime()) : String(part);
  if (text === '' || text === 'NaN') {
    throw new RequestValidationError(`jobIdFrom: part ${index} is empty or not a number/date`);
  }
  if (text.length <= MAX_PART && SAFE_PART.test(text)) return text;
  const stem = text
    .replace(/[^A-Za-z0-9_.]+/g, '_')
    .slice(0, 40)
    .replace(/^_+|_+$/g, '');
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return stem === '' ? `h_${hash}` : `${stem}_h${hash}`;
}
