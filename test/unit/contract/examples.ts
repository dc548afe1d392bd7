import type { RequestRecord } from '../../helpers/openapi.js';

/**
 * Hand-written requests and responses that follow the spec, for the validator's unit tests. Each
 * test breaks one thing in a copy, so a flagged problem can only come from that one change.
 */

export const BASE = 'http://127.0.0.1:4010';
export const JSON_API = 'application/vnd.api+json';
const AT = '2026-07-01T12:00:00Z';

export const READ_HEADERS = {
  authorization: 'Klaviyo-API-Key pk_example_read',
  revision: '2026-07-15.pre',
  accept: JSON_API,
};

export const WRITE_HEADERS = {
  ...READ_HEADERS,
  authorization: 'Klaviyo-API-Key pk_example_write',
  'content-type': JSON_API,
};

export const RESPONSE_HEADERS = { 'content-type': JSON_API };

export function skillCreateBody(): Record<string, unknown> {
  return {
    data: {
      type: 'agent-skill',
      attributes: {
        display_name: 'Order status',
        description: 'Answers where-is-my-order questions',
        instructions: 'Look up the order, then answer briefly.',
        status: 'draft',
        handoff: null,
      },
      relationships: { 'agent-tools': { data: [{ type: 'agent-tool', id: 'custom:tool_1' }] } },
    },
  };
}

/** `POST /api/agent-skills` with a valid (or the given) body, as raw JSON text. */
export function createSkillRequest(body: unknown = skillCreateBody()): RequestRecord {
  return {
    method: 'POST',
    url: '/api/agent-skills',
    headers: WRITE_HEADERS,
    body: JSON.stringify(body),
  };
}

export function skillResource(id = 'custom:skill_1'): Record<string, unknown> {
  return {
    type: 'agent-skill',
    id,
    attributes: {
      source: 'custom',
      display_name: 'Order status',
      name: 'order_status',
      description: 'Answers where-is-my-order questions',
      instructions: 'Look up the order, then answer briefly.',
      status: 'live',
      handoff: 'offer',
      created_at: AT,
      updated_at: null,
    },
    relationships: {
      'agent-tools': {
        data: [],
        links: {
          self: `${BASE}/api/agent-skills/${id}/relationships/agent-tools`,
          related: `${BASE}/api/agent-skills/${id}/agent-tools`,
        },
      },
    },
    links: { self: `${BASE}/api/agent-skills/${id}` },
  };
}

export function conversationResource(id = 'conv_1'): Record<string, unknown> {
  return {
    type: 'customer-agent-conversation',
    id,
    attributes: { status: 'routed-to-team', created_at: AT, updated_at: AT },
    relationships: {
      'customer-agent-messages': { data: [{ type: 'customer-agent-message', id: 'm1' }] },
    },
    links: { self: `${BASE}/api/customer-agent-conversations/${id}` },
  };
}

export function knowledgeResource(): Record<string, unknown> {
  return {
    type: 'agent-knowledge',
    id: 'kn_1',
    attributes: {
      source: { source_type: 'webpage', url: 'https://shop.example/returns', scope: 'single-page' },
      status: 'pending',
      created_at: AT,
      updated_at: AT,
      indexed_at: null,
      error: null,
    },
    links: { self: `${BASE}/api/agent-knowledge/kn_1` },
  };
}

/** A custom HTTPS tool as the API returns it. */
export function customToolResource(): Record<string, unknown> {
  return {
    type: 'agent-tool',
    id: 'custom:tool_1',
    attributes: {
      name: 'Order lookup',
      public_description: 'Finds an order by number',
      public_name: null,
      details: customToolDetails(),
    },
    relationships: { 'agent-secrets': { data: [] } },
    links: { self: `${BASE}/api/agent-tools/custom:tool_1` },
  };
}

export function customToolDetails(): Record<string, unknown> {
  return {
    type: 'custom',
    protocol: 'https',
    request_template: { url_template: 'https://orders.example/{{id}}', http_method: 'GET' },
    variables: [{ name: 'id', type: 'string', source: 'dynamic' }],
    timeout_seconds: 5,
    max_retries: 1,
  };
}

export function clientError(): Record<string, unknown> {
  return {
    errors: [{ id: 'e1', code: 'not_found', title: 'Not found', detail: 'No such skill' }],
  };
}

/** A multipart upload body as a browser or form-data library would frame it. */
export function multipartUpload(parts: { title?: string; file?: 'file' | 'field' }): {
  contentType: string;
  body: Buffer;
} {
  const boundary = '----contract-boundary';
  const lines: string[] = [];
  if (parts.title !== undefined) {
    lines.push(`--${boundary}`, 'Content-Disposition: form-data; name="title"', '', parts.title);
  }
  if (parts.file === 'file') {
    lines.push(
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="faq.txt"',
      'Content-Type: text/plain',
      '',
      'Q: Do you ship abroad?\nA: Yes.',
    );
  } else if (parts.file === 'field') {
    lines.push(`--${boundary}`, 'Content-Disposition: form-data; name="file"', '', 'not a file');
  }
  lines.push(`--${boundary}--`, '');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.from(lines.join('\r\n'), 'latin1'),
  };
}
