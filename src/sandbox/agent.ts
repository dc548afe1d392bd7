import {
  ACCEPTED_TEXT,
  ANYTHING_ELSE_TEXT,
  APOLOGY_TEXT,
  ASK_ORDER_TEXT,
  CLOSING_TEXT,
  DECLINED_TEXT,
  HANDOFF_TEXT,
  NO_TRANSFER_TEXT,
  OFFER_TEXT,
  SORRY_TEXT,
  UNCLEAR_TEXT,
  VAGUE_TEXT,
  greeting,
  findOrderNumber,
  isClosing,
  isGivingUp,
  isGreetingOnly,
  isHumanAsk,
  isToneComplaint,
  isUnintelligible,
  orderLookupText,
  ruleTriggers,
  styleAnswer,
  yesOrNo,
} from './agent-replies.js';
import { containsPhrase, contentTokens, overlap } from './text.js';

/**
 * The sandbox's small DETERMINISTIC Customer Agent, behind `POST /api/customer-agent-responses`
 * and used to write the demo transcripts. Rules, in order:
 * 1. an enabled escalation rule whose trigger phrase (quoted in its description) appears → hard
 *    handoff (`escalation-rule`);
 * 2. a request for a person → per the skill's `handoff`: `none` refuses, `offer`/`custom` soft
 *    handoff, `immediate`/`all` hard handoff (`explicit-ask`);
 * 3. routing: the live skill whose description shares the most words with the shopper's last
 *    message (earlier messages when the last one matches none); the words of a sentence that
 *    gives a topic up ("Does not handle …") count for no skill's routing but are taken out of its;
 * 4. a skill with bound tools looks the order up; otherwise the agent answers from the indexed
 *    knowledge item with the best word overlap (at least half of the message's words, and two);
 *    with no such item it answers vaguely and hands off per the skill's `handoff`.
 * Fixing a skill description or adding the missing snippet therefore visibly changes a replay.
 */

/** A skill's `handoff` setting. */
export type HandoffSetting = 'none' | 'offer' | 'immediate' | 'all' | 'custom';
/** The spec's public handoff categories. */
export type HandoffCategory =
  'explicit-ask' | 'escalation-rule' | 'unintelligible-input' | 'bad-billing-state';

/** One event of a turn, exactly as the spec's `events[]` oneOf. */
export type TurnEvent =
  | { type: 'message'; role: 'agent'; content: string }
  | { type: 'handoff'; mode: 'hard' | 'soft' | 'silent'; category: HandoffCategory | null }
  | { type: 'require-authentication' }
  | { type: 'error'; code: number; message: string };

/**
 * A rule's exception for what the knowledge base answers, in the words a rule would use, in
 * English, French, Spanish, German or Portuguese ("les questions auxquelles la base de
 * connaissances répond", "Fragen, die die Wissensdatenbank beantwortet", "as perguntas que a base
 * de conhecimento responde").
 */
const ANSWERED_EXCEPTION =
  /\b(?:questions?|what) (?:that )?the knowledge base answers\b|\banswered from the knowledge base\b|questions? (?:auxquelles|dont) la base de connaissances? (?:répond|a la réponse)|preguntas? que (?:responde|contesta) la base de conocimientos?|\bFragen,? die (?:die |unsere )?Wissens(?:datenbank|basis) beantwortet\b|\b(?:aus|mit|anhand) der Wissens(?:datenbank|basis) beantwortet\b|\bas? perguntas? que a base de conhecimentos? responde\b/i;

/** An escalation rule or a communication style. */
export interface AgentGuidance {
  title: string;
  description: string;
  status: 'enabled' | 'disabled';
}

/** The configuration the agent answers with. */
export interface AgentSetup {
  name: string | null;
  tonePreset: string;
  escalationRules: readonly AgentGuidance[];
  communicationStyles: readonly AgentGuidance[];
  skills: readonly AgentSkill[];
  knowledge: readonly AgentKnowledge[];
}

/** A skill as the agent sees it. */
export interface AgentSkill {
  name: string;
  description: string;
  instructions: string;
  status: string;
  handoff: HandoffSetting;
  /** Bound tools; `broken` when a tool references a secret that no longer exists. */
  tools: readonly { label: string; broken: boolean }[];
}

/** A knowledge item the agent may answer from (only indexed items are passed in). */
export interface AgentKnowledge {
  id: string;
  title: string;
  content: string;
}

/** One turn: the history with the new shopper message last. */
export interface TurnInput {
  messages: readonly { role: 'user' | 'agent'; content: string }[];
  channel: string;
  customer?: { email?: string | null | undefined; profile_id?: string | null | undefined } | null;
}

/** The events of a turn and what produced them. */
export interface TurnOutcome {
  events: TurnEvent[];
  /** Name of the skill that handled the turn, if any. */
  skill: string | null;
  knowledgeId: string | null;
  escalationRule: string | null;
  /** The status a live conversation has after this turn. */
  status: 'open' | 'routed-to-team' | 'resolved-by-ai';
}

