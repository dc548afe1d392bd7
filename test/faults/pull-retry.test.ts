import { afterEach, describe, expect, it } from 'vitest';
import {
  generateDemoScenario,
  startSandbox,
  type RunningSandbox,
} from '../../src/sandbox/index.js';
import {
  cycle,
  failedJobs,
  finalConversationIds,
  startLoop,
  type LoopHarness,
} from './support/cycle.js';
import { startSandboxGate, type SandboxGate } from './worker-crash-support.js';

/**
 * A pull job whose attempt fails part-way (the API down for longer than the client retries) and
 * that BullMQ retries. The conversations the failed attempt stored are not fetched again, but the
 * run brought them in: the run's summary counts them, as the log and the dashboard show it.
 */

const NOW = new Date();
const DAYS = 31;
const STORE = generateDemoScenario({ seed: 7, now: NOW, conversations: 60 });
const FINAL_IDS = finalConversationIds(STORE);
const MESSAGES_PATH = /^\/api\/customer-agent-conversations\/([^/]+)\/customer-agent-messages/;

let sandbox: RunningSandbox | undefined;
let gate: SandboxGate | undefined;
let loop: LoopHarness | undefined;
afterEach(async () => {
  await loop?.close();
  await gate?.close();
  await sandbox?.close();
  loop = undefined;
  gate = undefined;
  sandbox = undefined;
});

/** Conversations whose messages the API has answered (through the gate). */
function conversationsFetched(g: SandboxGate): string[] {
  const ids = new Set<string>();
  for (const r of g.requests) {
    const id = MESSAGES_PATH.exec(r.path)?.[1];
    if (id && r.status === 200) ids.add(id);
  }
  return [...ids];
}

describe('a pull retried after an outage part-way', () => {
  it('reports what all its attempts fetched, not only the last one', async () => {
    sandbox = await startSandbox({
      port: 0,
      scenario: STORE,
      rateLimits: 'off',
      indexingDelayMs: 0,
    });
    gate = await startSandboxGate(sandbox.url);
    const h = await startLoop({ sandboxUrl: gate.url });
    loop = h;
    const pullAttemptFailed = () =>
      h.logs.some(
        (l) => l['job'] === 'pull-conversations' && l['msg'] === 'job failed, will retry',
      );
    // Message fetches fail from the time half the conversations are in until the attempt gives up.
    const outageAfter = Math.floor(FINAL_IDS.length / 2);
    let fetchedBeforeOutage: string[] | undefined;
    gate.refuse((_method, path) => {
      if (!MESSAGES_PATH.test(path) || pullAttemptFailed()) return false;
      const fetched = conversationsFetched(gate as SandboxGate);
      if (fetched.length < outageAfter) return false;
      fetchedBeforeOutage ??= fetched;
      return true;
    });

    const summary = await cycle(h, DAYS, NOW);

    // The outage did stop the first attempt, after it had fetched some conversations.
    expect(pullAttemptFailed()).toBe(true);
    expect(fetchedBeforeOutage?.length).toBeGreaterThanOrEqual(outageAfter);
    expect(await failedJobs(h.app)).toEqual([]);
    // Each conversation's messages were answered once over the attempts: the retry fetched only
    // what the failed attempt had not stored.
    const fetched = conversationsFetched(gate);
    expect(fetched.toSorted()).toEqual(FINAL_IDS.toSorted());
    const answered = gate.requests.filter((r) => r.status === 200 && MESSAGES_PATH.test(r.path));
    expect(answered.filter((r) => !r.path.includes('cursor'))).toHaveLength(fetched.length);
    // The run's summary counts every conversation the run fetched, in any attempt.
    expect(summary.pull.fetched).toBe(fetched.length);
    expect(summary.pull.unchanged).toBe(0);
    expect(summary.diagnosed).toBe(fetched.length);
  });
});
