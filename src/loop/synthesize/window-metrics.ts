import { roundTo } from '../../domain/format.js';
import { skillVolumes, summarizeValues } from '../../domain/reports.js';

/**
 * The window's metrics as findings carry them, from the latest report points the reports pull
 * stored: the resolution rate of the window and the conversations of each skill.
 */

/** Metrics of the window from the reports, when they were pulled. */
export interface WindowMetrics {
  /** Share of conversations resolved by the agent, 0..1. */
  resolutionRate: number | null;
  /** Conversations per skill id. */
  skillVolumes: Record<string, number>;
}

const roundOrNull = (value: number | null): number | null =>
  value === null ? null : roundTo(value, 4);

/** A skill as the reports may name it: by id, machine name or display name. */
export interface SkillNames {
  id: string;
  names: readonly string[];
}

/** Per-skill volume by skill id; rows naming a skill we do not know are dropped. */
function skillVolumesOf(data: unknown, skills: readonly SkillNames[]): Record<string, number> {
  const idOf = new Map<string, string>();
  for (const skill of skills) {
    for (const name of skill.names) idOf.set(name.toLowerCase(), skill.id);
    idOf.set(skill.id.toLowerCase(), skill.id);
  }
  const volumes: Record<string, number> = {};
  for (const [name, count] of skillVolumes(data)) {
    const id = idOf.get(name.toLowerCase());
    if (id !== undefined) volumes[id] = (volumes[id] ?? 0) + count;
  }
  return volumes;
}

/**
 * The window metrics from the latest stored report points (`values` and `skill-values` data,
 * either may be missing), read by the shared report parser (domain/reports.ts).
 */
export function metricsFromReports(
  values: unknown,
  skillValues: unknown,
  skills: readonly SkillNames[],
): WindowMetrics {
  return {
    resolutionRate:
      values === undefined ? null : roundOrNull(summarizeValues(values).resolutionRate),
    skillVolumes: skillValues === undefined ? {} : skillVolumesOf(skillValues, skills),
  };
}