/** Minimum share of the message's words a knowledge item must contain to be used. */
export const KNOWLEDGE_THRESHOLD = 0.5;

interface Indexed<T> {
  item: T;
  tokens: Set<string>;
}

/** A sentence by which a skill gives a topic up ("Does not handle X: those belong to Y."). */
const GIVES_UP = /\b(?:does not|doesn't|do not|don't|never) (?:handle|cover|answer|take)s?\b/i;

/**
 * The words a skill's description routes by. As a model reading it would, a sentence that gives
 * a topic up does not attract it: its words are taken out of the rest's.
 */
function routingTokens(description: string): Set<string> {
  const sentences = description.split(/(?<=[.!?])\s+/);
  const kept = contentTokens(sentences.filter((s) => !GIVES_UP.test(s)).join(' '));
  const given = contentTokens(sentences.filter((s) => GIVES_UP.test(s)).join(' '));
  for (const token of given) kept.delete(token);
  return kept;
}

/** Builds an agent over one configuration; `respond` is a pure function of the input. */
export function createAgent(setup: AgentSetup) {
  const skills: Indexed<AgentSkill>[] = setup.skills
    .filter((s) => s.status === 'live')
    .map((item) => ({ item, tokens: routingTokens(item.description) }));
  const knowledge: Indexed<AgentKnowledge>[] = setup.knowledge.map((item) => ({
    item,
    tokens: contentTokens(`${item.title} ${item.content}`),
  }));
  const rules = setup.escalationRules
    .filter((r) => r.status === 'enabled')
    .map((rule) => ({
      rule,
      ...ruleTriggers(rule.description),
      // "…questions the knowledge base answers are answered, not handed off": as a model reading
      // the rule would, it then fires only when no knowledge item answers the message.
      exceptAnswered: ANSWERED_EXCEPTION.test(rule.description),
    }));

  /** The live skill whose description shares the most words with the text (first on a tie). */
  function route(text: string): AgentSkill | null {
    const tokens = contentTokens(text);
    let best: AgentSkill | null = null;
    let bestScore = 0;
    for (const skill of skills) {
      const score = overlap(tokens, skill.tokens);
      if (score > bestScore) [best, bestScore] = [skill.item, score];
    }
    return best;
  }

  function matchRule(text: string): AgentGuidance | null {
    const tokens = contentTokens(text);
    const triggered = (r: (typeof rules)[number]) =>
      r.phrases.length > 0
        ? r.phrases.some((p) => containsPhrase(text, p))
        : overlap(tokens, r.tokens) >= 2;
    const fires = (r: (typeof rules)[number]) =>
      triggered(r) && !(r.exceptAnswered && retrieve(text) !== null);
    return rules.find(fires)?.rule ?? null;
  }

  /** The knowledge item with the best share of the message's words, above the threshold. */
  function retrieve(text: string): AgentKnowledge | null {
    const tokens = contentTokens(text);
    const needed = Math.min(2, tokens.size);
    let best: AgentKnowledge | null = null;
    let bestScore = 0;
    for (const entry of knowledge) {
      const hits = overlap(tokens, entry.tokens);
      const score = hits / tokens.size;
      if (hits >= needed && score >= KNOWLEDGE_THRESHOLD && score > bestScore) {
        [best, bestScore] = [entry.item, score];
      }
    }
    return best;
  }

  function respond(input: TurnInput): TurnOutcome {
    const userTexts = input.messages.filter((m) => m.role === 'user').map((m) => m.content);
    const last = userTexts.at(-1) ?? '';
    const before = input.messages.at(-2);
    const offered = before?.role === 'agent' && before.content.includes(OFFER_TEXT);
    const skill = [...userTexts]
      .reverse()
      .reduce<AgentSkill | null>((found, text) => found ?? route(text), null);
    const turn = new Turn(setup, skill, input.channel);

    if (isUnintelligible(last)) return turn.unintelligible(userTexts.at(-2));
    const rule = matchRule(last);
    if (rule) return turn.handoff('hard', 'escalation-rule', HANDOFF_TEXT, rule.title);
    if (offered && yesOrNo(last) === 'yes') return turn.acceptOffer();
    if (offered && yesOrNo(last) === 'no') return turn.generic(DECLINED_TEXT);
    if (isHumanAsk(last)) return turn.humanAsk();
    if (isToneComplaint(last)) return turn.generic(APOLOGY_TEXT);
    if (isClosing(last)) return turn.generic(CLOSING_TEXT, 'resolved-by-ai');
    if (isGivingUp(last)) return turn.generic(SORRY_TEXT);
    if (isGreetingOnly(last)) return turn.generic(greeting(setup.name));
    if (contentTokens(last).size === 0) return turn.generic(ANYTHING_ELSE_TEXT);
    if (skill?.handoff === 'all') return turn.handoff('hard', null, HANDOFF_TEXT);
    if (skill && needsSignIn(skill, input)) return turn.requireAuthentication();
    if (skill && skill.tools.length > 0) return turn.useTool(skill.tools, userTexts);
    return turn.answer(retrieve(last));
  }

  return { respond };
}

