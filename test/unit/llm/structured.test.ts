import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../../src/errors.js';
import { ClaudeDiagnosisSchema } from '../../../src/llm/claude-diagnoser.js';
import { ClaudeDraftSchema } from '../../../src/llm/claude-drafter.js';
import { repairParams, toolInputSchema, validateAnswer } from '../../../src/llm/structured.js';
import { DiagnosisSchema } from '../../../src/domain/diagnosis.js';
import { PATCH_KIND_NAMES, PatchSchema } from '../../../src/patches/patch.js';

function answer(content: unknown[], stop: string = 'tool_use'): Message {
  return {
    id: 'msg',
    model: 'm',
    role: 'assistant',
    type: 'message',
    content,
    stop_reason: stop,
  } as unknown as Message;
}

describe('tool input schemas from zod', () => {
  it('describes the model’s part of a diagnosis as a closed object', () => {
    const schema = toolInputSchema(ClaudeDiagnosisSchema) as Record<string, unknown>;
    expect(schema['type']).toBe('object');
    expect(schema['$schema']).toBeUndefined();
    expect(schema['additionalProperties']).toBe(false);
    const properties = Object.keys(schema['properties'] as object);
    expect(properties).not.toContain('diagnoser');
    expect(properties).not.toContain('conversationId');
    // The rules' mark for a guessed category is not the model's to set.
    expect(properties).not.toContain('tentative');
    expect(properties).toEqual(
      Object.keys(DiagnosisSchema.shape).filter(
        (k) => k !== 'diagnoser' && k !== 'conversationId' && k !== 'tentative',
      ),
    );
  });

  it('turns the PatchSchema discriminated union into one alternative per kind', () => {
    const schema = z.toJSONSchema(PatchSchema) as Record<string, unknown>;
    const alternatives = (schema['oneOf'] ?? schema['anyOf']) as {
      properties: { kind: { const: string } };
    }[];
    expect(alternatives.map((a) => a.properties.kind.const)).toEqual(PATCH_KIND_NAMES);
    const draft = toolInputSchema(ClaudeDraftSchema) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
      required: string[];
    };
    expect(Object.keys(draft.properties)).toEqual([
      'title',
      'rationale',
      'expectedImpact',
      'patch',
      'companion',
    ]);
    // A wrong skill's other side is optional, and is a whole change of its own.
    expect(draft.required).not.toContain('companion');
    expect(Object.keys(draft.properties['companion']?.properties ?? {})).toEqual([
      'title',
      'rationale',
      'expectedImpact',
      'patch',
    ]);
  });

  it('refuses a schema that is not an object', () => {
    expect(() => toolInputSchema(z.array(z.string()))).toThrow(ConfigError);
  });
});

describe('validateAnswer', () => {
  const schema = z.object({ n: z.number().int() });

  it('accepts a valid forced tool call', () => {
    const result = validateAnswer(
      answer([{ type: 'tool_use', id: 't', name: 'rec', input: { n: 2 } }]),
      'rec',
      schema,
    );
    expect(result).toEqual({ ok: true, value: { n: 2 } });
  });

  it('lists zod issues as path: message, at most five', () => {
    const wide = z.object(Object.fromEntries('abcdefg'.split('').map((k) => [k, z.string()])));
    const result = validateAnswer(
      answer([{ type: 'tool_use', id: 't', name: 'rec', input: {} }]),
      'rec',
      wide,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toHaveLength(5);
    expect(!result.ok && result.issues[0]).toMatch(/^a: /);
  });

  it('flags a missing tool call and a truncated answer', () => {
    expect(
      validateAnswer(answer([{ type: 'text', text: 'hi' }], 'end_turn'), 'rec', schema),
    ).toEqual({
      ok: false,
      issues: ['the answer did not call the tool rec (stop_reason: end_turn)'],
    });
    const cut = answer([{ type: 'tool_use', id: 't', name: 'rec', input: { n: 1 } }], 'max_tokens');
    expect(validateAnswer(cut, 'rec', schema).ok).toBe(false);
  });
});

describe('repairParams', () => {
  const params = {
    model: 'm',
    max_tokens: 10,
    messages: [{ role: 'user' as const, content: 'go' }],
  };

  it('answers the tool call with an error tool_result listing the issues', () => {
    const bad = answer([{ type: 'tool_use', id: 'toolu_1', name: 'rec', input: { n: 'x' } }]);
    const repaired = repairParams(params, bad, 'rec', ['n: expected number']);
    expect(repaired.messages).toHaveLength(3);
    expect(repaired.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'rec', input: { n: 'x' } }],
    });
    expect(repaired.messages[2]?.content).toEqual([
      expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true }),
    ]);
    expect(JSON.stringify(repaired.messages[2])).toContain('n: expected number');
    expect(params.messages).toHaveLength(1);
  });

  it('uses a plain text turn when the answer had no tool call', () => {
    const repaired = repairParams(params, answer([], 'end_turn'), 'rec', ['no call']);
    expect(repaired.messages[1]?.content).toEqual([{ type: 'text', text: '(no answer)' }]);
    expect(repaired.messages[2]?.content).toEqual([expect.objectContaining({ type: 'text' })]);
  });
});
