import { describe, expect, it } from 'vitest';
import { heldAgainst, statedValues } from '../../../../src/loop/diagnose/offline/values.js';

const values = (text: string) =>
  Object.fromEntries([...statedValues(text)].map(([kind, set]) => [kind, [...set].sort()]));

describe('statedValues', () => {
  it('reads money, dates, percentages and durations whatever the words around them', () => {
    expect(values('Orders of $75+ before tax ship free; 15% off this week')).toEqual({
      money: ['75'],
      percent: ['15'],
    });
    expect(values('le site dit 99 $ maintenant, 3 à 5 jours')).toEqual({
      money: ['99'],
      duration: ['3-5 day'],
    });
    expect(values('sabi po sa fb page sept 30 na daw, hindi Oct. 15th')).toEqual({
      date: ['10-15', '9-30'],
    });
    expect(values('arrives in 3 to 5 business days, or 2 weeks by sea')).toEqual({
      duration: ['2 week', '3-5 day'],
    });
  });

  it('reads no date from the English "may" and no money from a bare count', () => {
    expect(values('I may 5 things ask, I have 2 boxes')).toEqual({});
  });
});

describe('heldAgainst', () => {
  it('is the kind of figure the shopper held up and the agent held to', () => {
    const answer = 'To arrive before Christmas, boxes need to be picked up by October 15.';
    const reply = 'Our cut-off is October 15, so you still have time!';
    expect(heldAgainst(answer, 'sabi po sa fb page nyo sept 30 na lang', reply)).toBe('date');
  });

  it('is null when the agent takes the shopper figure in, or states nothing of that kind', () => {
    const answer = 'Free shipping on orders over $75!';
    expect(
      heldAgainst(answer, 'I have $80 in my cart', 'Yes, $80 is over $75, so it ships free.'),
    ).toBeNull();
    expect(heldAgainst(answer, 'checkout says $99', 'Let me pass this to the team.')).toBeNull();
    expect(heldAgainst(answer, 'it came in 3 days', 'Orders over $75 ship free.')).toBeNull();
  });
});
