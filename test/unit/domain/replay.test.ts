import { describe, expect, it } from 'vitest';
import { ProposalSchema } from '../../../src/domain/proposal.js';
import {
  describeReplay,
  describeReproduction,
  type Reproduction,
} from '../../../src/domain/replay.js';
import { makeProposal } from '../../integration/store/fixtures.js';

const reproduction = (failed: (boolean | null)[], reason = 'judged'): Reproduction => ({
  checkedAt: '2026-11-21T09:00:00.000Z',
  reproduced: failed.filter((f) => f === true).length,
  total: failed.filter((f) => f !== null).length,
  details: failed.map((f, i) => ({
    conversationId: `c${i}`,
    failedAtBaseline: f,
    reason,
    judge: f === null ? null : 'rules',
  })),
});

describe('replay sentences', () => {
  it('says in how many replays the failure happened again, or why none was judged', () => {
    expect(describeReproduction(reproduction([true, false, true]))).toBe(
      'Reproduces in 2 of 3 replays against the live configuration.',
    );
    expect(describeReproduction(reproduction([false, false, false]))).toBe(
      'Did not reproduce in 0 of 3 replays against the live configuration.',
    );
    expect(
      describeReproduction(reproduction([null, null], "this run's replay cap (30) was spent")),
    ).toBe("Reproduction not checked: this run's replay cap (30) was spent.");
  });

  it('labels a verify result without a baseline as such', () => {
    expect(describeReplay({ fixed: 3, total: 4 })).toBe(
      'Replay: fixed 3 of 4 conversations (no baseline to compare with).',
    );
    expect(
      describeReplay({
        against: 'baseline',
        fixed: 2,
        total: 3,
        newlyBroken: 1,
        stillFailing: 1,
        baselineMissing: 0,
      }),
    ).toBe(
      'Replay against the baseline: fixed 2 of 3 that failed at the baseline, 1 newly broken, 1 still failing.',
    );
  });

  it('reads proposals stored before reproduction and baselines', () => {
    const stored = JSON.parse(
      JSON.stringify({
        ...makeProposal({ status: 'applied' }),
        result: { replay: { fixed: 1, total: 2 } },
      }),
    ) as unknown;
    const proposal = ProposalSchema.parse(stored);
    expect(proposal.reproduction).toBeUndefined();
    expect(proposal.result.replay).toEqual({ fixed: 1, total: 2 });
  });
});
