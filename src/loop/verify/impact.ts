import { RequestValidationError } from '../../errors.js';
import type { MetricPoint, ReportStore } from '../../store/reports.js';
import type { Proposal } from '../../domain/proposal.js';
import {
  SKILL_VALUES_REPORT_KIND,
  skillVolumes,
  summarizeValues,
  VALUES_REPORT_KIND,
} from '../../domain/reports.js';
import { DAY_MS } from '../../time.js';
import { percent, roundTo } from '../../domain/format.js';

/**
 * The impact check, some days after an apply: the account's resolution rate (and the implicated
 * skill's volume) in equal windows before and after `appliedAt`, from the metric points the
 * reports pull stored. A drop in the resolution rate beyond the threshold is a regression, and
 * the caller offers a revert. Skill volume is reported, not judged: a fix can rightly move
 * conversations away from a skill (a misrouting fix) or towards it.
 *
 * The points of one kind are assumed not to overlap (the pull stores one per window); a point
 * counts for a side only when its whole window lies inside that side.
 */

export const IMPACT_VERDICTS = ['improved', 'no-change', 'regressed', 'insufficient-data'] as const;
export type ImpactVerdict = (typeof IMPACT_VERDICTS)[number];

export interface ImpactSide {
  from: string;
  to: string;
  /** Metric points that fell inside the window. */
  points: number;
  /** Conversations in the window, when the reports gave volumes. */
  conversations: number | null;
  /** Resolved share (0–1), volume-weighted over the points. */
  resolutionRate: number | null;
  /** The implicated skill's conversations, when known. */
  skillVolume: number | null;
}

export interface ImpactResult {
  verdict: ImpactVerdict;
  before: ImpactSide;
  after: ImpactSide;
  /** For people; names the proposals the attribution is shared with, when it is. */
  reason: string;
  /** Proposals that changed the same target inside this window (an approver's "apply anyway"). */
  sharedWith: string[];
  /** True for a regression: offer the person a revert. */
  offerRevert: boolean;
}

export interface ImpactInput {
  proposal: Pick<Proposal, 'id' | 'accountId' | 'result' | 'finding' | 'patch' | 'attribution'>;
  stores: { reports: Pick<ReportStore, 'range'> };
  now: Date;
  /** Days on each side of the apply (shortened to the days since it). @defaultValue 7 */
  windowDays?: number;
  /** Conversations each side needs for a verdict. @defaultValue 20 */
  minConversations?: number;
  /** Change in resolution rate (absolute, 0–1) that counts. @defaultValue 0.05 */
  threshold?: number;
  /**
   * The names skill-values rows may give the implicated skill (machine name, display name).
   * @defaultValue the skill's id
   */
  skillNames?: readonly string[];
}

/** The implicated skill's conversations in one point, under any of its (lower-case) names. */
export function skillVolumeOf(point: MetricPoint, names: ReadonlySet<string>): number {
  let sum = 0;
  for (const [name, count] of skillVolumes(point.data)) {
    if (names.has(name.toLowerCase())) sum += count;
  }
  return sum;
}

async function pointsIn(
  input: ImpactInput,
  kind: string,
  from: number,
  to: number,
): Promise<MetricPoint[]> {
  const points = await input.stores.reports.range(input.proposal.accountId, kind, {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
  });
  return points.filter((p) => Date.parse(p.windowStart) >= from && Date.parse(p.windowEnd) <= to);
}

/** The skill a proposal changes, or else the one its finding is about; null for neither. */
export function implicatedSkill(proposal: Pick<Proposal, 'patch' | 'finding'>): string | null {
  const { patch, finding } = proposal;
  return patch.kind === 'skill.update' ? patch.skillId : finding.skillId;
}

