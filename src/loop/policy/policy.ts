import type { z } from 'zod';
import type { AgentConfigView } from '../../patches/agent-config.js';
import type { CurrentConfig } from '../../patches/kind.js';
import { PATCH_KIND_NAMES, PatchSchema } from '../../patches/patch.js';
import type { Patch, PatchKind } from '../../patches/patch.js';
import { patchTextFields, placeholdersInPatch } from '../../domain/placeholders.js';
import { originalTexts, violation, type Limits } from './fields.js';
import { structuralViolations } from './guidance.js';
import { revertViolations } from './revert.js';
import { sizeViolations } from './size.js';
import { provenanceViolations } from './provenance.js';
import { textChecks } from './text.js';

export { changedRatio } from './size.js';

/**
 * The policy in code that every drafted patch passes before it can be proposed. Drafts come from an
 * LLM reading untrusted conversations, so this is where prompt injection and shoppers' personal
 * data are stopped, whatever the prompt said. Every rule reports a violation with one sentence a
 * person (or the LLM repair step) can act on; any violation blocks the proposal.
 */

export const POLICY_RULES = [
  'schema',
  'kind_not_allowed',
  'escalation_rule_removed',
  'communication_style_removed',
  'skill_unknown',
  'knowledge_unknown',
  'size_limit',
  'skill_disable',
  'handoff_weakened',
  'unknown_url',
  'personal_data',
  'injection',
  'revert_mismatch',
] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

export interface PolicyLimits {
  /** Largest share of an existing text's words an edit may change (word diff). @defaultValue 0.6 */
  maxChangedRatio: number;
  /**
   * Existing texts of fewer words than this may be rewritten whole: any real edit of a 9-word rule
   * or instruction changes most of its words. The kept-length, disable and retitle rules still
   * apply to them. @defaultValue 20
   */
  changedRatioMinWords: number;
  /** Smallest share of an existing text's length an edit must keep. @defaultValue 0.5 */
  minKeptRatio: number;
  /** Longest knowledge snippet content, in characters. @defaultValue 4000 */
  maxSnippetChars: number;
  /** Longest skill instructions, in characters. @defaultValue 6000 */
  maxInstructionsChars: number;
  /** Longest description (skill, rule, style) or custom tone instruction. @defaultValue 1000 */
  maxDescriptionChars: number;
  /** Whether a patch may set a live skill back to draft. @defaultValue false */
  allowSkillDeactivation: boolean;
}

export const DEFAULT_POLICY_LIMITS: Readonly<PolicyLimits> = {
  maxChangedRatio: 0.6,
  changedRatioMinWords: 20,
  minKeptRatio: 0.5,
  maxSnippetChars: 4000,
  maxInstructionsChars: 6000,
  maxDescriptionChars: 1000,
  allowSkillDeactivation: false,
};

/** Every patch kind; an account that allows everything passes this as `allowedKinds`. */
export const ALL_PATCH_KINDS: readonly PatchKind[] = PATCH_KIND_NAMES;

export interface PolicyContext {
  /** The patch kinds this account allows (from the account's config). */
  allowedKinds: readonly PatchKind[];
  /** The agent's current config, read fresh from the API. */
  current: CurrentConfig;
  /**
   * Text of the evidence transcripts the patch was drafted from (untrusted): what the shoppers
   * (every role but `agent`) wrote may not reach the patch, except as an escalation rule's quoted
   * trigger phrases (see provenance.ts).
   */
  transcripts: { role: string; content: string }[];
  /** The finding's topic: drafts name their subject, so its words are not taken as copied. */
  topic?: string;
  /** Values a person typed for placeholders: theirs to write, whatever the shoppers said. */
  fills?: readonly string[];
  /** URLs or domains that drafted text may link to; URLs already in the current config also pass. */
  allowedUrls?: string[];
  limits?: Partial<PolicyLimits>;
  /**
   * Set when the patch reverts an applied proposal. `restores` holds the touched fields' values
   * audited before that proposal was applied (API attribute names, as in a Baseline's `fields`).
   * A patch that restores exactly those values passes the rules that keep existing config from
   * being weakened or rewritten (a revert may cut an instruction back, or take out a rule it had
   * added); with `revert` set, any other patch is refused (`revert_mismatch`).
   */
  revert?: { restores: Record<string, unknown> };
}

