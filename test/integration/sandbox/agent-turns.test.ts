import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VAGUE_TEXT } from '../../../src/sandbox/agent-replies.js';
import {
  DEMO_FIXES,
  demoGroundTruth,
  generateDemoScenario,
  startSandbox,
  type RunningSandbox,
} from '../../../src/sandbox/index.js';
import { api, walk, type Api, type JsonBody } from './support.js';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('sandbox agent turns (customer-agent-responses)', () => {
  let sandbox: RunningSandbox;
  let write: Api;
  const truth = demoGroundTruth(generateDemoScenario({ seed: 42, now: NOW }));

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      rateLimits: 'off',
      indexingDelayMs: 0,
      now: () => NOW,
    });
    write = api(sandbox);
  });
  afterAll(() => sandbox.close());

  const turn = (
    messages: { role: string; content: string }[],
    mode = 'preview',
    conversationId?: string,
  ) =>
    write.post('/api/customer-agent-responses', {
      data: {
        type: 'customer-agent-response',
        attributes: { mode, messages },
        ...(conversationId
          ? {
              relationships: {
                conversation: { data: { type: 'customer-agent-conversation', id: conversationId } },
              },
            }
          : {}),
      },
    });

  /** Replays the shopper turns of a stored conversation in preview mode; returns the events. */
  async function replay(conversationId: string): Promise<JsonBody[][]> {
    const { items } = await walk(
      write,
      `/api/customer-agent-conversations/${conversationId}/customer-agent-messages`,
    );
    const history: { role: string; content: string }[] = [];
    const turns: JsonBody[][] = [];
    for (const message of items.filter((m) => m.attributes.role === 'user')) {
      history.push({ role: 'user', content: message.attributes.content });
      const response = await turn(history);
      expect(response.status).toBe(201);
      const events: JsonBody[] = response.body.data.attributes.events;
      turns.push(events);
      for (const e of events)
        if (e.type === 'message') history.push({ role: 'agent', content: e.content });
    }
    return turns;
  }

  it('answers a planted knowledge-gap conversation only after the missing snippet is added', async () => {
    const id = truth.conversations['knowledge-gap'][0] ?? '';
    const before = await replay(id);
    expect(before[0]?.[0]?.content).toContain(VAGUE_TEXT);
    expect(before[0]?.some((e) => e.type === 'handoff')).toBe(true);

    const created = await write.post('/api/agent-knowledge', {
      data: {
        type: 'agent-knowledge',
        attributes: { source: { source_type: 'snippet', ...DEMO_FIXES['knowledge-gap'].snippet } },
      },
    });
    expect(created.body.data.attributes.status).toBe('indexed');
    const after = await replay(id);
    expect(after[0]?.[0]?.content).toContain('within 30 days of delivery');
    expect(after.flat().some((e) => e.type === 'handoff')).toBe(false);
  });

  it('routes a warranty claim differently once the skill description is fixed', async () => {
    const id = truth.conversations['misrouted-skill'][0] ?? '';
    const before = await replay(id);
    expect(before[0]?.[0]?.content).toContain("What's your order number?");
    const skills = (await write.get('/api/agent-skills')).body.data;
    const warranty = skills.find(
      (s: JsonBody) => s.attributes.name === DEMO_FIXES['misrouted-skill'].skill,
    );
    await write.patch(`/api/agent-skills/${warranty.id}`, {
      data: {
        type: 'agent-skill',
        id: warranty.id,
        attributes: { description: DEMO_FIXES['misrouted-skill'].description },
      },
    });
    const after = await replay(id);
    expect(after[0]?.[0]?.content).toContain('lifetime guarantee');
  });

  it('does not store preview turns, but stores and extends live ones', async () => {
    const count = async () =>
      (await walk(write, '/api/customer-agent-conversations?page[size]=100')).items.length;
    const start = await count();
    const preview = await turn([{ role: 'user', content: 'Do gift cards expire?' }]);
    expect(preview.status).toBe(201);
    const previewId = preview.body.data.attributes.conversation_id;
    expect(preview.body.data.id).toBe(previewId);
    expect(preview.body.data.relationships.conversation.data).toEqual({
      type: 'customer-agent-conversation',
      id: previewId,
    });
    expect((await write.get(`/api/customer-agent-conversations/${previewId}`)).status).toBe(404);
    expect(await count()).toBe(start);

    const first = [{ role: 'user', content: 'Do gift cards expire?' }];
    const live = await turn(first, 'live');
    const liveId = live.body.data.attributes.conversation_id;
    const stored = await write.get(`/api/customer-agent-conversations/${liveId}`);
    expect(stored.status).toBe(200);
    expect(stored.body.data.relationships['customer-agent-messages'].data).toHaveLength(2);
    const reply = live.body.data.attributes.events[0].content;
    await turn(
      [...first, { role: 'agent', content: reply }, { role: 'user', content: 'Thanks!' }],
      'live',
      liveId,
    );
    const extended = await write.get(`/api/customer-agent-conversations/${liveId}`);
    expect(extended.body.data.relationships['customer-agent-messages'].data).toHaveLength(4);
    expect(extended.body.data.attributes.status).toBe('resolved-by-ai');
    expect(await count()).toBe(start + 1);
    expect((await turn(first, 'live', 'no-such-conversation')).status).toBe(404);
  });

  it('emits spec-shaped events: messages, handoffs and errors', async () => {
    const escalated = await turn([{ role: 'user', content: 'My stove caught fire!' }]);
    expect(escalated.body.data.attributes.events).toEqual([
      { type: 'message', role: 'agent', content: expect.any(String) },
      { type: 'handoff', mode: 'hard', category: 'escalation-rule' },
    ]);
    const notLast = await turn([{ role: 'agent', content: 'Hi' }]);
    expect(notLast.status).toBe(400);
    expect(notLast.body.errors[0].source).toEqual({ pointer: '/data/attributes/messages/0/role' });
  });
});