async function side(input: ImpactInput, from: number, to: number): Promise<ImpactSide> {
  const values = await pointsIn(input, VALUES_REPORT_KIND, from, to);
  let volume: number | null = null;
  let resolved = 0;
  const rates: number[] = [];
  for (const point of values) {
    const { volume: v, resolutionRate: rate } = summarizeValues(point.data);
    if (rate !== null) rates.push(rate);
    if (v === null) continue;
    volume = (volume ?? 0) + v;
    resolved += (rate ?? 0) * v;
  }
  const rate =
    volume !== null && volume > 0
      ? resolved / volume
      : rates.length > 0
        ? rates.reduce((a, b) => a + b) / rates.length
        : null;
  const skill = implicatedSkill(input.proposal);
  let skillVolume: number | null = null;
  if (skill !== null) {
    const names = new Set([skill, ...(input.skillNames ?? [])].map((n) => n.toLowerCase()));
    const points = await pointsIn(input, SKILL_VALUES_REPORT_KIND, from, to);
    if (points.length > 0)
      skillVolume = points.reduce((sum, p) => sum + skillVolumeOf(p, names), 0);
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    points: values.length,
    conversations: volume,
    resolutionRate: rate === null ? null : roundTo(rate, 3),
    skillVolume,
  };
}

function decide(before: ImpactSide, after: ImpactSide, minimum: number, threshold: number) {
  const thin = (s: ImpactSide) =>
    s.resolutionRate === null || (s.conversations !== null && s.conversations < minimum);
  if (
    thin(before) ||
    thin(after) ||
    before.resolutionRate === null ||
    after.resolutionRate === null
  ) {
    const reason = `Not enough data: each side needs a resolution rate over at least ${minimum} conversations (before: ${before.conversations ?? 'unknown'}, after: ${after.conversations ?? 'unknown'}).`;
    return { verdict: 'insufficient-data' as const, reason };
  }
  const delta = after.resolutionRate - before.resolutionRate;
  const moved = `Resolution rate ${percent(before.resolutionRate, { trim: true })} → ${percent(after.resolutionRate, { trim: true })}`;
  if (delta <= -threshold)
    return { verdict: 'regressed' as const, reason: `${moved}: a regression; consider reverting.` };
  if (delta >= threshold) return { verdict: 'improved' as const, reason: `${moved}: improved.` };
  return {
    verdict: 'no-change' as const,
    reason: `${moved}: within ±${percent(threshold, { trim: true })}, no clear change.`,
  };
}

/** The history note the impact check records on the proposal: `impact <verdict>: <reason>…`. */
export function impactNote(impact: ImpactResult): string {
  return `impact ${impact.verdict}: ${impact.reason}${impact.offerRevert ? ' — revert offered' : ''}`;
}

const NOTE = new RegExp(`^impact (${IMPACT_VERDICTS.join('|')}): `);

/**
 * The latest impact check recorded in the proposal's history (see `impactNote`): its verdict and
 * the rest of the note (the reason), or null before the check.
 */
export function recordedImpact(
  proposal: Pick<Proposal, 'history'>,
): { verdict: ImpactVerdict; reason: string; at: string } | null {
  for (const event of [...proposal.history].reverse()) {
    const match = NOTE.exec(event.note ?? '');
    if (match === null) continue;
    const reason = (event.note ?? '').slice(match[0].length);
    return { verdict: match[1] as ImpactVerdict, reason, at: event.at };
  }
  return null;
}

/** Compares equal windows before and after the proposal's `appliedAt`. */
export async function checkImpact(input: ImpactInput): Promise<ImpactResult> {
  const appliedAt = Date.parse(input.proposal.result.appliedAt ?? '');
  if (Number.isNaN(appliedAt)) {
    throw new RequestValidationError(
      `Proposal ${input.proposal.id} has no appliedAt; it was never applied.`,
    );
  }
  const days = Math.min(input.windowDays ?? 7, (input.now.getTime() - appliedAt) / DAY_MS);
  const span = Math.max(0, days) * DAY_MS;
  const [before, after] = await Promise.all([
    side(input, appliedAt - span, appliedAt),
    side(input, appliedAt, appliedAt + span),
  ]);
  const { verdict, reason } =
    span < DAY_MS
      ? {
          verdict: 'insufficient-data' as const,
          reason: 'Less than a day has passed since the apply.',
        }
      : decide(before, after, input.minConversations ?? 20, input.threshold ?? 0.05);
  const sharedWith = input.proposal.attribution.sharedWith ?? [];
  const shared =
    sharedWith.length === 0
      ? ''
      : ` Attribution shared with ${sharedWith.join(', ')}: it changed the same target inside this window, so the change is not measured alone.`;
  return {
    verdict,
    before,
    after,
    reason: reason + shared,
    sharedWith,
    offerRevert: verdict === 'regressed',
  };
}
