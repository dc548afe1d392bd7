import { describe, expect, it } from 'vitest';
import {
  judgeReplay,
  type Replay,
  type ReplayEvent,
} from '../../../../src/loop/verify/replay-judge.js';

type Turn = { shopper: string; reply?: string; events?: ReplayEvent[] };

/** A replay from turns; each reply becomes a message event too, as the API sends it. */
function replay(...turns: Turn[]): Replay {
  return {
    shopperTurns: turns.map((t) => t.shopper),
    agentReplies: turns.map((t) => t.reply ?? ''),
    events: turns.map((t) => [
      ...(t.reply ? [{ type: 'message' as const, role: 'agent', content: t.reply }] : []),
      ...(t.events ?? []),
    ]),
  };
}

const soft = (category: 'explicit-ask' | null = null): ReplayEvent => ({
  type: 'handoff',
  mode: 'soft',
  category,
});
const hard = (category: 'explicit-ask' | 'escalation-rule' | null = null): ReplayEvent => ({
  type: 'handoff',
  mode: 'hard',
  category,
});

describe('judgeReplay: knowledge_gap', () => {
  it('is not handled while the reply says it does not know, with a vague handoff', () => {
    const v = judgeReplay(
      'knowledge_gap',
      replay({
        shopper: "What's the return window for international orders?",
        reply:
          "I'm not sure about that one, sorry. Would you like me to connect you with a teammate?",
        events: [soft()],
      }),
    );
    expect(v).toEqual({ handled: false, reason: expect.stringContaining('turn 1') });
    expect(v.reason).toContain('lacks the facts');
  });

  it('is not handled while the reply says it has no information, with or without an article', () => {
    for (const reply of [
      "Sorry, I don't have information on engraving.",
      "I don't have any details on engraving yet.",
    ]) {
      const v = judgeReplay('knowledge_gap', replay({ shopper: 'Do you engrave?', reply }));
      expect(v.handled).toBe(false);
    }
  });

  it('is not handled by a handoff without an answer', () => {
    const v = judgeReplay(
      'knowledge_gap',
      replay({
        shopper: 'Do you ship to Peru?',
        reply: 'Let me get a teammate.',
        events: [hard()],
      }),
    );
    expect(v.handled).toBe(false);
    expect(v.reason).toContain('handed off without an answer');
  });

  it('is handled when every reply answers', () => {
    const v = judgeReplay(
      'knowledge_gap',
      replay(
        {
          shopper: "What's the return window for international orders?",
          reply: 'International orders can be returned within 30 days of delivery.',
        },
        { shopper: 'Thanks!', reply: "You're welcome!" },
      ),
    );
    expect(v.handled).toBe(true);
  });
});

describe('judgeReplay: missed_escalation', () => {
  it('is handled when the ask for a person gets a handoff, soft or hard', () => {
    const turns = [
      { shopper: 'What is the jacket made of?', reply: 'Nylon.' },
      {
        shopper: 'Can I talk to a real person?',
        reply: 'Of course.',
        events: [soft('explicit-ask')],
      },
    ];
    expect(judgeReplay('missed_escalation', replay(...turns)).handled).toBe(true);
  });

  it('is not handled when the agent refuses to connect the shopper', () => {
    const v = judgeReplay(
      'missed_escalation',
      replay({
        shopper: 'Can I speak to a human please?',
        reply: "I'm sorry, I'm not able to connect you with a person.",
      }),
    );
    expect(v).toEqual({ handled: false, reason: expect.stringContaining('refuses') });
  });

  it('without an explicit ask, needs some handoff', () => {
    expect(
      judgeReplay('missed_escalation', replay({ shopper: 'My stove caught fire', reply: 'Oh no.' }))
        .handled,
    ).toBe(false);
    expect(
      judgeReplay(
        'missed_escalation',
        replay({
          shopper: 'My stove caught fire',
          reply: 'Connecting you.',
          events: [hard('escalation-rule')],
        }),
      ).handled,
    ).toBe(true);
  });
});