export interface PolicyViolation {
  rule: PolicyRule;
  /** One sentence for a person: what is wrong and what to do. */
  message: string;
  /** Dotted path of the offending field in the patch, when there is one. */
  field?: string;
}

export interface PolicyResult {
  ok: boolean;
  violations: PolicyViolation[];
  /**
   * The parsed patch with personal data seen in the transcripts scrubbed out of every text field.
   * When the patch fails `schema`, this is the input unchanged and must not be used.
   */
  patch: Patch;
}

function schemaViolations(input: unknown, error: z.ZodError): PolicyViolation[] {
  const kind: unknown =
    typeof input === 'object' && input !== null ? Reflect.get(input, 'kind') : undefined;
  if (!PATCH_KIND_NAMES.includes(kind as PatchKind)) {
    const message = `${JSON.stringify(kind ?? null)} is not a patch kind; use one of ${PATCH_KIND_NAMES.join(', ')} (no patch deletes anything).`;
    return [violation('schema', message, 'kind')];
  }
  return error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.join('.');
    if (issue.code === 'too_big' && issue.origin === 'string') {
      const message = `${field} is longer than ${String(issue.maximum)} characters; shorten it.`;
      return violation('size_limit', message, field);
    }
    return violation(
      'schema',
      `${field || 'The patch'} is invalid (${issue.message}); fix the field.`,
      field || undefined,
    );
  });
}

/**
 * Checks a drafted patch against the policy. Never throws on bad input: an invalid patch is a
 * `schema` violation. `personal_data` blocks like every other rule (a copied email or phone number
 * must not reach a reviewer as an approvable proposal), but the returned `patch` is already
 * scrubbed, so a repair step can resubmit it. Placeholders are not violations; see `canApprove`.
 */
export function checkPatch(patch: Patch, context: PolicyContext): PolicyResult {
  const parsed = PatchSchema.safeParse(patch);
  if (!parsed.success)
    return { ok: false, violations: schemaViolations(patch, parsed.error), patch };
  const limits: Limits = { ...DEFAULT_POLICY_LIMITS, ...context.limits };
  const draft = parsed.data;
  const violations: PolicyViolation[] = [];
  if (!context.allowedKinds.includes(draft.kind)) {
    const message = `This account does not allow ${draft.kind} patches; propose one of ${context.allowedKinds.join(', ') || 'nothing (no kinds are allowed)'}.`;
    violations.push(violation('kind_not_allowed', message, 'kind'));
  }
  violations.push(...structuralViolations(draft, context, limits));
  const originals = originalTexts(draft, context);
  for (const { field, text } of patchTextFields(draft)) {
    violations.push(...sizeViolations(field, text, originals[field] ?? null, limits));
  }
  const checked = textChecks(draft, context);
  violations.push(...checked.violations);
  // On the scrubbed patch: copied personal data is reported (and removed) as such above.
  violations.push(...provenanceViolations(checked.patch, context));
  const { revert } = context;
  const final =
    revert === undefined
      ? violations
      : revertViolations(draft, context, revert.restores, violations);
  return { ok: final.length === 0, violations: final, patch: checked.patch };
}

/**
 * Whether a person may approve `patch` now. Placeholders such as `{{fill: return window}}` are
 * facts only a person knows, so a patch that still has one cannot be approved.
 */
export function canApprove(
  patch: Patch,
): { ok: true; reason: null } | { ok: false; reason: string } {
  const open = placeholdersInPatch(patch);
  if (open.length === 0) return { ok: true, reason: null };
  const list = open.map((p) => `"${p}"`).join(', ');
  return {
    ok: false,
    reason: `Fill the placeholder${open.length === 1 ? '' : 's'} ${list} before approving this proposal.`,
  };
}

/** The configuration as the policy checks a patch against it. */
export function toPolicyCurrent(view: AgentConfigView): CurrentConfig {
  return {
    escalationRules: view.agent.escalationRules,
    communicationStyles: view.agent.communicationStyles,
    skills: view.skills.map((s) => ({
      id: s.id,
      status: s.status,
      description: s.description,
      instructions: s.instructions,
      handoff: s.handoff,
    })),
    knowledge: view.knowledge.map((k) => ({
      id: k.id,
      title: k.title,
      content: k.content,
      url: k.url,
    })),
    tone: { ...view.agent.tone },
  };
}
