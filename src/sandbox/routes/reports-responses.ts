import { createAgent, type AgentSetup, type TurnOutcome } from '../agent.js';
import { ApiProblem, invalidPointer } from '../http-errors.js';
import { valuesReport, skillValuesReport, type ValuesRow } from '../reports.js';
import { ResponseCreate, SkillValuesReport, ValuesReport, parseBody } from '../request-schemas.js';
import { SandboxStore, type ConversationState } from '../store.js';
import { single, type HandlerMap, type RequestContext } from './context.js';

/** Both reports (computed from stored conversations) and running one agent turn. */
export const reportResponseHandlers: HandlerMap = {
  query_customer_agent_values_beta: (ctx) => {
    const type = 'customer-agent-values-report';
    const { attributes } = parseBody(ValuesReport, ctx.body, { type }).data;
    const rows = valuesReport(ctx.store.conversationsNewestFirst(), attributes, ctx.now());
    return report(ctx, type, '/api/customer-agent-values-reports', rows);
  },

  query_customer_agent_skill_values_beta: (ctx) => {
    const type = 'customer-agent-skill-values-report';
    const { attributes } = parseBody(SkillValuesReport, ctx.body, { type }).data;
    const rows = skillValuesReport(ctx.store.conversationsNewestFirst(), attributes, ctx.now());
    return report(ctx, type, '/api/customer-agent-skill-values-reports', rows);
  },

  create_customer_agent_response_beta: (ctx) => {
    const type = 'customer-agent-response';
    const { attributes, relationships } = parseBody(ResponseCreate, ctx.body, { type }).data;
    const { messages, mode } = attributes;
    const channel = attributes.channel ?? 'web-chat';
    if (messages.length === 0)
      throw invalidPointer('/data/attributes/messages', 'messages must not be empty');
    if (messages.at(-1)?.role !== 'user') {
      throw invalidPointer(
        `/data/attributes/messages/${messages.length - 1}/role`,
        "the final message must have role 'user'",
      );
    }
    const continued = relationships?.conversation?.data.id;
    // Preview turns are never stored, so any conversation id may be continued in preview.
    if (mode === 'live' && continued !== undefined && !ctx.store.conversations.has(continued)) {
      throw new ApiProblem(404, [
        {
          detail: `No customer-agent-conversation with id '${continued}' was found.`,
          source: { pointer: '/data/relationships/conversation/data/id' },
        },
      ]);
    }
    const outcome = createAgent(agentSetup(ctx.store)).respond({
      messages,
      channel,
      customer: attributes.customer ?? null,
    });
    const id = continued ?? ctx.store.newUuid();
    if (mode === 'live') storeTurn(ctx, id, channel, messages, outcome);
    const path = `/api/customer-agent-responses/${id}`;
    const conversation = {
      data: { type: 'customer-agent-conversation', id },
      links: {
        self: ctx.ser.url(`${path}/relationships/conversation`),
        related: ctx.ser.url(`/api/customer-agent-conversations/${id}`),
      },
    };
    const attributesOut = { conversation_id: id, events: outcome.events };
    return single(ctx.ser.resource(type, id, path, attributesOut, { conversation }), 201);
  },
};

function report(ctx: RequestContext, type: string, path: string, results: ValuesRow[]) {
  const id = ctx.store.newUuid();
  return single(ctx.ser.resource(type, id, `${path}/${id}`, { results }), 201);
}

/** A live turn starts or extends a stored conversation; its status follows the outcome. */
function storeTurn(
  ctx: RequestContext,
  id: string,
  channel: string,
  messages: { role: 'user' | 'agent'; content: string }[],
  outcome: TurnOutcome,
): void {
  const now = ctx.now();
  let conversation = ctx.store.conversations.get(id);
  const incoming = conversation ? messages.slice(-1) : messages;
  if (!conversation) {
    conversation = {
      id,
      status: 'open',
      channel,
      skills: [],
      messageIds: [],
      created_at: now,
      updated_at: now,
    } satisfies ConversationState;
    ctx.store.addConversation(conversation);
  }
  for (const m of incoming) ctx.store.addMessage(conversation, m.role, m.content, now);
  for (const event of outcome.events) {
    if (event.type === 'message') ctx.store.addMessage(conversation, 'agent', event.content, now);
  }
  if (outcome.skill && !conversation.skills.includes(outcome.skill))
    conversation.skills.push(outcome.skill);
  conversation.status = outcome.status;
  conversation.updated_at = SandboxStore.bump(conversation.updated_at, now);
}

/** What the agent sees of the account: live skills, their tools, indexed knowledge. */
export function agentSetup(store: SandboxStore): AgentSetup {
  const agent = store.agent;
  return {
    name: agent.name,
    tonePreset: agent.tone.preset,
    escalationRules: agent.escalation_rules,
    communicationStyles: agent.communication_styles,
    skills: [...store.skills.values()]
      .sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id))
      .map((s) => ({
        name: s.name,
        description: s.description,
        instructions: s.instructions,
        status: s.status,
        handoff: s.handoff,
        tools: s.toolIds.flatMap((id) => {
          const tool = store.tools.get(id);
          if (!tool) return [];
          const broken = tool.variables.some(
            (v) => v.source === 'secret' && !store.secrets.has(v.value ?? ''),
          );
          return [{ label: tool.public_name ?? tool.name, broken }];
        }),
      })),
    knowledge: [...store.knowledge.values()]
      .filter((k) => k.status === 'indexed')
      .sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id))
      .map((k) => ({ id: k.id, title: k.title ?? k.url ?? '', content: k.content })),
  };
}
