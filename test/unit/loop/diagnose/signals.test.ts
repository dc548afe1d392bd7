import { describe, expect, it } from 'vitest';
import {
  admittedSubject,
  agentLacksInfo,
  toneComplaint,
} from '../../../../src/loop/diagnose/offline/signals.js';

describe('what the agent says it lacks', () => {
  it.each([
    "I don't have guidance on which items suit sensitive skin.",
    "I'm not able to confirm whether the courier goes to the islands.",
    "I don't have the exact lead time for custom orders available.",
    'We are unable to advise if the strap fits the older model.',
  ])('%j admits a gap', (text) => {
    expect(agentLacksInfo(text)).toBe(true);
  });

  it.each([
    "I'm not able to connect you right now, but here is the link.",
    'We have the exact size you asked for in stock.',
    'Could you confirm whether the order number starts with 4?',
  ])('%j is not an admission', (text) => {
    expect(agentLacksInfo(text)).toBe(false);
  });

  it('reads the subject, without filler or pointers', () => {
    expect(admittedSubject("I don't have information on gift wrapping in front of me.")).toBe(
      'gift wrapping',
    );
    expect(admittedSubject("I'm not sure whether the lid is dishwasher safe, I'm afraid.")).toBe(
      'the lid is dishwasher safe',
    );
    expect(admittedSubject("I don't have the specific warranty terms available.")).toBe(
      'warranty terms',
    );
    expect(admittedSubject("Sorry, I don't have information on that.")).toBeNull();
    expect(admittedSubject('Your parcel ships tomorrow.')).toBeNull();
  });
});

describe('complaints about how the agent answered', () => {
  it.each([
    "Please don't try to sell me things right now.",
    'Stop pushing products, I asked about my refund.',
    'This is not the time for a sales pitch.',
  ])('%j objects to selling', (text) => {
    expect(toneComplaint(text)).toBe('strong');
  });

  it('does not read a purchase question as a complaint', () => {
    expect(toneComplaint('Do you sell replacement lids?')).toBeNull();
  });
});
