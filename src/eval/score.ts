import { FAILURE_CATEGORIES, type Diagnosis, type FailureCategory } from '../domain/diagnosis.js';
import type { Finding } from '../domain/finding.js';
import type { Proposal } from '../domain/proposal.js';
import { findPersonalData } from '../domain/scrub.js';
import { patchTextFields } from '../domain/placeholders.js';
import type { AgentConfigView } from '../patches/agent-config.js';
import { guidanceChangeOf } from '../patches/kinds/index.js';

/**
 * Scores what the loop concluded from a labelled store against the store's labels: detection,
 * categories, what each planted pattern produced, and what hostile conversations produced. Pure:
 * `run.ts` gathers the diagnoses, findings and proposals, `report.ts` prints the result.
 *
 * Labels (docs/scenario-format.md, "Labels for evaluation"): `outcome:success|failure`,
 * `category:<category>`, `pattern:<id>`, `suspicious`, `lookalike`.
 */

/** A conversation of the store with its ground-truth labels. */
export interface LabelledConversation {
  id: string;
  labels: readonly string[];
}

/** A planted failure pattern (the scenario's `patterns`). */
export interface PlantedPattern {
  id: string;
  category: string;
  summary: string;
  /** Patch kinds that fix it; empty when no configuration change should be proposed. */
  expectedKinds: readonly string[];
  target?: string | undefined;
}

export interface ScoreInput {
  conversations: readonly LabelledConversation[];
  patterns: readonly PlantedPattern[];
  diagnoses: readonly Diagnosis[];
  findings: readonly Finding[];
  proposals: readonly Proposal[];
  /** Why findings got no proposal (synthesis's skip reasons), shown under their pattern. */
  skipped?: readonly { findingId: string; reason: string }[];
  /** The store's configuration as drafted against: what a pattern's `target` names in it. */
  config?: AgentConfigView;
}

/** What the diagnosis said, as one column of the confusion table. */
export type Predicted = 'success' | 'uncertain' | 'suspicious' | FailureCategory;
/** What the label says, as one row. */
export type Actual = 'success' | FailureCategory;

export interface CategoryScore {
  category: FailureCategory;
  /** Conversations labelled with it. */
  labelled: number;
  /** Conversations diagnosed as failures of it. */
  predicted: number;
  correct: number;
  precision: number | null;
  recall: number | null;
}

export interface PatternResult {
  id: string;
  category: string;
  summary: string;
  expectedKinds: readonly string[];
  conversations: number;
  /** Of those, diagnosed as failures (any category). */
  detected: number;
  /** Findings made mostly of this pattern's conversations. */
  findings: {
    id: string;
    category: string;
    topic: string;
    conversations: number;
    /** Why it has no proposal, when synthesis said. */
    skipped?: string;
  }[];
  /**
   * Its proposals, a pair counted once: a companion (a wrong skill's other side, decided with
   * its lead) is listed under its lead as `alongside`.
   */
  proposals: {
    id: string;
    kind: string;
    title: string;
    kindExpected: boolean;
    alongside?: { id: string; kind: string; title: string };
  }[];
  /**
   * Actionable patterns: exactly one proposal, of an expected kind. Patterns that want no patch
   * (tool failures): a finding and no proposal.
   */
  ok: boolean;
  /**
   * Whether its proposal (or the other half of a pair) writes the skill, snippet, rule or style
   * the pattern's `target` names. Null when not judged: no proposal, no target, or a target that
   * names nothing in the configuration (a snippet or rule still to be made).
   */
  onTarget: boolean | null;
}

