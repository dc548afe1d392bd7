import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/config.js';
import { evaluateScenario, type Evaluation } from '../src/eval/evaluate.js';
import { onTargetLine } from '../src/eval/report.js';
import { generateDemoScenario, loadScenarioFile, type Scenario } from '../src/sandbox/index.js';
import {
  startFakeAnthropic,
  type FakeReply,
  type ParsedMessagesRequest,
} from '../test/fakes/anthropic-server.js';
import { writeBenchmarkSection } from './benchmarks-file.js';

/**
 * `npm run bench:eval`: the loop's judgement on every labelled store — the demo, the tuning
 * stores in scenarios/ and the held-out ones in scenarios/validation/ — with the offline rules,
 * and through the Claude path against the fake Messages API (a model that answers each diagnosis
 * with the store's own label and returns no draft, so the rules drafter takes over: this measures
 * the plumbing, not Claude). Writes the figures to BENCHMARKS.md.
 */

interface Store {
  name: string;
  split: 'demo' | 'tuning' | 'validation';
  scenario: Scenario;
}

function stores(): Store[] {
  const dir = (path: string) =>
    readdirSync(path)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(path, f));
  return [
    { name: 'demo (seed 42)', split: 'demo', scenario: generateDemoScenario() },
    ...dir('scenarios').map((file) => ({
      name: file,
      split: 'tuning' as const,
      scenario: loadScenarioFile(file),
    })),
    ...dir('scenarios/validation').map((file) => ({
      name: file,
      split: 'validation' as const,
      scenario: loadScenarioFile(file),
    })),
  ];
}

const TRANSCRIPT_ID = /<transcript id="([^"]+)"/;

/** A model that diagnoses by the store's labels and drafts nothing usable. */
function labelResponder(scenario: Scenario) {
  const labels = new Map(
    scenario.conversations.map((c, i) => [c.id ?? `conversation-${i + 1}`, c.labels]),
  );
  return (req: ParsedMessagesRequest): FakeReply => {
    const id = TRANSCRIPT_ID.exec(req.lastUserText)?.[1];
    const own = id === undefined ? undefined : labels.get(id);
    if (!own) return { text: 'no diagnosis' };
    const value = (key: string) => own.find((l) => l.startsWith(`${key}:`))?.slice(key.length + 1);
    const failed = value('outcome') === 'failure';
    return {
      toolInput: {
        outcome: failed ? 'failure' : 'success',
        category: failed ? (value('category') ?? 'other') : null,
        skillId: null,
        topic: value('pattern') ?? value('category') ?? 'general question',
        evidence: [],
        confidence: 0.9,
        summary: failed ? 'Labelled failure.' : 'Labelled success.',
      },
    };
  };
}

const fixed = (value: number | null) => (value === null ? '—' : value.toFixed(2));

function row(store: Store, e: Evaluation, seconds: number): string {
  const { score: s } = e;
  const ok = s.patterns.filter((p) => p.ok).length;
  return `| ${store.name} | ${store.split} | ${s.conversations} | ${fixed(s.detection.precision)} | ${fixed(s.detection.recall)} | ${fixed(s.categoryAccuracy)} | ${ok}/${s.patterns.length} | ${onTargetLine(s)} | ${s.unplannedProposals.length} | ${s.hostile.flagged}/${s.hostile.labelled} (${s.hostile.falseAlarms} false) | ${s.hostile.proposals} | ${s.personalDataInPatches.length} | ${seconds.toFixed(1)} s |`;
}

async function timed(config: Config, store: Store): Promise<[Evaluation, number]> {
  const started = performance.now();
  const evaluation = await evaluateScenario({ config, scenario: store.scenario });
  return [evaluation, (performance.now() - started) / 1000];
}

async function main(): Promise<void> {
  const base = loadConfig({ ...process.env, ANTHROPIC_API_KEY: '' });
  const header =
    '| store | split | conversations scored | precision | recall | category accuracy | patterns right | on target | proposals off-pattern | hostile flagged | proposals on hostile | personal data in patches | time |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|';
  const rules: string[] = [];
  const claude: string[] = [];
  for (const store of stores()) {
    const [offline, seconds] = await timed(base, store);
    rules.push(row(store, offline, seconds));
    process.stderr.write(`rules  ${rules.at(-1)}\n`);

    const fake = await startFakeAnthropic({ respond: labelResponder(store.scenario) });
    try {
      const config: Config = {
        ...base,
        llm: { ...base.llm, apiKey: 'sk-ant-bench', baseUrl: fake.url, successSample: 0.05 },
      };
      const [withClaude, s] = await timed(config, store);
      claude.push(`${row(store, withClaude, s)} ${withClaude.run.byClaude} |`);
      process.stderr.write(`claude ${claude.at(-1)}\n`);
    } finally {
      await fake.close();
    }
  }
  await writeBenchmarkSection(
    'eval',
    [
      '## bench:eval — judgement on labelled stores',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:eval\` (\`agent-trainer eval\` on each store). Detection counts a labelled failure as found only when it is diagnosed a failure (\`uncertain\` is a miss); category accuracy is among the failures found; a pattern is right when it got exactly one proposal of an expected kind (or, for tool failures, a finding and no proposal); "on target" counts, among the patterns whose \`target\` names a skill, snippet, rule or style the store has and whose proposal changes one of that kind, those whose proposal (or the other half of its pair) changes that one. Hostile conversations are scored apart. \`scenarios/validation/\` is held out: no rule was written against it.`,
      '',
      '**Offline rules** (what `npm run demo` and a deployment without `ANTHROPIC_API_KEY` run):',
      '',
      header,
      ...rules,
      '',
      '**The Claude path, plumbing only** (fake Messages API: diagnoses are the labels, drafts are refused so the rules draft; the last column is conversations Claude diagnosed):',
      '',
      `${header.replace('| time |', '| time | by Claude |')}---|`,
      ...claude,
    ].join('\n'),
  );
}

await main();
