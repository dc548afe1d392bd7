import { setTimeout as sleep } from 'node:timers/promises';
import type { Proposal } from '../../domain/proposal.js';
import {
  SKILL_VALUES_REPORT_KIND,
  skillVolumes,
  summarizeValues,
  VALUES_REPORT_KIND,
} from '../../domain/reports.js';
import type { Logger } from '../../logger.js';
import { implicatedSkill, skillVolumeOf } from '../../loop/verify/impact.js';
import type { AgentConfigView } from '../../patches/agent-config.js';
import type { ProposalStore } from '../../store/proposals.js';
import type { ReportStore } from '../../store/reports.js';
import { DAY_MS, SECOND_MS } from '../../time.js';
import { trendChart, type ChartMarker, type ChartPoint } from './chart.js';
import type { Html } from './html.js';

/**
 * An account's trend for the pages: its values report points (resolution rate and conversations)
 * and the changes applied to it, marked. A proposal's page marks that proposal in red, says which
 * changes touched the same target, and, for a proposal about a skill, draws that skill's
 * conversations (the skill-values report) as the bars; the resolution rate stays the account's,
 * since the reports give it per account only.
 */

/** Days of metric points a chart shows (further back when the change is older). */
export const TREND_DAYS = 60;
/** Days before an apply a proposal's chart shows at least, so "before" is on it. */
const DAYS_BEFORE_CHANGE = 14;
/** Changes read per account for the markers and the overview: the most recent. */
export const CHANGES_SHOWN = 50;

/** How the skill-values report and people name a skill. */
export interface SkillNames {
  /** Names report rows may give it (machine name, display name). */
  names: string[];
  /** The name the chart shows. */
  label: string;
}

export interface TrendSources {
  reports: Pick<ReportStore, 'range'>;
  proposals: Pick<ProposalStore, 'list'>;
  /** A skill's names, or null when unknown (its bars are then looked up by its id alone). */
  skillNames?: ((accountId: string, skillId: string) => Promise<SkillNames | null>) | undefined;
}

/** How long a page waits for the agent's configuration (names of skills) before going without. */
const SKILL_NAMES_WAIT_MS = 2 * SECOND_MS;

/**
 * Skill names from the accounts' agent configuration (cached by the deps). A page does not wait
 * on a slow or rate-limited read for longer than `SKILL_NAMES_WAIT_MS`, and an account this server
 * does not run has no configuration to read.
 */
export function skillNamesFrom(
  agentConfig: (accountId: string) => Promise<Pick<AgentConfigView, 'skills'>>,
  accounts: readonly string[],
  log: Logger,
): NonNullable<TrendSources['skillNames']> {
  return async (accountId, skillId) => {
    if (!accounts.includes(accountId)) return null;
    const timer = new AbortController();
    try {
      const view = await Promise.race([
        agentConfig(accountId),
        sleep(SKILL_NAMES_WAIT_MS, null, { signal: timer.signal }),
      ]);
      const skill = view?.skills.find((s) => s.id === skillId);
      return skill === undefined
        ? null
        : { names: [skill.name, skill.displayName], label: skill.displayName };
    } catch (error) {
      log.warn({ err: error, accountId }, 'trend chart: could not read the skill names');
      return null;
    } finally {
      timer.abort();
    }
  };
}

/** An applied change: applied now or applied and reverted since. */
export type AppliedChange = Proposal & { result: { appliedAt: string } };

/** The account's most recently created proposals that were applied, with their apply dates. */
export async function appliedChanges(
  proposals: TrendSources['proposals'],
  accountId: string,
): Promise<AppliedChange[]> {
  const list = await proposals.list({
    accountId,
    status: ['applied', 'reverted'],
    limit: CHANGES_SHOWN,
  });
  return list.filter((p): p is AppliedChange => p.result.appliedAt !== undefined);
}

async function points(
  reports: TrendSources['reports'],
  accountId: string,
  from: Date,
): Promise<ChartPoint[]> {
  const stored = await reports.range(accountId, VALUES_REPORT_KIND, { from: from.toISOString() });
  return stored.map((p) => ({
    windowStart: p.windowStart,
    windowEnd: p.windowEnd,
    ...summarizeValues(p.data),
  }));
}

