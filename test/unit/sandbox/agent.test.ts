import { describe, expect, it } from 'vitest';
import { NO_TRANSFER_TEXT, OFFER_TEXT, VAGUE_TEXT } from '../../../src/sandbox/agent-replies.js';
import { createAgent, type AgentSetup, type AgentSkill } from '../../../src/sandbox/agent.js';
import { WORDING } from '../../../src/domain/wording.js';

function skill(name: string, description: string, extra: Partial<AgentSkill> = {}): AgentSkill {
  return {
    name,
    description,
    instructions: '',
    status: 'live',
    handoff: 'offer',
    tools: [],
    ...extra,
  };
}

const base: AgentSetup = {
  name: 'Juniper',
  tonePreset: 'neutral',
  escalationRules: [
    {
      title: 'Legal',
      description: 'Hand off when the shopper mentions a "lawyer" or "chargeback".',
      status: 'enabled',
    },
    { title: 'Off', description: 'Hand off on "tent".', status: 'disabled' },
  ],
  communicationStyles: [],
  skills: [
    skill('orders', 'Looks up an order and its tracking number', {
      tools: [{ label: 'Order API', broken: false }],
    }),
    skill('returns', 'Explains the return policy and return labels'),
    skill('drafty', 'Everything about tents and return', { status: 'draft' }),
  ],
  knowledge: [
    {
      id: 'k1',
      title: 'Return policy',
      content: 'Return unused gear within 60 days. Labels are free.',
    },
  ],
};

function say(setup: AgentSetup, ...userTexts: string[]) {
  const messages = userTexts.map((content) => ({ role: 'user' as const, content }));
  return createAgent(setup).respond({ messages, channel: 'web-chat' });
}

function text(outcome: ReturnType<typeof say>): string {
  return outcome.events.flatMap((e) => (e.type === 'message' ? [e.content] : [])).join(' ');
}

