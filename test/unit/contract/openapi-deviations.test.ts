import { describe, expect, it } from 'vitest';
import {
  LIST_RESPONSE_DEVIATIONS,
  ONE_OF_AS_ANY_OF,
  allOperations,
  listDeviationCandidates,
  validateResponse,
} from '../../helpers/openapi.js';
import { atPointer, createAjv, readRawSpec } from '../../contract/support/spec-loader.js';
import {
  BASE,
  RESPONSE_HEADERS,
  conversationResource,
  customToolDetails,
  customToolResource,
} from './examples.js';

/** GETs whose spec already types `data` as an array: no deviation needed. */
const DECLARED_AS_ARRAY = [
  'get_agent_secrets_beta',
  'get_agent_skills_beta',
  'get_secret_ids_for_agent_tool_beta',
  'get_secrets_for_agent_tool_beta',
];

const ok = (method: string, url: string, body: unknown, status = 200) =>
  validateResponse({ method, url, status, headers: RESPONSE_HEADERS, body });

describe('LIST_RESPONSE_DEVIATIONS (DESIGN.md: lists return a data array)', () => {
  it('is exactly what the rule finds in the spec', () => {
    expect([...LIST_RESPONSE_DEVIATIONS].sort()).toEqual(listDeviationCandidates().sort());
    expect(LIST_RESPONSE_DEVIATIONS).toContain('list_customer_agent_conversations_beta');
    expect(LIST_RESPONSE_DEVIATIONS).toContain(
      'get_agent_messages_for_customer_agent_conversation_beta',
    );
  });

  it('validates a conversations page as a data array with collection links', () => {
    const page = {
      data: [conversationResource('c1'), conversationResource('c2')],
      links: {
        self: `${BASE}/api/customer-agent-conversations`,
        next: `${BASE}/api/customer-agent-conversations?page%5Bcursor%5D=abc`,
      },
    };
    expect(ok('GET', '/api/customer-agent-conversations', page)).toEqual([]);
    const single = { data: conversationResource('c1') };
    expect(ok('GET', '/api/customer-agent-conversations', single).map((p) => p.message)).toEqual([
      'response body (200): /data must be array',
    ]);
    const badItem = { data: [{ ...conversationResource('c1'), type: 'conversation' }] };
    expect(ok('GET', '/api/customer-agent-conversations', badItem)).not.toEqual([]);
  });

  it('applies to those operations only', () => {
    const accepting = new Set([...LIST_RESPONSE_DEVIATIONS, ...DECLARED_AS_ARRAY]);
    const gets = allOperations().filter((o) => o.method === 'get');
    for (const op of gets) {
      const url = op.pathTemplate.replace('{id}', 'x1');
      const problems = ok('GET', url, { data: [], links: { self: `${BASE}${url}` } });
      expect({ op: op.operationId, acceptsArray: problems.length === 0 }).toEqual({
        op: op.operationId,
        acceptsArray: accepting.has(op.operationId),
      });
    }
  });

  it('still validates a single conversation as an object, and error bodies as declared', () => {
    const url = '/api/customer-agent-conversations/c1';
    expect(ok('GET', url, { data: conversationResource('c1') })).toEqual([]);
    expect(ok('GET', url, { data: [conversationResource('c1')] })).not.toEqual([]);
    expect(ok('GET', '/api/customer-agent-conversations', { data: [] }, 400)).not.toEqual([]);
  });
});

describe('ONE_OF_AS_ANY_OF (overlapping oneOf branches in the spec)', () => {
  const raw = readRawSpec();
  const ajv = createAjv();
  ajv.addSchema({ ...raw, $id: 'raw.json' });
  const branch = (name: string) => ajv.compile({ $ref: `raw.json#/components/schemas/${name}` });

  it('lists pointers that hold a oneOf in the spec', () => {
    for (const pointer of ONE_OF_AS_ANY_OF) {
      expect(atPointer(raw, `${pointer}/oneOf`), pointer).toBeInstanceOf(Array);
    }
  });

  it('is needed: a valid custom tool matches both branches, so oneOf rejects it', () => {
    expect(branch('AgentToolCustomReadDetails')(customToolDetails())).toBe(true);
    expect(branch('AgentToolInternalReadDetails')(customToolDetails())).toBe(true);
    const literal = ajv.compile({
      $ref: 'raw.json#/components/schemas/AgentToolResponse/properties/details',
    });
    expect(literal(customToolDetails())).toBe(false);
  });

  it('accepts custom and internal tools, and still rejects details matching neither branch', () => {
    const url = '/api/agent-tools/custom:tool_1';
    expect(ok('GET', url, { data: customToolResource() })).toEqual([]);
    const internal = customToolResource();
    internal['attributes'] = {
      name: 'Shopify order status',
      public_description: 'Looks up orders',
      details: { type: 'internal', config_params: [] },
    };
    expect(ok('GET', url, { data: internal })).toEqual([]);
    const broken = customToolResource();
    (broken['attributes'] as Record<string, unknown>)['details'] = { type: 'webhook' };
    expect(ok('GET', url, { data: broken })).not.toEqual([]);
  });
});
