import type { AgentConfigView, SkillView } from '../../../patches/agent-config.js';
import type { Finding } from '../../../domain/finding.js';
import { languageOf } from '../../../domain/language.js';
import { contentTokens } from '../../../domain/text.js';
import { WORDING, type Wording } from '../../../domain/wording.js';
import type { Patch } from '../../../patches/patch.js';
import { summarizePatch } from '../../../patches/render-diff.js';
import { ALL_PATCH_KINDS, checkPatch, toPolicyCurrent } from '../../policy/policy.js';
import { cleanTopic } from '../findings.js';

/**
 * What every rules template shares (offline-drafter.ts picks the template): the draft and its
 * outcome, and the helpers that build them.
 */

/** A drafted patch with its reasons, before the policy has checked it. */
export interface Draft {
  patch: Patch;
  title: string;
  rationale: string;
  expectedImpact: string;
  drafter: 'rules' | 'claude';
  /**
   * A second change decided together with this one, on another resource: a wrong skill's other
   * side (see PairSchema in src/domain/proposal.ts). Stored as a proposal of its own.
   */
  companion?: Omit<Draft, 'drafter' | 'companion'>;
}

/** A draft, or why the rules have none for this finding (reported as a skipped finding). */
export type RulesOutcome = { draft: Draft; reason: null } | { draft: null; reason: string };

/** Words every skill or rule text uses; they say nothing about what it is about. */
const DRAFTING_GENERIC = contentTokens('ask asks asking shopper customer skill handle handles');

/** Stemmed content words of a text, for overlap scores (`contentTokens` less the generic ones). */
export function contentWords(text: string): Set<string> {
  const tokens = contentTokens(text);
  for (const generic of DRAFTING_GENERIC) tokens.delete(generic);
  return tokens;
}

/** The text with its first letter upper-cased. */
export const sentenceCase = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The finding's topic as it may appear in config text; never empty. */
export function topicOf(finding: Finding): string {
  const topic = cleanTopic(finding.topic);
  return topic === '' ? 'this topic' : topic;
}

/** Appends a paragraph (or line) to an existing text; a blank original becomes just the line. */
export function append(original: string, addition: string, separator = '\n\n'): string {
  const base = original.trimEnd();
  return base === '' ? addition : `${base}${separator}${addition}`;
}

const wordings = new WeakMap<AgentConfigView, Wording>();

/**
 * The wording to draft in: that of the language the store's configuration is written in (its
 * skills, snippets, rules and styles), so an added line reads like its neighbours.
 */
export function wordingOf(view: AgentConfigView): Wording {
  const known = wordings.get(view);
  if (known !== undefined) return known;
  const { escalationRules, communicationStyles } = view.agent;
  const wording =
    WORDING[
      languageOf([
        ...view.skills.flatMap((s) => [s.description, s.instructions]),
        ...view.knowledge.map((k) => k.content ?? ''),
        ...[...escalationRules, ...communicationStyles].map((g) => g.description),
      ])
    ];
  wordings.set(view, wording);
  return wording;
}

/** A rules draft of `patch` with its reasons; `draftByRulesWithReason` titles it. */
export function draft(patch: Patch, why: string, impact: string): RulesOutcome {
  return {
    reason: null,
    draft: {
      patch,
      title: summarizePatch(patch).slice(0, 200), // named by `titleOf` once the view is at hand
      rationale: why,
      expectedImpact: impact,
      drafter: 'rules',
    },
  };
}

/** `outcome` with `companion` drafted alongside its draft (a skip stays a skip). */
export function withCompanion(
  outcome: RulesOutcome,
  companion: { patch: Patch; why: string; impact: string },
): RulesOutcome {
  if (outcome.draft === null) return outcome;
  const { patch, why, impact } = companion;
  const title = summarizePatch(patch).slice(0, 200);
  return {
    ...outcome,
    draft: {
      ...outcome.draft,
      companion: { patch, title, rationale: why, expectedImpact: impact },
    },
  };
}

/** No draft, and why. */
export const skip = (reason: string): RulesOutcome => ({ draft: null, reason });

/** The skill the finding names, if the agent has it. */
export function skillOf(finding: Finding, view: AgentConfigView): SkillView | undefined {
  return view.skills.find((s) => s.id === finding.skillId);
}

/** A skill.update appending `line` to the description (same paragraph) or the instructions. */
export function skillUpdate(skill: SkillView, field: 'description' | 'instructions', line: string) {
  const separator = field === 'description' ? ' ' : '\n\n';
  const patch: Patch = {
    kind: 'skill.update',
    skillId: skill.id,
    changes: { [field]: append(skill[field], line, separator) },
  };
  return patch;
}

/** Violations the policy finds in a draft against the store's config, before any transcript. */
export function policyProblems(patch: Patch, view: AgentConfigView): string[] {
  const current = toPolicyCurrent(view);
  const result = checkPatch(patch, { allowedKinds: ALL_PATCH_KINDS, current, transcripts: [] });
  return result.violations.map((v) => v.message);
}
