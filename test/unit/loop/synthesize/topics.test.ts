import { describe, expect, it } from 'vitest';
import { mergeNearDuplicates } from '../../../../src/loop/synthesize/topics.js';

const group = (topic: string, skillId: string | null, n: number, category = 'knowledge_gap') => ({
  category: category as 'knowledge_gap',
  skillId,
  topic,
  members: Array.from({ length: n }, (_, i) => `${topic}-${i}`),
});

describe('mergeNearDuplicates', () => {
  it('merges topics that share a distinctive word, under the largest group', () => {
    const merged = mergeNearDuplicates([
      group('return policy', null, 1),
      group('international returns', 'sk_returns', 3),
      group('price match', 'sk_returns', 2),
      group('price', 'sk_returns', 1),
    ]);
    expect(merged.map((g) => [g.topic, g.members.length])).toEqual([
      ['international returns', 4],
      ['price match', 3],
    ]);
  });

  it('keeps apart other categories, other skills and generic overlaps', () => {
    const merged = mergeNearDuplicates([
      group('return policy', 'sk_a', 2, 'instruction_gap'),
      group('shipping policy', 'sk_a', 2, 'instruction_gap'),
      group('returns', 'sk_b', 2, 'instruction_gap'),
      group('returns', 'sk_a', 2, 'tone'),
    ]);
    expect(merged).toHaveLength(4);
  });

  it('merges knowledge gaps across skills: every skill answers from the same knowledge', () => {
    const merged = mergeNearDuplicates([
      group('removal of old furniture', 'sk_delivery', 2),
      group('removing an old recliner', 'sk_payments', 1),
      group('removal of old furniture', 'sk_delivery', 1, 'instruction_gap'),
      group('removing an old recliner', 'sk_payments', 1, 'instruction_gap'),
    ]);
    expect(merged.map((g) => [g.category, g.topic, g.members.length])).toEqual([
      ['knowledge_gap', 'removal of old furniture', 3],
      ['instruction_gap', 'removal of old furniture', 1],
      ['instruction_gap', 'removing an old recliner', 1],
    ]);
  });
});
