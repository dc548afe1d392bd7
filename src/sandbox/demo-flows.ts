import type { Prng } from './prng.js';

/**
 * Shopper scripts of the demo conversations. Each flow lists the shopper's turns (one template is
 * picked per turn); the demo generator plays them against the sandbox agent, so every agent reply
 * in the demo is what the agent really answers with the demo configuration.
 * Templates use {order}, {email}, {phone}, {country}, {item} and {name}.
 */

export interface DemoFlow {
  label: string;
  count: number;
  turns: readonly (readonly string[])[];
}

const THANKS = [
  'Thanks!',
  'Great, thank you!',
  'Perfect, thanks so much.',
  'Got it, thanks!',
  'That helps, thank you.',
];

export const DEMO_FLOWS: readonly DemoFlow[] = [
  {
    label: 'success:order-status',
    count: 45,
    turns: [
      [
        'Hi, where is my order {order}?',
        'Can you check on order {order}? It was supposed to arrive by Friday.',
        'Any tracking info for order {order}? My email is {email}.',
        'Hey, what is the status of order {order}?',
      ],
      THANKS,
    ],
  },
  {
    label: 'success:order-status',
    count: 35,
    turns: [
      ["Where's my order?", 'I want to check on my order.', 'Can you track my order please?'],
      [
        "It's {order}",
        '{order}, under {email}',
        'Order number {order}. You can also text me at {phone}.',
      ],
      THANKS,
    ],
  },
  {
    label: 'success:product-question',
    count: 46,
    turns: [
      [
        "What's the temperature rating on the Ridgeline 20 sleeping bag?",
        'How many people fit in the Basecamp 3 tent?',
        'What torso length does the Switchback 45 pack fit?',
        'How should I wash and care for my down jacket?',
        'Do Trailhead boots run true to size?',
      ],
      THANKS,
    ],
  },
  {
    label: 'success:returns',
    count: 30,
    turns: [
      [
        "What's your return policy for unused gear?",
        'How do I print a return label?',
        'Is there a return policy for unused gear bought online?',
      ],
      THANKS,
    ],
  },
  {
    label: 'success:exchange',
    count: 18,
    turns: [
      [
        'Can I exchange my {item} for a different size?',
        'How do I exchange a {item} for a different color?',
      ],
      THANKS,
    ],
  },
  {
    label: 'success:store-info',
    count: 50,
    turns: [
      [
        'How long does standard shipping take?',
        'Do gift cards expire?',
        'What are your store hours on Sunday?',
        'How do Pine Points rewards work?',
        'Do you price match?',
        'Do you ship to {country}? How long does it take?',
      ],
      THANKS,
    ],
  },
  {
    label: 'success:warranty',
    count: 10,
    turns: [
      [
        'Does your lifetime guarantee cover repairs?',
        'Can I get a repair under the lifetime guarantee?',
      ],
      THANKS,
    ],
  },
  {
    label: 'legit-escalation',
    count: 12,
    turns: [
      [
        'My camp stove caught fire on the first use!',
        'I was charged twice for order {order}. If this is not fixed I am filing a chargeback. Call me at {phone}.',
        'Your headlamp battery burned my hand and I got injured.',
      ],
    ],
  },
  {
    label: 'knowledge-gap',
    count: 26,
    turns: [
      [
        "Hi! I'm in {country}. What's the return window for international orders?",
        'Can I return gear from outside the US? I live in {country}.',
        'Is the return window different for international orders shipped to {country}?',
      ],
      ['Yes please', 'So how long is the return window for orders shipped to {country}?'],
      ['Yes please', 'Never mind, I will figure it out.'],
    ],
  },
  {
    label: 'misrouted-skill',
    count: 22,
    turns: [
      [
        'How do I make a warranty claim for a broken tent pole?',
        'My jacket zipper is broken. Is it covered by your warranty?',
        'My pack buckle arrived defective. Can I file a warranty claim?',
      ],
      ["It's {order}. I just want to know if the warranty covers it."],
      ["That's not what I asked. Never mind.", 'Useless. Never mind.'],
    ],
  },
  {
    label: 'human-request-ignored',
    count: 16,
    turns: [
      [
        'What material is the Alpine jacket shell made of?',
        "What's the weight of the Basecamp 3 tent?",
        'Which size fits a 6 foot hiker in the Alpine jacket?',
      ],
      [
        "That doesn't answer my question. Can I talk to a real person?",
        'Can I speak to a human please?',
        'I would rather talk to someone on your team.',
      ],
      ['Seriously? I just want to talk to a human.', 'Forget it.'],
    ],
  },
  {
    label: 'unnecessary-escalation',
    count: 18,
    turns: [
      [
        'How long do refunds take?',
        'When will my refund show up on my card?',
        'How many business days until I see my refund?',
      ],
    ],
  },
  {
    label: 'tone-complaint',
    count: 15,
    turns: [
      [
        'Do Trailhead boots run true to size?',
        "What's the temperature rating on the Ridgeline 20 sleeping bag?",
        'How many people fit in the Basecamp 3 tent?',
      ],
      [
        "Wow, that's a pretty curt answer.",
        "That's kind of rude. Could you explain a bit more?",
        'Why so blunt? A little more detail would be nice.',
      ],
      ['Whatever, I will look elsewhere. Never mind.', 'Ok, thanks I guess.'],
    ],
  },
];

const COUNTRIES = ['Canada', 'the UK', 'Australia', 'the EU'];
const ITEMS = ['rain jacket', 'fleece', 'hiking boots', 'backpack', 'tent'];
const FIRST_NAMES = [
  'jordan',
  'maya',
  'li',
  'sam',
  'priya',
  'diego',
  'emma',
  'noah',
  'ava',
  'kenji',
];

/** Fills a template's slots with fictional details (order numbers, emails, phone numbers). */
export function fillTemplate(template: string, rng: Prng, fixed: Record<string, string>): string {
  return template.replace(
    /\{(\w+)\}/g,
    (_match, slot: string) => fixed[slot] ?? slotValue(slot, rng),
  );
}

/** Values that stay the same across one conversation's turns. */
export function conversationSlots(rng: Prng): Record<string, string> {
  const name = rng.pick(FIRST_NAMES);
  return {
    order: `SP-${rng.int(100000, 199999)}`,
    email: `${name}.${String.fromCharCode(97 + rng.int(0, 25))}${rng.int(1, 99)}@example.com`,
    phone: `(555) 01${rng.int(0, 9)}-${rng.int(1000, 9999)}`,
    country: rng.pick(COUNTRIES),
    item: rng.pick(ITEMS),
    name,
  };
}

function slotValue(slot: string, rng: Prng): string {
  return conversationSlots(rng)[slot] ?? slot;
}
