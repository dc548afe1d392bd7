import type { AgentConfigView } from './agent-config.js';
import type { PatchTarget } from './kind.js';
import { kindOf } from './kinds/index.js';
import type { Baseline, Patch } from './patch.js';

/** What a patch is drafted against: its target in a config view, and the baseline recorded. */

/** The resource `patch` writes, looked up in `view` (its id, display name, attributes). */
export function targetOf(patch: Patch, view: AgentConfigView): PatchTarget {
  return kindOf(patch).target(patch, view);
}

/** The baseline of `patch`: the current values of exactly the fields it touches. */
export function baselineFor(patch: Patch, view: AgentConfigView): Baseline {
  const target = targetOf(patch, view);
  return {
    target: { type: target.type, id: target.id },
    fields: kindOf(patch).baselineFields(patch, target.attributes),
    updatedAt: target.updatedAt,
    readAt: view.readAt,
  };
}