describe('sandbox agent', () => {
  it('routes to the live skill whose description shares the most words', () => {
    expect(say(base, 'What is your return policy?').skill).toBe('returns');
    expect(say(base, 'Can I get the tracking number for my order?').skill).toBe('orders');
  });

  it('reads a sentence that gives a topic up as a model would: its words no longer attract it', () => {
    const setup = (orders: string): AgentSetup => ({
      ...base,
      skills: [
        skill('orders', orders),
        skill('warranty', 'Handles warranty claims: repairs and replacements for life'),
      ],
    });
    const claim = 'My broken tent pole needs a replacement, is that a warranty claim?';
    const overlapping = 'Looks up orders, tracking, and claims about broken or damaged tent poles';
    expect(say(setup(overlapping), claim).skill).toBe('orders');
    const gaveUp = `${overlapping}. Does not handle broken tent claims or a replacement: those belong to "Warranty".`;
    expect(say(setup(gaveUp), claim).skill).toBe('warranty');
    // What it still claims in its other sentences stays its own.
    expect(say(setup(gaveUp), 'Where is my order, what is the tracking?').skill).toBe('orders');
  });

  it('answers from knowledge when enough of the message matches, vaguely otherwise', () => {
    expect(text(say(base, 'What is your return policy for unused gear?'))).toContain(
      'within 60 days',
    );
    const miss = say(base, 'Can I return a gift card bought abroad?');
    expect(text(miss)).toBe(`${VAGUE_TEXT} ${OFFER_TEXT}`);
    expect(miss.events.at(-1)).toEqual({ type: 'handoff', mode: 'soft', category: null });
  });

  it('looks orders up with a bound tool, asking for the number first', () => {
    expect(text(say(base, 'Where is my order?'))).toContain("What's your order number?");
    const found = say(base, 'Where is my order?', "It's SP-123456");
    expect(text(found)).toContain('I checked order SP-123456 with Order API');
    expect(found.skill).toBe('orders');
  });

  it('reports a tool whose secret is gone as an error event', () => {
    const broken = {
      ...base,
      skills: [
        skill('orders', 'Looks up an order', { tools: [{ label: 'Order API', broken: true }] }),
      ],
    };
    const outcome = say(broken, 'Look up order SP-123456');
    expect(outcome.events[0]).toMatchObject({ type: 'error', code: 502 });
  });

  it('fires enabled escalation rules on their quoted phrases', () => {
    const outcome = say(base, 'I will call my lawyer about this return');
    expect(outcome.events.at(-1)).toEqual({
      type: 'handoff',
      mode: 'hard',
      category: 'escalation-rule',
    });
    expect(outcome.escalationRule).toBe('Legal');
    expect(outcome.status).toBe('routed-to-team');
    expect(say(base, 'Do you sell a tent?').escalationRule).toBeNull();
  });

  it('reads the German exception for what the knowledge base answers, as the drafter writes it', () => {
    const rule = (description: string): AgentSetup => ({
      ...base,
      escalationRules: [{ title: 'Erstattungen', description, status: 'enabled' }],
      skills: [skill('konto', 'Beantwortet Fragen zum Kundenkonto')],
      knowledge: [
        {
          id: 'k_de',
          title: 'Dauer der Erstattung',
          content: 'Die Erstattung kommt 3 bis 8 Werktage nach Eingang des Pakets.',
        },
      ],
    });
    const trigger = 'Übergib an das Team, wenn der Kunde eine "Erstattung" erwähnt.';
    const exception = WORDING.de.exception(
      'Dauer der Erstattung',
      'wenn der Kunde "Erstattung verweigert" schreibt',
    );
    const answered = 'Wie lange dauert die Erstattung nach Eingang des Pakets?';
    expect(say(rule(trigger), answered).escalationRule).toBe('Erstattungen');
    expect(say(rule(`${trigger} ${exception}`), answered).escalationRule).toBeNull();
    expect(text(say(rule(`${trigger} ${exception}`), answered))).toContain('3 bis 8 Werktage');
    // What the knowledge does not answer still fires the narrowed rule.
    expect(
      say(rule(`${trigger} ${exception}`), 'Meine Erstattung verweigert, warum?').escalationRule,
    ).toBe('Erstattungen');
    // "…aus der Wissensdatenbank beantwortet…" says the same, as "answered from the knowledge base".
    const passive = `${trigger} Was aus der Wissensdatenbank beantwortet werden kann, wird nicht übergeben.`;
    expect(say(rule(passive), answered).escalationRule).toBeNull();
    // Lookalikes: a rule that only names the knowledge base, or hands off what it cannot settle.
    for (const other of [
      `${trigger} Sagt der Kunde, die Wissensdatenbank sei veraltet, ebenfalls übergeben.`,
      `${trigger} Auch wenn sich die Frage nicht mit der Wissensdatenbank klären lässt.`,
      `${trigger} Fragen, die die Wissensdatenbank betreffen, beantwortet das Team.`,
    ]) {
      expect(say(rule(other), answered).escalationRule, other).toBe('Erstattungen');
    }
  });

  it('reads the Portuguese exception for what the knowledge base answers', () => {
    const rule = (description: string): AgentSetup => ({
      ...base,
      escalationRules: [{ title: 'Reembolsos', description, status: 'enabled' }],
      skills: [skill('conta', 'Responde dúvidas sobre a conta do cliente')],
      knowledge: [
        {
          id: 'k_pt',
          title: 'Prazo do reembolso',
          content: 'O reembolso cai de 3 a 8 dias úteis depois que o pacote chega.',
        },
      ],
    });
    const trigger = 'Transfira para a equipe quando o cliente mencionar "reembolso".';
    const exception =
      'Exceção: as perguntas que a base de conhecimento responde ficam com o assistente.';
    const answered = 'Quanto tempo demora o reembolso depois que o pacote chega?';
    expect(say(rule(trigger), answered).escalationRule).toBe('Reembolsos');
    expect(say(rule(`${trigger} ${exception}`), answered).escalationRule).toBeNull();
  });

  it("handles a request for a person per the skill's handoff setting", () => {
    const ask = (handoff: AgentSkill['handoff']) => {
      const setup = {
        ...base,
        skills: [skill('returns', 'Explains the return policy', { handoff })],
      };
      return say(setup, 'What is the return policy?', 'Can I talk to a real person?');
    };
    expect(text(ask('none'))).toBe(NO_TRANSFER_TEXT);
    expect(ask('none').events.some((e) => e.type === 'handoff')).toBe(false);
    expect(ask('offer').events.at(-1)).toEqual({
      type: 'handoff',
      mode: 'soft',
      category: 'explicit-ask',
    });
    expect(ask('immediate').events.at(-1)).toEqual({
      type: 'handoff',
      mode: 'hard',
      category: 'explicit-ask',
    });
  });

  it('hands off when the shopper accepts the offer', () => {
    const agent = createAgent(base);
    const outcome = agent.respond({
      channel: 'web-chat',
      messages: [
        { role: 'user', content: 'Can I return a gift card bought abroad?' },
        { role: 'agent', content: `${VAGUE_TEXT} ${OFFER_TEXT}` },
        { role: 'user', content: 'Yes please' },
      ],
    });
    expect(outcome.events.at(-1)).toEqual({
      type: 'handoff',
      mode: 'hard',
      category: 'explicit-ask',
    });
  });

  it('closes on thanks, and silently hands off after two unreadable messages', () => {
    expect(say(base, 'What is your return policy?', 'Thanks!').status).toBe('resolved-by-ai');
    expect(say(base, '???', '!!!').events).toEqual([
      { type: 'handoff', mode: 'silent', category: 'unintelligible-input' },
    ]);
  });

  it('applies tone, terse instructions, word limits and the email channel', () => {
    const friendly = { ...base, tonePreset: 'friendly' };
    expect(text(say(friendly, 'What is your return policy for unused gear?'))).toMatch(
      /^Happy to help! /,
    );
    const terse = {
      ...base,
      skills: [
        skill('returns', 'Explains the return policy', {
          instructions: 'Answer in as few words as possible.',
        }),
      ],
    };
    expect(text(say(terse, 'What is your return policy for unused gear?'))).toBe(
      'Return unused gear within 60 days.',
    );
    const limited = {
      ...base,
      communicationStyles: [
        { title: 'Short', description: 'Keep replies under 3 words.', status: 'enabled' as const },
      ],
    };
    expect(text(say(limited, 'What is your return policy for unused gear?'))).toBe(
      'Return unused gear…',
    );
    const email = createAgent(base).respond({
      channel: 'email',
      messages: [{ role: 'user', content: 'What is your return policy for unused gear?' }],
    });
    expect(text(email)).toMatch(/^Hi there,\n\n.*\n\nBest,\nJuniper$/s);
  });

  it('asks for sign-in when a skill requires authentication and the shopper is anonymous', () => {
    const setup = {
      ...base,
      skills: [
        skill('account', 'Changes account details', {
          instructions: 'Require authentication first.',
        }),
      ],
    };
    const outcome = say(setup, 'Please change my account details');
    expect(outcome.events.at(-1)).toEqual({ type: 'require-authentication' });
    const known = createAgent(setup).respond({
      channel: 'web-chat',
      customer: { email: 'a@example.com' },
      messages: [{ role: 'user', content: 'Please change my account details' }],
    });
    expect(known.events.some((e) => e.type === 'require-authentication')).toBe(false);
  });
});
