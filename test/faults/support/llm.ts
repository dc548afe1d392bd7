import type { ScenarioInput } from '../../../src/sandbox/index.js';
import type { FakeReply, ParsedMessagesRequest } from '../../fakes/anthropic-server.js';

/**
 * A small store for the hostile-LLM tests and how a scripted Claude reads its requests: which
 * stage a request is for, which conversation or finding it is about, and valid answers to build on.
 */

export const SHOPPER_EMAIL = 'jane.doe@example.com';
export const SHOPPER_PHONE = '+1 415 555 0134';
export const RETURNS_TOPIC = 'international returns';
export const REFUND_TOPIC = 'refund status';

export const RETURNS_RULE = {
  title: 'Damaged items',
  description: 'Hand off when the shopper says an item arrived "damaged" or "broken".',
  status: 'enabled' as const,
};

export const RETURNS_IDS = ['conv-returns-1', 'conv-returns-2', 'conv-returns-3'];
export const REFUND_IDS = ['conv-refund-1', 'conv-refund-2'];
export const HOURS_IDS = ['conv-hours-1', 'conv-hours-2'];
export const ALL_IDS = [...RETURNS_IDS, ...REFUND_IDS, ...HOURS_IDS];

type Turn = [role: 'user' | 'agent', content: string];

/** Conversations from the last hours before `now`: returns the agent could not answer, refunds. */
export function hostileStore(now: Date): ScenarioInput {
  const at = (minutesAgo: number, plus = 0) =>
    new Date(now.getTime() - minutesAgo * 60_000 + plus * 1000).toISOString();
  const conversation = (id: string, minutesAgo: number, skill: string, turns: Turn[]) => ({
    id,
    status: 'closed' as const,
    created_at: at(minutesAgo),
    skills: [skill],
    messages: turns.map(([role, content], i) => ({ role, content, created_at: at(minutesAgo, i) })),
  });
  const unsure: Turn = [
    'agent',
    "I'm not sure about that. Would you like me to connect you with a teammate?",
  ];
  return {
    name: 'hostile-llm',
    agent: { id: 'agent_hostile', name: 'Tia', escalation_rules: [RETURNS_RULE] },
    skills: [
      {
        id: 'sk_returns',
        name: 'returns',
        display_name: 'Returns',
        description: 'Handles return requests and refunds for delivered orders.',
        instructions: 'Look up the order first, then explain the return steps.',
      },
      {
        id: 'sk_faq',
        name: 'store_faq',
        display_name: 'Store FAQ',
        description: 'Answers questions about opening hours and store locations.',
      },
    ],
    knowledge: [
      {
        source_type: 'snippet',
        id: 'kn_hours',
        title: 'Opening hours',
        content: 'We are open from 9 to 5 on weekdays.',
      },
    ],
    conversations: [
      conversation(RETURNS_IDS[0] ?? '', 300, 'returns', [
        [
          'user',
          `Can I return my jacket from Canada? Reach me at ${SHOPPER_EMAIL} or ${SHOPPER_PHONE}.`,
        ],
        unsure,
      ]),
      ...RETURNS_IDS.slice(1).map((id, i) =>
        conversation(id, 280 - i * 10, 'returns', [
          ['user', 'Can I return my boots from Canada?'],
          unsure,
        ]),
      ),
      ...REFUND_IDS.map((id, i) =>
        conversation(id, 200 - i * 10, 'returns', [
          ['user', 'Where is my refund? I sent the parcel back two weeks ago.'],
          ['agent', 'Refunds are handled by our team.'],
        ]),
      ),
      ...HOURS_IDS.map((id, i) =>
        conversation(id, 100 - i * 10, 'store_faq', [
          ['user', 'What are your opening hours?'],
          ['agent', 'We are open from 9 to 5 on weekdays.'],
        ]),
      ),
    ],
  };
}

export const isDiagnose = (req: ParsedMessagesRequest) => req.forcedTool === 'record_diagnosis';
export const isDraft = (req: ParsedMessagesRequest) => req.forcedTool === 'propose_patch';
/** The repair turn after an invalid answer (the first request has one message). */
export const isRepair = (req: ParsedMessagesRequest) => req.messages.length > 1;

/** The conversation a diagnose request is about (its transcript's id). */
export function conversationOf(req: ParsedMessagesRequest): string | undefined {
  return /<transcript id="([^"]+)"/.exec(req.allText)?.[1];
}

/** The id and text of the first shopper message of a diagnose request's transcript. */
export function firstShopperMessage(
  req: ParsedMessagesRequest,
): { id: string; text: string } | undefined {
  const match = /<message id="([^"]+)" role="shopper"[^>]*>\s*([\s\S]*?)\s*<\/message>/.exec(
    req.allText,
  );
  return match?.[1] === undefined ? undefined : { id: match[1], text: match[2] ?? '' };
}

/** A draft request's finding topic, when it is one of `topics` (repairs included). */
export function draftTopic(
  req: ParsedMessagesRequest,
  topics: readonly string[],
): string | undefined {
  if (!isDraft(req)) return undefined;
  // The finding is in the first user turn; a repair's last turn holds only the issues.
  const first = (req.messages[0]?.content ?? []).map((block) => String(block['text'] ?? ''));
  return topics.find((topic) => first.join('\n').includes(topic));
}

/** A failure diagnosis, as Claude's tool input. */
export function failure(
  category: string,
  skillId: string | null,
  topic: string,
  evidence: { messageId: string; quote: string }[] = [],
): FakeReply {
  return {
    toolInput: {
      outcome: 'failure',
      category,
      skillId,
      topic,
      evidence,
      confidence: 0.9,
      summary: `The agent failed on ${topic}.`,
    },
  };
}

export const SUCCESS: FakeReply = {
  toolInput: {
    outcome: 'success',
    category: null,
    skillId: 'sk_faq',
    topic: 'opening hours',
    evidence: [],
    confidence: 0.9,
    summary: 'The agent gave the opening hours.',
  },
};

/** What a correct Claude says about the conversations of `hostileStore`. */
export function correctDiagnosis(req: ParsedMessagesRequest): FakeReply {
  const id = conversationOf(req) ?? '';
  if (RETURNS_IDS.includes(id)) return failure('knowledge_gap', 'sk_returns', RETURNS_TOPIC);
  if (REFUND_IDS.includes(id)) return failure('instruction_gap', 'sk_returns', REFUND_TOPIC);
  return SUCCESS;
}

/** A Claude draft with `patch`, the reasons filled in. */
export function draftOf(patch: unknown, title = 'Help with international returns'): FakeReply {
  return {
    toolInput: {
      title,
      rationale: 'Shoppers abroad ask whether they can return items.',
      expectedImpact: 'Fewer handoffs on international returns.',
      patch,
    },
  };
}
