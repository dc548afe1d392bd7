import { describe, expect, it } from 'vitest';
import {
  frustrated,
  needsPerson,
  saysRepeated,
  shopperState,
  situationPhrases,
} from '../../../src/domain/situations.js';

describe('situations a shopper reports', () => {
  it.each([
    ['The kettle sparked and my daughter got a burn on her hand', 'harm'],
    ['After two days on the tablets my throat feels tight', 'harm'],
    ['our puppy chewed the toy and swallowed a piece, he is vomiting', 'harm'],
    ['I have passed this to my attorney.', 'legal'],
    ['There are three charges I never authorized, my card was stolen', 'fraud'],
    ['somebody got into my account and changed the delivery address', 'fraud'],
    ['I do not recognise these charges on my statement', 'fraud'],
    ['my password was reset this morning and that was not me', 'fraud'],
    ['we never placed this order, who did?', 'fraud'],
    ['got a weird email from you asking me to confirm my card', 'fraud'],
  ])('%j needs a person (%s)', (text, kind) => {
    expect(needsPerson(text)).toBe(kind);
  });

  it.each([
    'Will checking my eligibility hurt my credit score?',
    'Is the smoked glass top heat resistant?',
    'I am allergic to nuts, does the granola contain any?',
    'My order was charged twice, can you check?',
    // A forgotten subscription reads the same as fraud: not on its own.
    "I didn't order this, is it a gift from someone?",
    'It was not me who chose the color, my wife did. Can we swap it?',
  ])('%j does not', (text) => {
    expect(needsPerson(text)).toBeNull();
  });

  it('names the situation in its own words, and nothing else of the message', () => {
    const phrases = situationPhrases('The lamp caught fire last night near my son, Jo.', 'harm');
    expect(phrases).toEqual(['caught fire']);
  });

  it('reads grief, distress and anger, and frustration with the agent', () => {
    expect(shopperState('My husband passed away in March, please cancel his plan')).toBe('grief');
    expect(shopperState('I have been crying all day, nothing fits')).toBe('distress');
    expect(shopperState('This is UNACCEPTABLE, third time I write')).toBe('anger');
    expect(shopperState('Can I change the colour?')).toBeNull();
    expect(frustrated('did you even read my message??')).toBe(true);
    expect(frustrated('Perfect, thanks so much!')).toBe(false);
    expect(saysRepeated('I already gave you my order number twice')).toBe(true);
    expect(saysRepeated('I would like to order again')).toBe(false);
    expect(saysRepeated('I included all of that when I wrote in.')).toBe(true);
    expect(saysRepeated("It's all in my first email, scroll down")).toBe(true);
    expect(saysRepeated('I put everything on the form you sent')).toBe(true);
    expect(saysRepeated('I put the cushions in the sun')).toBe(false);
  });
});
