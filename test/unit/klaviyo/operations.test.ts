import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GROUP_LIMITS, OPERATIONS, type KlaviyoOperationId } from '../../../src/klaviyo/index.js';
import { operationPath } from '../../../src/klaviyo/operations.js';
import { SPEC_URL } from '../../contract/support/spec-loader.js';

interface SpecOperation {
  operationId: string;
  'x-klaviyo-ratelimit': { burst: string; steady: string };
  'x-klaviyo-scopes': string[];
}

const spec = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as {
  paths: Record<string, Record<string, SpecOperation>>;
};
const specOperations = Object.entries(spec.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([method]) => ['get', 'post', 'patch', 'delete', 'put'].includes(method))
    .map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
);

/** "3/s" → { limit: 3, windowMs: 1000 }, "150/m" → { limit: 150, windowMs: 60000 } */
function parseRate(rate: string) {
  const match = /^(\d+)\/([smh])$/.exec(rate);
  if (!match) throw new Error(`unreadable rate ${rate}`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  return { limit: Number(match[1]), windowMs: unit };
}

describe('operation table vs the spec file', () => {
  it('covers exactly the spec operations (37)', () => {
    expect(specOperations).toHaveLength(37);
    expect(Object.keys(OPERATIONS).sort()).toEqual(
      specOperations.map((o) => o.operation.operationId).sort(),
    );
  });

  it.each(specOperations)('$method $path matches method, path, scope and rate limits', (o) => {
    const def = OPERATIONS[o.operation.operationId as KlaviyoOperationId];
    expect(def.method).toBe(o.method);
    expect(def.path).toBe(o.path);
    expect([def.scope]).toEqual(o.operation['x-klaviyo-scopes']);
    const limits = GROUP_LIMITS[def.group];
    expect(limits.burst).toEqual(parseRate(o.operation['x-klaviyo-ratelimit'].burst));
    expect(limits.steady).toEqual(parseRate(o.operation['x-klaviyo-ratelimit'].steady));
  });

  it('classes only creating POSTs as not safely repeatable', () => {
    const creates = Object.entries(OPERATIONS)
      .filter(([, def]) => def.retryClass === 'create')
      .map(([id]) => id)
      .sort();
    expect(creates).toEqual([
      'create_agent_knowledge_beta',
      'create_agent_knowledge_file_beta',
      'create_agent_secret_beta',
      'create_agent_skill_beta',
      'create_agent_tool_beta',
      'create_customer_agent_response_beta',
    ]);
  });
});

describe('operationPath', () => {
  it('fills the id, encoding what a path segment cannot hold but keeping prefixes', () => {
    expect(operationPath('get_agent_skill_beta', 'custom:abc')).toBe(
      '/api/agent-skills/custom:abc',
    );
    expect(operationPath('get_agent_skill_beta', 'a/b c')).toBe('/api/agent-skills/a%2Fb%20c');
    expect(operationPath('get_agent_skills_beta')).toBe('/api/agent-skills');
  });
});
