import { createHash } from 'node:crypto';
import { ConfigError } from '../../errors.js';
import type { Diagnosis } from '../../domain/diagnosis.js';

/**
 * Triage in front of Claude: failures and uncertain diagnoses go to Claude for a second opinion;
 * clear successes stay with the rules (no tokens), except a deterministic sample of them, which
 * Claude reads to catch the failures that look like successes to the rules.
 */

export interface TriageOptions {
  /** Share of rules successes that still go to Claude, 0..1 (e.g. 0.1 for one in ten). */
  successSample: number;
  /** Changes which successes are sampled; the same seed picks the same ones on every rerun. */
  seed: string;
}

/** Where a conversation's final diagnosis comes from. */
export type TriageDecision = 'claude' | 'rules';

/** A stable number in [0, 1) for a conversation id and seed. */
export function sampleValue(conversationId: string, seed: string): number {
  const digest = createHash('sha256').update(`${seed}\u0000${conversationId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** Decides whether Claude diagnoses the conversation (see `TriageOptions`). */
export function triage(diagnosis: Diagnosis, options: TriageOptions): TriageDecision {
  const { successSample } = options;
  if (!(successSample >= 0 && successSample <= 1)) {
    throw new ConfigError(`successSample must be between 0 and 1, got ${successSample}`);
  }
  if (diagnosis.outcome !== 'success') return 'claude';
  return sampleValue(diagnosis.conversationId, options.seed) < successSample ? 'claude' : 'rules';
}
