// Pure (no Redis, no sockets); kept beside the server tests because this folder is the metrics
// owner's. The lead may move it to test/unit/.
import { describe, expect, it } from 'vitest';
import type { KlaviyoCallEvent } from '../../../src/klaviyo/index.js';
import { costUsd } from '../../../src/llm/prices.js';
import { createMetrics } from '../../../src/metrics.js';

const OPERATION = 'list_customer_agent_conversations_beta';
const call: Omit<KlaviyoCallEvent, 'group' | 'rateLimitWaitMs'> = {
  operation: OPERATION,
  method: 'GET',
  path: '/api/customer-agent-conversations',
  durationMs: 12,
  retry: 0,
};

describe('createMetrics', () => {
  it('counts Klaviyo calls by group and status, 429s and limiter wait in seconds', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.observeKlaviyoCall({
      ...call,
      group: 'conversations',
      status: 200,
      rateLimitWaitMs: 0,
    });
    metrics.observeKlaviyoCall({
      ...call,
      group: 'conversations',
      status: 429,
      rateLimitWaitMs: 1500,
    });
    metrics.observeKlaviyoCall({
      ...call,
      group: 'config',
      rateLimitWaitMs: 500,
      error: 'ECONNRESET',
    });
    const text = await metrics.render();
    expect(text).toContain(
      'agent_trainer_klaviyo_calls_total{group="conversations",status="200"} 1',
    );
    expect(text).toContain(
      'agent_trainer_klaviyo_calls_total{group="conversations",status="429"} 1',
    );
    expect(text).toContain(
      'agent_trainer_klaviyo_calls_total{group="config",status="network_error"} 1',
    );
    expect(text).toContain('agent_trainer_klaviyo_rate_limited_total{group="conversations"} 1');
    expect(text).not.toContain('agent_trainer_klaviyo_rate_limited_total{group="config"}');
    expect(text).toContain(
      'agent_trainer_klaviyo_rate_limit_wait_seconds_total{group="conversations"} 1.5',
    );
    expect(text).toContain(
      'agent_trainer_klaviyo_rate_limit_wait_seconds_total{group="config"} 0.5',
    );
  });

  it('counts LLM tokens by kind and the priced cost, batch discount included', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const tokens = {
      inputTokens: 1000,
      outputTokens: 200,
      cacheWriteTokens: 0,
      cacheReadTokens: 50,
    };
    const model = 'claude-haiku-5-5';
    metrics.observeLlm({
      accountId: 'a',
      runId: 'r',
      stage: 'diagnose',
      model,
      tokens,
      batch: true,
    });
    metrics.observeLlm({
      accountId: 'a',
      runId: 'r',
      stage: 'diagnose',
      model: 'unpriced',
      tokens,
    });
    const text = await metrics.render();
    expect(text).toContain(
      `agent_trainer_llm_tokens_total{stage="diagnose",model="${model}",kind="input"} 1000`,
    );
    expect(text).toContain(
      `agent_trainer_llm_tokens_total{stage="diagnose",model="${model}",kind="cache_read"} 50`,
    );
    const expected = costUsd(model, tokens, { batch: true });
    expect(expected).toBeGreaterThan(0);
    expect(text).toContain(
      `agent_trainer_llm_cost_usd_total{stage="diagnose",model="${model}"} ${expected}`,
    );
    expect(text).toContain(
      'agent_trainer_llm_tokens_total{stage="diagnose",model="unpriced",kind="output"} 200',
    );
    expect(text).not.toContain(
      'agent_trainer_llm_cost_usd_total{stage="diagnose",model="unpriced"}',
    );
  });

  it('observes job durations and apply outcomes', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.observeJob('pull', 'pull-conversations', 2, 'completed');
    metrics.observeJob('pull', 'pull-conversations', 0.1, 'failed');
    metrics.observeApply('applied');
    metrics.observeApply('conflict');
    metrics.observeApply('conflict');
    const text = await metrics.render();
    expect(text).toContain(
      'agent_trainer_job_duration_seconds_count{queue="pull",name="pull-conversations",status="completed"} 1',
    );
    expect(text).toContain(
      'agent_trainer_job_duration_seconds_sum{queue="pull",name="pull-conversations",status="failed"} 0.1',
    );
    expect(text).toContain('agent_trainer_applies_total{outcome="applied"} 1');
    expect(text).toContain('agent_trainer_applies_total{outcome="conflict"} 2');
  });

  it('collects proposal counts from its source at scrape, zero for missing statuses', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let pending = 3;
    metrics.watch({ proposalCounts: async () => ({ pending, applied: 1 }) });
    expect(await metrics.render()).toContain('agent_trainer_proposals{status="pending"} 3');
    pending = 0;
    const text = await metrics.render();
    expect(text).toContain('agent_trainer_proposals{status="pending"} 0');
    expect(text).toContain('agent_trainer_proposals{status="applied"} 1');
    expect(text).toContain('agent_trainer_proposals{status="rejected"} 0');
  });

  it('collects decided proposals per category and drafter at scrape', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.watch({
      acceptance: async () => [{ category: 'tone', drafter: 'claude', accepted: 4, rejected: 1 }],
    });
    const text = await metrics.render();
    expect(text).toContain(
      'agent_trainer_proposals_decided{category="tone",drafter="claude",decision="accepted"} 4',
    );
    expect(text).toContain(
      'agent_trainer_proposals_decided{category="tone",drafter="claude",decision="rejected"} 1',
    );
  });

  it('keeps registries apart, so two instances do not clash', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.observeApply('reverted');
    expect(await a.render()).toContain('agent_trainer_applies_total{outcome="reverted"} 1');
    expect(await b.render()).not.toContain('agent_trainer_applies_total{outcome="reverted"}');
  });
});
