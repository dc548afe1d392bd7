import type { Proposal } from '../src/domain/proposal.js';
import { DEMO_FIXES } from '../src/sandbox/index.js';

/**
 * What the demo's approver types into placeholders: the facts of the fictional demo store, as a
 * person who knows the store would. A placeholder the table does not know is left unfilled, and
 * the approval is then refused, as it would be for a real proposal.
 */
const DEMO_STORE_FACTS: { match: RegExp; value: string }[] = [
  {
    match: /international.*(policy|what applies)/i,
    value: DEMO_FIXES['knowledge-gap'].snippet.content,
  },
  {
    match: /international.*(time|cost|window)/i,
    value:
      'International return window: 30 days from delivery. International return shipping is paid by the shopper.',
  },
  {
    match: /international.*exception/i,
    value: 'Final-sale items cannot be returned; hand off to a person for damaged or lost parcels.',
  },
  {
    match: /refund situations that need a person/i,
    value: 'a shopper reports a "refund denied" notice or asks for a "refund exception"',
  },
];

export function demoFills(proposal: Proposal): Record<string, string> {
  const fills: Record<string, string> = {};
  for (const description of proposal.placeholders) {
    const fact = DEMO_STORE_FACTS.find((f) => f.match.test(description));
    if (fact) fills[description] = fact.value;
  }
  return fills;
}
