import { describe, expect, it } from 'vitest';
import { generateDemoScenario } from '../../src/sandbox/index.js';
import {
  cycle,
  failedJobs,
  finalConversationIds,
  proposalsOf,
  sandboxAndLoopPerTest,
} from './support/cycle.js';

/**
 * Two cycles of one account at once, as when the hourly scheduled pull starts while an operator's
 * `agent-trainer run` is still pulling. Both pulls hand over the same conversations; each must be
 * diagnosed once, each run must account for every conversation it handed over, and the two
 * syntheses must not propose the same change twice.
 */

const NOW = new Date();
const DAYS = 31;
const STORE = generateDemoScenario({ seed: 11, now: NOW, conversations: 80 });
const FINAL_IDS = finalConversationIds(STORE);

const start = sandboxAndLoopPerTest();

describe('two cycles of one account at once', () => {
  it('diagnoses each conversation once, and each run accounts for all it handed over', async () => {
    // Paced, so the two pulls overlap for seconds rather than finishing one after the other.
    const { loop: h } = await start(
      { scenario: STORE, rateLimits: { scale: 10 } },
      { rateLimits: { scale: 10 } },
    );

    const [first, second] = await Promise.all([cycle(h, DAYS, NOW), cycle(h, DAYS, NOW)]);

    for (const run of [first, second]) {
      expect(run.pull.listed).toBe(STORE.conversations.length);
      expect(run.diagnosed + run.alreadyDiagnosed, JSON.stringify(run.pull)).toBe(run.pull.changed);
    }
    // Between them the two pulls handed every final conversation over.
    expect(Math.max(first.pull.changed, second.pull.changed)).toBeGreaterThan(0);
    for (const id of FINAL_IDS) {
      expect(await h.app.deps.stores.diagnoses.get(h.accountId, id), id).not.toBeNull();
    }
    // Every diagnose batch logs what it stored; over both runs that is each conversation once.
    const stored = h.logs
      .filter((l) => l['msg'] === 'diagnosed' && l['queue'] === 'diagnose')
      .reduce((sum, l) => sum + Number(l['diagnosed']), 0);
    expect(stored).toBe(FINAL_IDS.length);

    // The two syntheses agree on the open proposals: none is drafted twice.
    const proposals = await proposalsOf(h);
    const targets = proposals.map((p) => JSON.stringify(p.patch));
    expect(new Set(targets).size).toBe(targets.length);
    expect(proposals.length).toBeGreaterThan(0);
    expect(await failedJobs(h.app)).toEqual([]);
  });
});