/** An agent built by `createAgent`. */
export type SandboxAgent = ReturnType<typeof createAgent>;

function needsSignIn(skill: AgentSkill, input: TurnInput): boolean {
  return (
    /require authentication/i.test(skill.instructions) &&
    !input.customer?.email &&
    !input.customer?.profile_id
  );
}

/** Collects the events of one turn; each reply method ends the turn and returns the outcome. */
class Turn {
  private readonly events: TurnEvent[] = [];
  private skillUsed = true;
  private knowledgeId: string | null = null;
  private rule: string | null = null;

  constructor(
    private readonly setup: AgentSetup,
    private readonly skill: AgentSkill | null,
    private readonly channel: string,
  ) {}

  /** A reply that does not involve any skill (greetings, thanks, complaints). */
  generic(content: string, status: TurnOutcome['status'] = 'open'): TurnOutcome {
    this.skillUsed = false;
    return this.say(content, status);
  }

  handoff(
    mode: 'hard' | 'soft' | 'silent',
    category: HandoffCategory | null,
    text: string,
    rule?: string,
  ): TurnOutcome {
    if (mode !== 'silent') this.message(text);
    this.events.push({ type: 'handoff', mode, category });
    if (rule) [this.rule, this.skillUsed] = [rule, false];
    return this.finish(mode === 'soft' ? 'open' : 'routed-to-team');
  }

  acceptOffer(): TurnOutcome {
    this.skillUsed = false;
    return this.handoff('hard', 'explicit-ask', ACCEPTED_TEXT);
  }

  humanAsk(): TurnOutcome {
    const setting = this.skill?.handoff ?? 'offer';
    if (setting === 'none') return this.say(NO_TRANSFER_TEXT);
    if (setting === 'offer' || setting === 'custom') {
      return this.handoff('soft', 'explicit-ask', `Of course. ${OFFER_TEXT}`);
    }
    return this.handoff('hard', 'explicit-ask', HANDOFF_TEXT);
  }

  unintelligible(previous: string | undefined): TurnOutcome {
    this.skillUsed = false;
    if (previous !== undefined && isUnintelligible(previous)) {
      return this.handoff('silent', 'unintelligible-input', '');
    }
    return this.say(UNCLEAR_TEXT);
  }

  requireAuthentication(): TurnOutcome {
    this.message('To help with your account, please sign in first.');
    this.events.push({ type: 'require-authentication' });
    return this.finish('open');
  }

  useTool(tools: AgentSkill['tools'], userTexts: string[]): TurnOutcome {
    const orderNumber = [...userTexts]
      .reverse()
      .map(findOrderNumber)
      .find((n) => n !== null);
    const tool = tools[0];
    if (!orderNumber || !tool) return this.say(ASK_ORDER_TEXT);
    if (tool.broken) {
      const message = `Tool "${tool.label}" failed: its secret no longer exists`;
      this.events.push({ type: 'error', code: 502, message });
      return this.say("Sorry, I can't look that order up right now. Please try again later.");
    }
    return this.say(orderLookupText(orderNumber, tool.label));
  }

  answer(item: AgentKnowledge | null): TurnOutcome {
    if (item) {
      this.knowledgeId = item.id;
      return this.say(
        styleAnswer(item.content, {
          tonePreset: this.setup.tonePreset,
          agentName: this.setup.name,
          instructions: this.skill?.instructions ?? '',
          communicationStyles: this.setup.communicationStyles,
          channel: this.channel,
        }),
      );
    }
    const setting = this.skill?.handoff ?? 'offer';
    if (setting === 'none') return this.say(VAGUE_TEXT);
    if (setting === 'offer' || setting === 'custom') {
      return this.handoff('soft', null, `${VAGUE_TEXT} ${OFFER_TEXT}`);
    }
    return this.handoff('hard', null, 'Let me connect you with a teammate who can help with that.');
  }

  private say(content: string, status: TurnOutcome['status'] = 'open'): TurnOutcome {
    this.message(content);
    return this.finish(status);
  }

  private message(content: string): void {
    this.events.push({ type: 'message', role: 'agent', content });
  }

  private finish(status: TurnOutcome['status']): TurnOutcome {
    return {
      events: this.events,
      skill: this.skillUsed ? (this.skill?.name ?? null) : null,
      knowledgeId: this.knowledgeId,
      escalationRule: this.rule,
      status,
    };
  }
}
