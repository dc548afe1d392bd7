import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { RequestValidationError } from '../../../src/errors.js';
import { defineContract, parsePayload } from '../../../src/queue/contract.js';
import {
  createEnqueue,
  defineJob,
  type AnyJobDefinition,
  type JobContext,
  type JobDeps,
} from '../../../src/queue/define-job.js';
import { QUEUE_NAMES, type Queues } from '../../../src/queue/queues.js';

const Payload = z.object({ accountId: z.string().min(1), since: z.iso.datetime().optional() });

const pull = defineJob({
  name: 'pull-conversations',
  queue: 'pull',
  payload: Payload,
  schedule: 'per-account',
  async handle(payload, ctx) {
    expectTypeOf(payload).toEqualTypeOf<{ accountId: string; since?: string | undefined }>();
    expectTypeOf(ctx.deps).toEqualTypeOf<JobDeps>();
    return { pulled: payload.accountId.length };
  },
});

interface FakeDeps {
  calls: string[];
}

describe('defineJob', () => {
  it('infers the payload type from the schema and the result from the handler', () => {
    expectTypeOf(pull.handle).parameter(0).toEqualTypeOf<z.output<typeof Payload>>();
    expectTypeOf(pull.handle).returns.resolves.toEqualTypeOf<{ pulled: number }>();
    expectTypeOf(pull).toExtend<AnyJobDefinition>();
  });

  it('takes a deps type argument for tests and fakes', () => {
    const job = defineJob<typeof Payload, FakeDeps>({
      name: 'fake',
      queue: 'notify',
      payload: Payload,
      async handle(payload, ctx) {
        ctx.deps.calls.push(payload.accountId);
      },
    });
    expectTypeOf(job.handle).parameter(1).toEqualTypeOf<JobContext<FakeDeps>>();
    expectTypeOf(job).toExtend<AnyJobDefinition<FakeDeps>>();
  });

  it('rejects names that are not kebab-case', () => {
    expect(() =>
      defineJob({
        name: 'Pull_Conversations',
        queue: 'pull',
        payload: Payload,
        handle: async () => {},
      }),
    ).toThrow(RequestValidationError);
  });

  it('freezes the definition', () => {
    expect(Object.isFrozen(pull)).toBe(true);
  });
});

describe('parsePayload', () => {
  it('returns the parsed payload, stripping unknown keys', () => {
    expect(parsePayload(pull, { accountId: 'a1', extra: true })).toEqual({ accountId: 'a1' });
  });

  it('throws a RequestValidationError naming the job and the field', () => {
    expect(() => parsePayload(pull, { accountId: '' })).toThrow(
      /pull-conversations[\s\S]*accountId/,
    );
    expect(() => parsePayload(pull, {})).toThrow(RequestValidationError);
  });
});

describe('createEnqueue', () => {
  function fakeQueues() {
    const added: { queue: string; name: string; data: unknown; opts: unknown }[] = [];
    const queues = Object.fromEntries(
      QUEUE_NAMES.map((queue) => [
        queue,
        {
          add: async (name: string, data: unknown, opts: { jobId?: string }) => {
            added.push({ queue, name, data, opts });
            return { id: opts.jobId ?? '1' };
          },
        },
      ]),
    ) as unknown as Queues;
    return { queues, added };
  }

  it('validates the payload before anything is added', async () => {
    const { queues, added } = fakeQueues();
    const enqueue = createEnqueue(queues);
    await expect(enqueue(pull, { accountId: '' })).rejects.toThrow(RequestValidationError);
    expect(added).toEqual([]);
  });

  it('adds the parsed payload to the job queue with id, delay and deduplication', async () => {
    const { queues, added } = fakeQueues();
    const enqueue = createEnqueue(queues);
    const job = await enqueue(
      pull,
      { accountId: 'a1' },
      { jobId: 'x--a1', delay: 5, deduplicationId: 'd' },
    );
    expect(job).toEqual({ id: 'x--a1', name: 'pull-conversations', queue: 'pull' });
    expect(added).toEqual([
      {
        queue: 'pull',
        name: 'pull-conversations',
        data: { accountId: 'a1' },
        opts: { jobId: 'x--a1', delay: 5, deduplication: { id: 'd' } },
      },
    ]);
  });

  it('takes a contract without a handler', async () => {
    const { queues, added } = fakeQueues();
    const contract = defineContract({ name: 'pull-reports', queue: 'pull', payload: Payload });
    await createEnqueue(queues)(contract, { accountId: 'a2' }, { jobId: 'r--a2' });
    expect(added).toEqual([
      { queue: 'pull', name: 'pull-reports', data: { accountId: 'a2' }, opts: { jobId: 'r--a2' } },
    ]);
    await expect(createEnqueue(queues)(contract, { accountId: '' })).rejects.toThrow(
      RequestValidationError,
    );
  });

  it('is typed by the job payload', () => {
    const enqueue = createEnqueue(fakeQueues().queues);
    // @ts-expect-error accountId must be a string
    void enqueue(pull, { accountId: 1 }).catch(() => {});
  });
});
