import { createAgent, type AgentSetup, type TurnOutcome } from './agent.js';
import { ConfigError } from '../errors.js';
import { DEMO_FLOWS, conversationSlots, fillTemplate, type DemoFlow } from './demo-flows.js';
import {
  DEMO_CONFIG,
  DEMO_FIXES,
  DEMO_PATTERNS,
  DEMO_STORE_NAME,
  PLANTED_FAILURES,
  type PlantedFailure,
} from './demo-store.js';
import { Prng } from './prng.js';
import { ScenarioSchema, type Scenario, type ScenarioInput } from './scenario.js';

export { DEMO_FIXES, PLANTED_FAILURES, type PlantedFailure } from './demo-store.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The default seed of the demo (and of the sandbox's generated ids and fault decisions). */
export const DEFAULT_SEED = 42;
/** Recent conversations of the demo left `open` (the shopper has not finished yet). */
const OPEN_CONVERSATIONS = 8;
/** The demo's own size: the sum of its flows' counts. */
export const DEMO_CONVERSATIONS = DEMO_FLOWS.reduce((sum, flow) => sum + flow.count, 0);
/** Largest store the generator builds; 20,000 conversations hold about 100 MB in the sandbox. */
export const MAX_DEMO_CONVERSATIONS = 100_000;

type ConversationInput = NonNullable<ScenarioInput['conversations']>[number];
type MessageInput = ConversationInput['messages'][number];

export interface DemoScenarioOptions {
  seed?: number;
  now?: Date;
  /** How many conversations, each flow keeping its share of the demo's. @defaultValue 343 */
  conversations?: number;
}

/**
 * The built-in demo: Summit & Pine's configuration plus 343 multi-turn conversations (or
 * `conversations`, flows in the same proportions) over the 30 days before `now`, written by
 * playing scripted shopper turns against the sandbox agent. Most succeed; some carry the planted
 * failures that `demoGroundTruth` lists. Same seed, `now` and size ⇒ the same JSON.
 */
export function generateDemoScenario(options: DemoScenarioOptions = {}): Scenario {
  const size = checkConversationCount(options.conversations ?? DEMO_CONVERSATIONS);
  const rng = new Prng(options.seed ?? DEFAULT_SEED);
  const now = (options.now ?? new Date()).getTime();
  const agent = createAgent(demoAgentSetup(now));
  const flows = shuffle(
    flowCounts(size).flatMap(({ flow, count }) => Array<DemoFlow>(count).fill(flow)),
    rng,
  );
  let stillOpen = Math.round((OPEN_CONVERSATIONS * size) / DEMO_CONVERSATIONS);
  const ids = new Set<string>();
  const newId = () => {
    let id = rng.uuid();
    while (ids.has(id)) id = rng.uuid();
    ids.add(id);
    return id;
  };
  const conversations = flows
    .map((flow) => {
      // A few recent chats are still going: the shopper has not said thanks yet.
      const open = flow.label.startsWith('success') && stillOpen-- > 0;
      return playFlow(flow, agent.respond, rng, now, open, newId);
    })
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
  const input: ScenarioInput = {
    name: `${DEMO_STORE_NAME} (demo, seed ${options.seed ?? DEFAULT_SEED})`,
    ...datedConfig(now),
    conversations,
    patterns: PLANTED_FAILURES.map((id) => {
      const { expectedKinds, ...pattern } = DEMO_PATTERNS[id];
      return { id, ...pattern, expectedKinds: [...expectedKinds] };
    }),
  };
  return ScenarioSchema.parse(input);
}

/** Checks a demo size: an integer from 1 to MAX_DEMO_CONVERSATIONS. */
export function checkConversationCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEMO_CONVERSATIONS) {
    throw new ConfigError(
      `conversations must be an integer from 1 to ${MAX_DEMO_CONVERSATIONS}, got ${count}`,
    );
  }
  return count;
}

/**
 * Each flow's share of `size` conversations, by largest remainder so they add up to `size`;
 * at the demo's own size these are the flows' counts.
 */
