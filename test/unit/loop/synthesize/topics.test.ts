import { describe, expect, it } from 'vitest';
import {
  mergeNearDuplicates,
  mostAsked,
  unknownWords,
} from '../../../../src/loop/synthesize/topics.js';
import { contentTokens } from '../../../../src/domain/text.js';

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

  it("keeps apart topics that share only a word the store's every conversation uses", () => {
    const groups = [
      group('holding boxes at the office', null, 2),
      group('box pickup dates', null, 3),
    ];
    expect(mergeNearDuplicates(groups)).toHaveLength(1);
    expect(mergeNearDuplicates(groups, contentTokens('box'))).toHaveLength(2);
  });

  describe('a gap named by a heading, whose shoppers asked about what another gap is named after', () => {
    const gap = (topic: string, questions: string[]) => ({
      ...group(topic, null, questions.length),
      asked: mostAsked(questions),
    });

    it('merge: the heading was the only name the diagnoser had', () => {
      const merged = mergeNearDuplicates([
        gap('shipping', [
          'can you post spare lithium batteries to Oslo',
          'lithium batteries by courier to Spain?',
          'do the batteries go in the same box as the torch',
        ]),
        gap('lithium battery limits', ['how many lithium cells per parcel', 'lithium limit?']),
      ]);
      expect(merged.map((g) => [g.topic, g.members.length])).toEqual([['shipping', 5]]);
    });

    it('stay apart when only one of its shoppers asked about it', () => {
      const merged = mergeNearDuplicates([
        gap('shipping', [
          'can you post a tent to Oslo',
          'lithium batteries by courier to Spain?',
          'delivery to Lyon before Friday?',
        ]),
        gap('lithium battery limits', ['how many lithium cells per parcel', 'lithium limit?']),
      ]);
      expect(merged).toHaveLength(2);
    });
  });

  describe('knowledge gaps that name the same unknown thing', () => {
    // A store that knows about engraving and gift cards, nothing about layaway.
    const vocabulary = contentTokens('engraving gift cards rings necklaces sizes prices order');
    const gap = (topic: string, questions: string[]) => ({
      ...group(topic, null, questions.length),
      unknown: unknownWords(questions, vocabulary),
    });

    it('merge when most shoppers of one use a word of the other that the store does not know', () => {
      const merged = mergeNearDuplicates([
        gap('payment plan', ['is layaway possible on rings', 'can i do layaway over 3 months']),
        gap('holding a necklace', ['could you hold this necklace for me till payday', 'layaway??']),
      ]);
      expect(merged.map((g) => g.members.length)).toEqual([4]);
    });

    it('stay apart when only one shopper of a larger group used the word, in passing', () => {
      const merged = mergeNearDuplicates([
        gap('lot numbers', ['same dye lot as before?', 'which lot is in stock', 'lot 4471 left?']),
        gap('shipping abroad', [
          'do you post to Dublin',
          'thanks a lot, and to Milan?',
          'can you post to Kyoto',
        ]),
      ]);
      expect(merged.map((g) => [g.topic, g.members.length])).toEqual([
        ['lot numbers', 3],
        ['shipping abroad', 3],
      ]);
    });

    it('stay apart when the shared word is one the store knows, or a group is one conversation', () => {
      const merged = mergeNearDuplicates([
        gap('ring resizing', ['can you resize this ring order', 'resize ring after order?']),
        gap('engraving fonts', ['what fonts for ring engraving', 'engraving on order in script?']),
        gap('layaway', ['is layaway possible']),
        gap('payment plan', ['layaway on rings?', 'layaway option']),
      ]);
      expect(merged.map((g) => [g.topic, g.members.length])).toEqual([
        ['ring resizing', 2],
        ['engraving fonts', 2],
        ['layaway', 1],
        ['payment plan', 2],
      ]);
    });
  });
});