const pageOf = (p: Pick<Proposal, 'id'>): string => `/proposals/${encodeURIComponent(p.id)}`;
const sameTarget = (a: Proposal, b: Proposal): boolean =>
  a.baseline.target.type === b.baseline.target.type &&
  a.baseline.target.id !== null &&
  a.baseline.target.id === b.baseline.target.id;

function marker(change: AppliedChange, current: Proposal | undefined): ChartMarker {
  const note =
    current !== undefined && change.id !== current.id && sameTarget(change, current)
      ? 'same target'
      : undefined;
  return {
    at: change.result.appliedAt,
    label: change.title,
    href: pageOf(change),
    ...(change.id === current?.id ? { current: true } : {}),
    ...(note === undefined ? {} : { note }),
  };
}

/** One skill's conversations per window end, or null when no point names the skill. */
async function skillSeries(
  sources: TrendSources,
  accountId: string,
  skillId: string,
  from: Date,
): Promise<{ label: string; byWindowEnd: Map<number, number> } | null> {
  const [known, stored] = await Promise.all([
    sources.skillNames?.(accountId, skillId) ?? null,
    sources.reports.range(accountId, SKILL_VALUES_REPORT_KIND, { from: from.toISOString() }),
  ]);
  const names = new Set([skillId, ...(known?.names ?? [])].map((n) => n.toLowerCase()));
  // A skill no point names (names unknown, or renamed) would draw as zero: say nothing instead.
  const named = stored.some((p) =>
    [...skillVolumes(p.data).keys()].some((n) => names.has(n.toLowerCase())),
  );
  if (!named) return null;
  return {
    label: `conversations of skill ${known?.label ?? skillId}`,
    byWindowEnd: new Map(stored.map((p) => [Date.parse(p.windowEnd), skillVolumeOf(p, names)])),
  };
}

function chart(
  accountId: string,
  series: ChartPoint[],
  changes: readonly AppliedChange[],
  options: { from: Date; current?: Proposal; volumeLabel?: string },
): Html {
  const shown = changes.filter((c) => Date.parse(c.result.appliedAt) >= options.from.getTime());
  const volumeLabel = options.volumeLabel ?? 'conversations';
  return trendChart({
    title: `Resolution rate (account ${accountId}) and ${volumeLabel}`,
    points: series,
    markers: shown.map((c) => marker(c, options.current)),
    volumeLabel,
  });
}

/** The account's trend over the last `TREND_DAYS` days with its applied changes marked. */
export async function accountTrendChart(
  sources: TrendSources,
  accountId: string,
  options: { now: Date; changes: readonly AppliedChange[] },
): Promise<Html> {
  const from = new Date(options.now.getTime() - TREND_DAYS * DAY_MS);
  const series = await points(sources.reports, accountId, from);
  return chart(accountId, series, options.changes, { from });
}

/**
 * The trend around `proposal`: the last `TREND_DAYS` days, or from two weeks before its apply
 * when that is earlier; the proposal (once applied) in red, the account's other changes dashed;
 * the bars are its skill's conversations when it is about a skill the reports name.
 */
export async function proposalTrendChart(
  sources: TrendSources,
  proposal: Proposal,
  options: { now: Date },
): Promise<Html> {
  const appliedAt = Date.parse(proposal.result.appliedAt ?? '');
  const from = new Date(
    Math.min(
      options.now.getTime() - TREND_DAYS * DAY_MS,
      Number.isNaN(appliedAt) ? Infinity : appliedAt - DAYS_BEFORE_CHANGE * DAY_MS,
    ),
  );
  const skill = implicatedSkill(proposal);
  const [series, recent, skillBars] = await Promise.all([
    points(sources.reports, proposal.accountId, from),
    appliedChanges(sources.proposals, proposal.accountId),
    skill === null ? null : skillSeries(sources, proposal.accountId, skill, from),
  ]);
  // An older change than the most recent ones listed is still marked on its own page.
  const changes =
    Number.isNaN(appliedAt) || recent.some((c) => c.id === proposal.id)
      ? recent
      : [...recent, proposal as AppliedChange];
  if (skillBars === null)
    return chart(proposal.accountId, series, changes, { from, current: proposal });
  const bars = series.map((p) => ({
    ...p,
    volume: skillBars.byWindowEnd.get(Date.parse(p.windowEnd)) ?? null,
  }));
  return chart(proposal.accountId, bars, changes, {
    from,
    current: proposal,
    volumeLabel: skillBars.label,
  });
}