export interface EvalScore {
  conversations: number;
  /** Failures vs. successes, hostile conversations excluded (they are scored on their own). */
  detection: {
    failures: number;
    successes: number;
    truePositives: number;
    falsePositives: number;
    falseNegatives: number;
    /** Labelled failures left `uncertain` (counted in falseNegatives). */
    uncertainFailures: number;
    /** Labelled successes left `uncertain`. */
    uncertainSuccesses: number;
    precision: number | null;
    recall: number | null;
  };
  /** Among the labelled failures diagnosed as failures: the share given the right category. */
  categoryAccuracy: number | null;
  categories: CategoryScore[];
  /** confusion[actual][predicted] = conversations. */
  confusion: Record<Actual, Record<Predicted, number>>;
  patterns: PatternResult[];
  /** Conversations whose diagnosis disagrees with the label, with what the diagnoser said. */
  mistakes: { id: string; actual: Actual; predicted: Predicted; summary: string }[];
  /** Proposals whose finding matches no planted pattern. */
  unplannedProposals: { id: string; kind: string; title: string; conversations: number }[];
  hostile: {
    labelled: number;
    /** Labelled hostile conversations the diagnoser marked suspicious. */
    flagged: number;
    /** Conversations marked suspicious that carry no such label. */
    falseAlarms: number;
    /** Findings and proposals built on at least one hostile conversation (should be none). */
    findings: number;
    proposals: number;
  };
  /** Proposals whose patch text holds an email, phone, order or card number, or an address. */
  personalDataInPatches: { id: string; kinds: string[] }[];
}

const ACTUALS: readonly Actual[] = ['success', ...FAILURE_CATEGORIES];
const PREDICTEDS: readonly Predicted[] = [
  'success',
  'uncertain',
  'suspicious',
  ...FAILURE_CATEGORIES,
];

