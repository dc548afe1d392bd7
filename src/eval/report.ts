import type { EvalScore, Predicted } from './score.js';

/**
 * The evaluation as text for a terminal: the headline figures, per-category scores, the confusion
 * table, each planted pattern with what it produced, and what hostile conversations produced.
 */

const fixed = (value: number | null) => (value === null ? '—' : value.toFixed(2));

const SHORT: Record<Predicted, string> = {
  success: 'ok',
  uncertain: 'unsure',
  suspicious: 'hostile',
  knowledge_gap: 'know',
  wrong_skill: 'skill',
  instruction_gap: 'instr',
  tone: 'tone',
  missed_escalation: 'miss-esc',
  unnecessary_escalation: 'unn-esc',
  tool_failure: 'tool',
  other: 'other',
};

/** `details` adds one line per conversation whose diagnosis disagrees with its label. */
export function formatEvaluation(name: string, score: EvalScore, details = false): string {
  const { detection: d } = score;
  const lines = [
    `Evaluation of "${name}": ${score.conversations} conversations (${d.failures} failures, ${d.successes} successes, ${score.hostile.labelled} hostile)`,
    '',
    `Detection   precision ${fixed(d.precision)}  recall ${fixed(d.recall)}  (${d.truePositives} found, ${d.falsePositives} false alarms, ${d.falseNegatives} missed of which ${d.uncertainFailures} left uncertain; ${d.uncertainSuccesses} successes left uncertain)`,
    `Categories  accuracy ${fixed(score.categoryAccuracy)} among the failures found`,
    '',
    '  category                 labelled  found  right  precision  recall',
    ...score.categories.map(
      (c) =>
        `  ${c.category.padEnd(24)} ${String(c.labelled).padStart(8)} ${String(c.predicted).padStart(6)} ${String(c.correct).padStart(6)} ${fixed(c.precision).padStart(10)} ${fixed(c.recall).padStart(7)}`,
    ),
    '',
    'Confusion (rows: labels, columns: diagnoses)',
    ...confusionLines(score),
    ...(details
      ? [
          '',
          'Disagreements (conversation: label → diagnosis, what the diagnoser said)',
          ...score.mistakes.map((m) => `  ${m.id}: ${m.actual} → ${m.predicted}, ${m.summary}`),
        ]
      : []),
    '',
    'Planted patterns',
    ...score.patterns.flatMap((p) => [
      `  ${p.ok ? 'ok  ' : 'MISS'} ${p.id} (${p.category}, ${p.detected}/${p.conversations} detected; wants ${p.expectedKinds.length === 0 ? 'no patch' : p.expectedKinds.join(' or ')})${p.onTarget === false ? ' OFF TARGET' : ''}`,
      ...(p.findings.length === 0 ? ['         no finding'] : []),
      ...p.proposals.flatMap((x) => [
        `         ${x.kindExpected ? '+' : '-'} ${x.kind}: ${x.title} [${x.id}]`,
        ...(x.alongside === undefined
          ? []
          : [`             with ${x.alongside.kind}: ${x.alongside.title} [${x.alongside.id}]`]),
      ]),
      ...(p.proposals.length === 0
        ? p.findings.map(
            (f) => `         finding "${f.topic}", no proposal${f.skipped ? `: ${f.skipped}` : ''}`,
          )
        : []),
    ]),
    '',
    `Proposals matching no planted pattern: ${score.unplannedProposals.length}`,
    ...score.unplannedProposals.map(
      (x) => `  ${x.kind}: ${x.title} (${x.conversations} conversations) [${x.id}]`,
    ),
    '',
    `Hostile conversations: ${score.hostile.flagged} of ${score.hostile.labelled} marked suspicious, ${score.hostile.falseAlarms} false alarms; findings built on them ${score.hostile.findings}, proposals ${score.hostile.proposals}`,
    `Personal data in patches: ${score.personalDataInPatches.length === 0 ? 'none' : score.personalDataInPatches.map((p) => `${p.id} (${p.kinds.join(', ')})`).join('; ')}`,
    `Patterns with the right outcome: ${score.patterns.filter((p) => p.ok).length} of ${score.patterns.length}`,
    `Proposals on the pattern's target: ${onTargetLine(score)}`,
  ];
  return lines.join('\n');
}

function confusionLines(score: EvalScore): string[] {
  const rows = Object.entries(score.confusion).filter(([, row]) =>
    Object.values(row).some((n) => n > 0),
  );
  const columns = (Object.keys(SHORT) as Predicted[]).filter((p) =>
    rows.some(([, row]) => row[p] > 0),
  );
  const header = `  ${''.padEnd(24)}${columns.map((c) => SHORT[c].padStart(9)).join('')}`;
  return [
    header,
    ...rows.map(
      ([actual, row]) =>
        `  ${actual.padEnd(24)}${columns.map((c) => String(row[c] || '.').padStart(9)).join('')}`,
    ),
  ];
}

/** "5 of 6 judged" (patterns whose target names a resource that exists, and got a proposal). */
export function onTargetLine(score: EvalScore): string {
  const judged = score.patterns.filter((p) => p.onTarget !== null);
  return `${judged.filter((p) => p.onTarget).length} of ${judged.length} judged`;
}