describe('judgeReplay: unnecessary_escalation', () => {
  it('is not handled while the agent still hands off unasked', () => {
    const v = judgeReplay(
      'unnecessary_escalation',
      replay({
        shopper: 'How long do refunds take?',
        reply: 'Connecting you.',
        events: [hard('escalation-rule')],
      }),
    );
    expect(v).toEqual({
      handled: false,
      reason: expect.stringContaining('hands off (hard) unasked'),
    });
  });

  it('is handled by an answer without a handoff', () => {
    const v = judgeReplay(
      'unnecessary_escalation',
      replay({
        shopper: 'How long do refunds take?',
        reply: 'Refunds are issued within 2 business days after your return arrives.',
      }),
    );
    expect(v.handled).toBe(true);
  });
});

describe('judgeReplay: wrong_skill', () => {
  const question = 'How do I make a warranty claim for a broken tent pole?';

  it('is not handled when the replies stay in another domain', () => {
    const v = judgeReplay(
      'wrong_skill',
      replay(
        { shopper: question, reply: "I can check that for you. What's your order number?" },
        { shopper: "It's SP-123456.", reply: 'Order SP-123456 is on its way.' },
      ),
      { topic: 'warranty claims' },
    );
    expect(v.handled).toBe(false);
  });

  it('is handled when a reply speaks to the topic', () => {
    const v = judgeReplay(
      'wrong_skill',
      replay({
        shopper: question,
        reply: 'Our lifetime guarantee covers broken poles: email photos to file a warranty claim.',
      }),
      { topic: 'warranty claims' },
    );
    expect(v).toEqual({ handled: true, reason: expect.stringContaining('warranty') });
  });

  it('without a topic, compares with the first question', () => {
    const v = judgeReplay(
      'wrong_skill',
      replay({ shopper: question, reply: 'A broken tent pole is covered: send a warranty claim.' }),
    );
    expect(v.handled).toBe(true);
  });
});

describe('judgeReplay: tone', () => {
  const question = 'Do Trailhead boots run true to size?';
  const complaint = "Wow, that's a pretty curt answer.";

  it('is not handled while the reply before the complaint is curt', () => {
    const v = judgeReplay(
      'tone',
      replay(
        { shopper: question, reply: 'Trailhead boots run half a size small.' },
        { shopper: complaint, reply: "I'm sorry, I didn't mean to come across as curt." },
      ),
    );
    expect(v).toEqual({ handled: false, reason: expect.stringContaining('still curt') });
  });

  it('is handled by a complete, warm reply', () => {
    const v = judgeReplay(
      'tone',
      replay(
        {
          shopper: question,
          reply:
            'Happy to help! Trailhead boots run half a size small, so we recommend ordering half a size up. Wide sizes are available in the Trailhead Mid.',
        },
        { shopper: complaint, reply: "I'm sorry, I didn't mean to come across as curt." },
      ),
    );
    expect(v.handled).toBe(true);
  });
});

describe('judgeReplay: tool_failure and the rest', () => {
  it('is not handled while a turn reports an error', () => {
    const turn: Turn = {
      shopper: 'Where is order SP-123456?',
      reply: "Sorry, I can't look that order up right now.",
      events: [{ type: 'error', code: 502, message: 'tool failed' }],
    };
    expect(judgeReplay('tool_failure', replay(turn)).handled).toBe(false);
    expect(
      judgeReplay(
        'tool_failure',
        replay({ shopper: 'Where is order SP-123456?', reply: 'It shipped.' }),
      ).handled,
    ).toBe(true);
  });

  it('never calls an empty replay handled', () => {
    expect(judgeReplay('other', replay()).handled).toBe(false);
    expect(judgeReplay('instruction_gap', replay({ shopper: 'Hi' })).handled).toBe(false);
  });
});