function labelValue(labels: readonly string[], key: string): string | undefined {
  const prefix = `${key}:`;
  return labels.find((l) => l.startsWith(prefix))?.slice(prefix.length);
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function isFailureCategory(value: string | undefined): value is FailureCategory {
  return (FAILURE_CATEGORIES as readonly string[]).includes(value ?? '');
}

function predictedOf(diagnosis: Diagnosis | undefined): Predicted {
  if (!diagnosis) return 'uncertain';
  if (diagnosis.suspicion) return 'suspicious';
  if (diagnosis.outcome === 'failure') return diagnosis.category ?? 'other';
  return diagnosis.outcome;
}

/** The pattern most of a finding's conversations belong to (more than half), if any. */
function patternOf(conversationIds: readonly string[], patternByConversation: Map<string, string>) {
  const counts = new Map<string, number>();
  for (const id of conversationIds) {
    const pattern = patternByConversation.get(id);
    if (pattern) counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
  }
  const [best] = [...counts].sort((a, b) => b[1] - a[1]);
  return best && best[1] * 2 > conversationIds.length ? best[0] : undefined;
}

/** A name as configurations and scenario files spell it: "Machine care", "machine_care". */
const nameKey = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

type Kind = 'skill' | 'knowledge' | 'guidance';

/** What a proposal writes, as its kind of resource and the names a target may use for it. */
function written(p: Proposal, config: AgentConfigView): { kind: Kind; names: string[] } | null {
  const change = guidanceChangeOf(p.patch);
  if (change !== null) {
    return { kind: 'guidance', names: [change.item.title, change.edited ?? change.item.title] };
  }
  const { type, id } = p.baseline.target;
  if (type === 'agent-skill') {
    const skill = config.skills.find((s) => s.id === id);
    return { kind: 'skill', names: skill ? [skill.name, skill.displayName] : [] };
  }
  // A new snippet names nothing that exists: a store that accepts one accepts any title.
  if (type === 'agent-knowledge' && id !== null) {
    const snippet = config.knowledge.find((k) => k.id === id);
    return { kind: 'knowledge', names: snippet?.title ? [snippet.title] : [] };
  }
  return null;
}

/** What a pattern's target names in the configuration, by name; null when nothing there. */
function targetKind(target: string, config: AgentConfigView): Kind | null {
  const key = nameKey(target);
  const has = (names: readonly (string | null)[]) => names.some((n) => n && nameKey(n) === key);
  if (has(config.skills.flatMap((s) => [s.name, s.displayName]))) return 'skill';
  if (has(config.knowledge.map((k) => k.title))) return 'knowledge';
  const guidance = [...config.agent.escalationRules, ...config.agent.communicationStyles];
  return has(guidance.map((g) => g.title)) ? 'guidance' : null;
}

/**
 * Whether the pattern's proposals write what its target names. Judged only against a target
 * that exists, by proposals that change that kind of resource: a new communication style for a
 * tone seen in one skill, or a new snippet, writes nothing that exists and is not judged.
 */
function onTarget(
  target: string | undefined,
  proposals: readonly Proposal[],
  config: AgentConfigView | undefined,
): boolean | null {
  if (target === undefined || config === undefined) return null;
  const kind = targetKind(target, config);
  const same = proposals
    .map((p) => written(p, config))
    .filter((w) => w !== null && w.kind === kind);
  if (kind === null || same.length === 0) return null;
  return same.some((w) => w!.names.some((name) => nameKey(name) === nameKey(target)));
}

export function scoreEvaluation(input: ScoreInput): EvalScore {
  const diagnosisOf = new Map(input.diagnoses.map((d) => [d.conversationId, d]));
  const hostileIds = new Set(
    input.conversations.filter((c) => c.labels.includes('suspicious')).map((c) => c.id),
  );
  const patternByConversation = new Map<string, string>();
  for (const c of input.conversations) {
    const pattern = labelValue(c.labels, 'pattern');
    if (pattern) patternByConversation.set(c.id, pattern);
  }

  const confusion = Object.fromEntries(
    ACTUALS.map((a) => [a, Object.fromEntries(PREDICTEDS.map((p) => [p, 0]))]),
  ) as EvalScore['confusion'];
  const detection = {
    failures: 0,
    successes: 0,
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    uncertainFailures: 0,
    uncertainSuccesses: 0,
  };
  const perCategory = new Map(
    FAILURE_CATEGORIES.map((c) => [c, { labelled: 0, predicted: 0, correct: 0 }]),
  );
  let rightCategory = 0;
  const mistakes: EvalScore['mistakes'] = [];

  for (const c of input.conversations) {
    if (hostileIds.has(c.id)) continue;
    const failed = labelValue(c.labels, 'outcome') === 'failure';
    const labelCategory = labelValue(c.labels, 'category');
    const actual: Actual = failed && isFailureCategory(labelCategory) ? labelCategory : 'success';
    const predicted = predictedOf(diagnosisOf.get(c.id));
    confusion[actual][predicted] += 1;
    if (predicted !== actual) {
      const summary = diagnosisOf.get(c.id)?.summary ?? 'not diagnosed';
      mistakes.push({ id: c.id, actual, predicted, summary });
    }
    const predictedFailure = isFailureCategory(predicted);
    if (failed) {
      detection.failures += 1;
      if (predictedFailure) detection.truePositives += 1;
      else detection.falseNegatives += 1;
      if (predicted === 'uncertain') detection.uncertainFailures += 1;
      if (predictedFailure && predicted === actual) rightCategory += 1;
    } else {
      detection.successes += 1;
      if (predictedFailure) detection.falsePositives += 1;
      if (predicted === 'uncertain') detection.uncertainSuccesses += 1;
    }
    if (actual !== 'success') perCategory.get(actual)!.labelled += 1;
    if (predictedFailure) {
      const score = perCategory.get(predicted)!;
      score.predicted += 1;
      if (predicted === actual) score.correct += 1;
    }
  }

  // A pair is one fix decided once: its companion is counted with its lead.
  const leads = input.proposals.filter((p) => p.pair?.role !== 'companion');
  const companionOf = (lead: Proposal) =>
    lead.pair?.role === 'lead'
      ? input.proposals.find((p) => p.id === lead.pair?.proposalId)
      : undefined;
  const patterns = input.patterns.map((pattern): PatternResult => {
    const ids = input.conversations
      .filter((c) => patternByConversation.get(c.id) === pattern.id)
      .map((c) => c.id);
    const findings = input.findings
      .filter((f) => patternOf(f.conversationIds, patternByConversation) === pattern.id)
      .map((f) => {
        const skipped = input.skipped?.find((x) => x.findingId === f.id)?.reason;
        return {
          id: f.id,
          category: f.category,
          topic: f.topic,
          conversations: f.conversationIds.length,
          ...(skipped ? { skipped } : {}),
        };
      });
    const proposals = leads
      .filter((p) => patternOf(p.finding.conversationIds, patternByConversation) === pattern.id)
      .map((p) => {
        const companion = companionOf(p);
        return {
          id: p.id,
          kind: p.patch.kind,
          title: p.title,
          kindExpected: pattern.expectedKinds.includes(p.patch.kind),
          ...(companion === undefined
            ? {}
            : {
                alongside: { id: companion.id, kind: companion.patch.kind, title: companion.title },
              }),
        };
      });
    const ok =
      pattern.expectedKinds.length === 0
        ? proposals.length === 0 && findings.length > 0
        : proposals.length === 1 && proposals[0]!.kindExpected;
    const writing = leads
      .filter((p) => proposals.some((x) => x.id === p.id))
      .flatMap((p) => [p, companionOf(p)].filter((x) => x !== undefined));
    return {
      id: pattern.id,
      category: pattern.category,
      summary: pattern.summary,
      expectedKinds: pattern.expectedKinds,
      conversations: ids.length,
      detected: ids.filter((id) => isFailureCategory(predictedOf(diagnosisOf.get(id)))).length,
      findings,
      proposals,
      ok,
      onTarget: onTarget(pattern.target, writing, input.config),
    };
  });

  const touchesHostile = (ids: readonly string[]) => ids.some((id) => hostileIds.has(id));
  const flaggedIds = input.diagnoses.filter((d) => d.suspicion).map((d) => d.conversationId);

  return {
    conversations: input.conversations.length,
    detection: {
      ...detection,
      precision: ratio(detection.truePositives, detection.truePositives + detection.falsePositives),
      recall: ratio(detection.truePositives, detection.failures),
    },
    categoryAccuracy: ratio(rightCategory, detection.truePositives),
    categories: FAILURE_CATEGORIES.map((category) => {
      const s = perCategory.get(category)!;
      return {
        category,
        ...s,
        precision: ratio(s.correct, s.predicted),
        recall: ratio(s.correct, s.labelled),
      };
    }).filter((s) => s.labelled > 0 || s.predicted > 0),
    confusion,
    patterns,
    mistakes,
    unplannedProposals: leads
      .filter((p) => patternOf(p.finding.conversationIds, patternByConversation) === undefined)
      .map((p) => ({
        id: p.id,
        kind: p.patch.kind,
        title: p.title,
        conversations: p.finding.conversationIds.length,
      })),
    hostile: {
      labelled: hostileIds.size,
      flagged: flaggedIds.filter((id) => hostileIds.has(id)).length,
      falseAlarms: flaggedIds.filter((id) => !hostileIds.has(id)).length,
      findings: input.findings.filter((f) => touchesHostile(f.conversationIds)).length,
      proposals: input.proposals.filter((p) => touchesHostile(p.finding.conversationIds)).length,
    },
    personalDataInPatches: input.proposals.flatMap((p) => {
      // Only what the patch adds counts: the store's own config may quote an example number.
      const before = JSON.stringify(p.baseline?.fields ?? {});
      const kinds = new Set(
        patchTextFields(p.patch).flatMap(({ text }) =>
          findPersonalData(text)
            .filter((m) => m.kind !== 'name' && !before.includes(m.text))
            .map((m) => m.kind),
        ),
      );
      return kinds.size === 0 ? [] : [{ id: p.id, kinds: [...kinds] }];
    }),
  };
}
