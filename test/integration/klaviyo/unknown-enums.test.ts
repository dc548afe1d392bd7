import { afterEach, describe, expect, it } from 'vitest';
import { createKlaviyoClient } from '../../../src/klaviyo/index.js';
import type { Logger } from '../../../src/logger.js';
import { turnsOf } from '../../../src/loop/diagnose/offline/conversation.js';
import { fixtures, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * The Customer Agent API is in beta: it may answer an enum value this client does not know yet.
 * Through a fake Klaviyo server, such values are kept as text (never failing the response or the
 * pull that reads it) and each is logged once per process, however often it comes back.
 */

const NOW = '2026-07-01T00:00:00+00:00';
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function recordingLogger() {
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }),
    info: () => {},
    debug: () => {},
    error: () => {},
    child: () => logger,
  } as unknown as Logger;
  return { logger, warnings };
}

function clientOf(baseUrl: string, logger: Logger) {
  return createKlaviyoClient({
    apiKey: 'pk_enum_test_0123456789abcdef',
    baseUrl,
    rateLimits: 'off',
    logger,
  });
}

describe('unknown enum values in Klaviyo responses', () => {
  it('keeps them as text, logs each once, and the diagnoser reads around them', async () => {
    server = await startFakeServer((req) => {
      if (req.path.includes('/customer-agent-messages')) {
        const message = (id: string, role: string, content: string) => ({
          type: 'customer-agent-message',
          id,
          attributes: { role, content, created_at: NOW, updated_at: NOW },
        });
        return {
          body: {
            data: [
              message('m1', 'user', 'Where is my sofa?'),
              message('m2', 'teammate-note', 'Internal: check the carrier.'),
              message('m3', 'agent', 'It ships on Monday.'),
            ],
          },
        };
      }
      if (req.path.startsWith('/api/agent-skills')) {
        return {
          body: {
            data: [
              {
                ...fixtures.skill('sk_1'),
                attributes: { ...fixtures.skill('sk_1').attributes, handoff: 'scheduled-callback' },
              },
            ],
          },
        };
      }
      return {
        body: {
          data: [fixtures.conversation('c1', 'snoozed'), fixtures.conversation('c2', 'closed')],
        },
      };
    });
    const { logger, warnings } = recordingLogger();
    const client = clientOf(server.url, logger);

    for (let pull = 0; pull < 3; pull += 1) {
      const conversations = await client.conversations.list().toArray();
      expect(conversations.map((c) => c.attributes.status)).toEqual(['snoozed', 'closed']);
    }
    const messages = await client.conversations.messages('c1').toArray();
    expect(messages.map((m) => m.attributes.role)).toEqual(['user', 'teammate-note', 'agent']);
    const [skill] = await client.skills.list().toArray();
    expect(skill?.attributes.handoff).toBe('scheduled-callback');

    const unknown = warnings.filter((w) => /does not know/.test(w.msg)).map((w) => w.obj);
    expect(unknown).toEqual([
      expect.objectContaining({ field: 'conversation.status', value: 'snoozed' }),
      expect.objectContaining({ field: 'message.role', value: 'teammate-note' }),
      expect.objectContaining({ field: 'skill.handoff', value: 'scheduled-callback' }),
    ]);

    // A note of an unknown role is neither the shopper's nor the agent's: the diagnoser skips it.
    const [conversation] = await client.conversations.list().toArray();
    if (conversation === undefined) throw new Error('no conversation');
    const turns = turnsOf({ conversation, messages });
    expect(turns.map((t) => [t.role, t.index])).toEqual([
      ['user', 0],
      ['agent', 1],
    ]);
  });

  it('reads a knowledge source of a type it does not know as "other", keeping the type', async () => {
    server = await startFakeServer(() => ({
      body: {
        data: [
          fixtures.knowledge('kn_1'),
          {
            type: 'agent-knowledge',
            id: 'kn_2',
            attributes: {
              ...fixtures.knowledge('kn_2').attributes,
              source: { source_type: 'notion-page', title: 'Care guide' },
            },
          },
        ],
      },
    }));
    const { logger, warnings } = recordingLogger();
    const client = clientOf(server.url, logger);
    const items = await client.knowledge.list().toArray();
    expect(items.map((k) => k.attributes.source.source_type)).toEqual(['snippet', 'other']);
    expect(items[1]?.attributes.source).toMatchObject({
      source_type: 'other',
      unknown_source_type: 'notion-page',
      title: 'Care guide',
    });
    expect(warnings.map((w) => w.obj)).toContainEqual(
      expect.objectContaining({ field: 'knowledge.source_type', value: 'notion-page' }),
    );
  });
});