function flowCounts(size: number): { flow: DemoFlow; count: number }[] {
  const exact = DEMO_FLOWS.map((flow) => (flow.count * size) / DEMO_CONVERSATIONS);
  const counts = exact.map(Math.floor);
  let left = size - counts.reduce((sum, n) => sum + n, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left-- <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return DEMO_FLOWS.map((flow, index) => ({ flow, count: counts[index] ?? 0 }));
}

/** Ground truth: the ids of the demo conversations that carry each planted failure. */
export interface DemoGroundTruth {
  conversations: Record<PlantedFailure, string[]>;
  fixes: typeof DEMO_FIXES;
}

/** Reads the planted-failure labels back out of a generated demo scenario. */
export function demoGroundTruth(scenario: Scenario): DemoGroundTruth {
  const conversations = Object.fromEntries(PLANTED_FAILURES.map((f) => [f, [] as string[]]));
  for (const conversation of scenario.conversations) {
    for (const label of conversation.labels) conversations[label]?.push(conversation.id ?? '');
  }
  return { conversations: conversations as Record<PlantedFailure, string[]>, fixes: DEMO_FIXES };
}

/** The demo configuration as the agent sees it (every knowledge item indexed). */
export function demoAgentSetup(now = Date.now()): AgentSetup {
  return agentSetupFromScenario(ScenarioSchema.parse(datedConfig(now)));
}

/** What the agent knows of a scenario's configuration (indexed knowledge only). */
export function agentSetupFromScenario(scenario: Scenario): AgentSetup {
  const { agent, skills, tools, knowledge } = scenario;
  return {
    name: agent.name,
    tonePreset: agent.tone_of_voice.preset,
    escalationRules: agent.escalation_rules,
    communicationStyles: agent.communication_styles,
    skills: skills.map((s) => ({
      name: s.name,
      description: s.description,
      instructions: s.instructions,
      status: s.status,
      handoff: s.handoff,
      tools: s.tools.map((ref) => {
        const tool = tools.find((t) => t.name === ref || t.id === ref);
        return { label: tool?.public_name ?? ref, broken: false };
      }),
    })),
    knowledge: knowledge.flatMap((k, i) =>
      k.status === 'indexed'
        ? [
            {
              id: k.id ?? knowledgeId(i),
              title: k.source_type === 'webpage' ? k.url : k.title,
              content: k.content,
            },
          ]
        : [],
    ),
  };
}

function knowledgeId(index: number): string {
  return `kn_${String(index + 1).padStart(4, '0')}`;
}

function datedConfig(now: number) {
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  return {
    agent: DEMO_CONFIG.agent,
    skills: DEMO_CONFIG.skills.map((s, i) => ({ ...s, created_at: at(120 - i * 7) })),
    tools: DEMO_CONFIG.tools.map((t, i) => ({ ...t, created_at: at(130 - i * 5) })),
    secrets: DEMO_CONFIG.secrets.map((s) => ({ ...s, created_at: at(140) })),
    knowledge: DEMO_CONFIG.knowledge.map((k, i) => ({
      ...k,
      id: knowledgeId(i),
      created_at: at(100 - i),
    })),
  };
}

/** Plays one scripted conversation; stops at a hard handoff like a real chat would. */
function playFlow(
  flow: DemoFlow,
  respond: (input: { messages: MessageInput[]; channel: string }) => TurnOutcome,
  rng: Prng,
  now: number,
  open: boolean,
  newId: () => string,
): ConversationInput {
  const slots = conversationSlots(rng);
  const channel = rng.pick([
    'web-chat',
    'web-chat',
    'web-chat',
    'web-chat',
    'web-chat',
    'sms',
    'email',
    'whatsapp',
  ] as const);
  const minutesAgo = open ? rng.int(10, 6 * 60) : rng.int(6 * 60, 30 * 24 * 60 - 10);
  const start = now - minutesAgo * MINUTE - rng.int(0, 59_999);
  const turns = open ? flow.turns.slice(0, -1) : flow.turns;
  const messages: MessageInput[] = [];
  const skills: string[] = [];
  let clock = start;
  let outcome: TurnOutcome | undefined;
  for (const options of turns) {
    messages.push({
      role: 'user',
      content: fillTemplate(rng.pick(options), rng, slots),
      created_at: iso(clock),
    });
    outcome = respond({ messages, channel });
    clock += rng.int(3, 25) * 1000;
    for (const event of outcome.events) {
      if (event.type === 'message')
        messages.push({ role: 'agent', content: event.content, created_at: iso(clock) });
    }
    if (outcome.skill && !skills.includes(outcome.skill)) skills.push(outcome.skill);
    if (outcome.status === 'routed-to-team') break;
    clock += rng.int(20, 240) * 1000;
  }
  const finalStatus = outcome?.status ?? 'open';
  const status = finalStatus === 'open' && !open ? 'closed' : finalStatus;
  const lastAt = Date.parse(messages.at(-1)?.created_at ?? iso(start));
  return {
    id: newId(),
    channel,
    status,
    created_at: iso(start),
    updated_at: iso(status === 'closed' ? lastAt + 30 * MINUTE : lastAt),
    skills,
    labels: [flow.label, ...evaluationLabels(flow.label)],
    messages,
  };
}

/** The flow's label in the evaluation's terms (docs/scenario-format.md). */
function evaluationLabels(label: string): string[] {
  const planted = PLANTED_FAILURES.find((f) => f === label);
  if (planted) {
    return ['outcome:failure', `category:${DEMO_PATTERNS[planted].category}`, `pattern:${planted}`];
  }
  // A correct escalation looks like a failure to a careless reader.
  return label === 'legit-escalation' ? ['outcome:success', 'lookalike'] : ['outcome:success'];
}

function shuffle<T>(items: T[], rng: Prng): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
