import type { ScenarioInput } from './scenario.js';

/**
 * The fictional store behind `--scenario demo`: Summit & Pine Outfitters, an outdoor-gear shop.
 * Its configuration carries the planted problems on purpose (see DEMO_FIXES):
 * the international return window is missing from knowledge, the warranty skill's description
 * does not mention warranty claims (so they route to order status), the product skill never
 * hands off and answers tersely, and a refund escalation rule is far too broad.
 */

export const DEMO_STORE_NAME = 'Summit & Pine Outfitters';

type DemoConfig = {
  [K in 'agent' | 'skills' | 'tools' | 'secrets' | 'knowledge']: NonNullable<ScenarioInput[K]>;
};

/** Built without timestamps; the generator dates every item relative to `now`. */
export const DEMO_CONFIG: DemoConfig = {
  agent: {
    id: 'agent_01JSUMMITPINE',
    name: 'Juniper',
    tone_of_voice: { preset: 'friendly', custom_instruction: null },
    escalation_rules: [
      {
        title: 'Safety concerns',
        description:
          'Hand off right away when the shopper mentions an "injury", "injured", "burned", "fire", "carbon monoxide" or an "allergic reaction".',
        status: 'enabled',
      },
      {
        title: 'Payment disputes',
        description:
          'Hand off when the shopper mentions a "chargeback", a "lawyer", "fraud" or a "dispute" with their bank.',
        status: 'enabled',
      },
      {
        title: 'Refund requests',
        description: 'Hand off whenever the shopper mentions a "refund".',
        status: 'enabled',
      },
      {
        title: 'Wholesale',
        description: 'Send "wholesale" and "bulk order" requests to the sales team.',
        status: 'disabled',
      },
    ],
    communication_styles: [
      {
        title: 'Plain language',
        description: 'Use short, plain sentences and avoid outdoor-industry jargon.',
        status: 'enabled',
      },
      { title: 'No emojis', description: 'Never use emojis.', status: 'enabled' },
      {
        title: 'Brand name',
        description: 'Always write the brand as Summit & Pine, never S&P.',
        status: 'enabled',
      },
    ],
  },
  skills: [
    {
      id: 'custom:agent_101',
      name: 'order_status',
      display_name: 'Order Status',
      description:
        'Looks up a specific order: where it is, tracking numbers, delivery dates, and claims about broken or defective items.',
      instructions:
        'Ask for the order number (it starts with SP-) if the shopper has not given it, then look the order up with the Order Lookup tool and report its shipping status.',
      handoff: 'offer',
      tools: ['Order Lookup'],
    },
    {
      id: 'custom:agent_102',
      name: 'returns_exchanges',
      display_name: 'Returns & Exchanges',
      description:
        'Explains the return policy, return windows, exchanges, return labels and how to send a purchase back.',
      instructions:
        'Answer from the return policy. Offer a teammate when the policy does not cover the question.',
      handoff: 'offer',
    },
    {
      id: 'custom:agent_103',
      name: 'product_qa',
      display_name: 'Product Questions',
      description:
        'Answers questions about product specs, size and fit, materials and care, temperature ratings, weight, and which gear suits a trip.',
      instructions: 'Answer in as few words as possible. No pleasantries.',
      handoff: 'none',
    },
    {
      id: 'custom:agent_104',
      name: 'warranty_support',
      display_name: 'Warranty Support',
      description: 'Handles lifetime guarantee repairs and replacement requests.',
      instructions:
        'Explain what the lifetime guarantee covers and how to send photos for a repair or replacement.',
      handoff: 'offer',
    },
    {
      id: 'prebuilt:store_info',
      name: 'store_info',
      display_name: 'Store Info',
      source: 'prebuilt',
      description:
        'Answers questions about store hours, gift cards, promo codes, the Pine Points rewards program, shipping costs and shipping times.',
      instructions: 'Answer from the knowledge base.',
      handoff: 'offer',
    },
    {
      id: 'custom:agent_105',
      name: 'trip_planner',
      display_name: 'Trip Planner',
      description: 'Suggests packing lists and gear for camping, hiking and backpacking trips.',
      instructions:
        'Ask about the destination, season and group size, then suggest a packing list.',
      status: 'draft',
      handoff: 'offer',
    },
  ],
  tools: [
    {
      type: 'custom',
      id: 'custom:tool_201',
      name: 'Order Lookup',
      public_name: 'our order system',
      public_description: 'Looks up an order by its number and returns its shipping status.',
      request_template: {
        url_template: 'https://api.summitpine.example/orders/{{order_number}}',
        http_method: 'GET',
        headers: [{ name: 'Authorization', value: 'Bearer {{api_key}}' }],
      },
      variables: [
        { name: 'order_number', type: 'string', required: true, source: 'dynamic' },
        { name: 'api_key', type: 'string', source: 'secret', value: 'sec_orderapi01' },
      ],
    },
    {
      type: 'internal',
      id: 'internal:profile_lookup',
      name: 'Klaviyo Profile Lookup',
      public_description: "Reads the shopper's Klaviyo profile (name, recent orders).",
      config_params: [
        {
          name: 'fields',
          label: 'Profile fields',
          input_type: 'multi_select',
          required: false,
        },
      ],
    },
  ],
  secrets: [{ id: 'sec_orderapi01', name: 'Order API key', value: 'sk_demo_orders_7Qz' }],
  knowledge: [
    snippet(
      'Return policy',
      'You can return unused gear within 60 days of delivery for a full refund to your original payment method. Start a return from the Orders page in your account to print a free prepaid return label for US addresses.',
    ),
    snippet(
      'Exchanges',
      'Exchanges for a different size or color are free. Start the exchange from the Orders page and we ship the replacement as soon as the carrier scans your original item.',
    ),
    snippet(
      'Refund timing',
      'Refunds are issued within 2 business days after your return reaches our warehouse. Your bank may take 5 to 7 business days to show the refund on your card.',
    ),
    snippet(
      'Shipping times and costs',
      'Standard shipping is free on orders over $75 and takes 3 to 5 business days. Expedited shipping costs $15 and takes 1 to 2 business days.',
    ),
    snippet(
      'International shipping',
      'We ship to Canada, the UK, the EU and Australia. International delivery takes 7 to 14 business days, and duties are calculated at checkout.',
    ),
    snippet(
      'Warranty',
      'Every Summit & Pine product is covered by our lifetime guarantee: the warranty covers defects in materials and workmanship, including broken zippers, poles and buckles. To file a warranty claim, email photos of the damage and your order number to warranty@summitpine.example; we repair or replace covered items within 10 days.',
    ),
    snippet(
      'Sleeping bag temperature ratings',
      'The Ridgeline 20 sleeping bag is comfortable down to 20°F, using the ISO 23537 comfort limit. Add a liner for colder nights.',
    ),
    snippet(
      'Tent capacity',
      'The Basecamp 3 tent fits two people plus their gear, and the Basecamp 4 fits three. Capacity counts sleepers shoulder to shoulder, so size up for extra room.',
    ),
    snippet(
      'Boot sizing',
      'Trailhead boots run half a size small, so we recommend ordering half a size up. Wide sizes are available in the Trailhead Mid.',
    ),
    snippet(
      'Gift cards',
      'Gift cards never expire and work online and in our stores. Check a gift card balance on the Gift Cards page.',
    ),
    snippet(
      'Pine Points rewards',
      'Pine Points members earn 1 point per dollar spent and get free expedited shipping. Every 100 points is worth a $5 reward.',
    ),
    snippet(
      'Store hours',
      'Our Boulder flagship store is open 9am to 8pm Monday to Saturday and 10am to 6pm on Sunday.',
    ),
    snippet(
      'Price match',
      'We match the price of authorized US retailers within 14 days of your purchase.',
    ),
    snippet(
      'Backpack fit',
      'Switchback packs fit torso lengths from 15 to 21 inches. Measure from the bony bump at the base of your neck to the top of your hip bones.',
    ),
    {
      source_type: 'webpage',
      url: 'https://summitpine.example/pages/care-guide',
      content:
        'Care guide: wash down jackets and sleeping bags on a gentle cycle with down soap, then tumble dry low with clean tennis balls. Re-waterproof rain shells once a season.',
    },
  ],
};

function snippet(title: string, content: string) {
  return { source_type: 'snippet' as const, title, content };
}

/** The failure patterns planted in the demo conversations. */
export const PLANTED_FAILURES = [
  'knowledge-gap',
  'misrouted-skill',
  'human-request-ignored',
  'unnecessary-escalation',
  'tone-complaint',
] as const;
export type PlantedFailure = (typeof PLANTED_FAILURES)[number];

/** What fixes each planted failure, for tests of later stages and for the demo's own checks. */
export const DEMO_FIXES = {
  'knowledge-gap': {
    kind: 'add-knowledge',
    topic: 'international return window',
    snippet: {
      title: 'International returns',
      content:
        'Shoppers outside the US, including Canada, the UK, the EU and Australia, can return international orders within 30 days of delivery. The return window starts on the delivery date; international return shipping is paid by the shopper, and we email a customs form with the return label.',
    },
  },
  'misrouted-skill': {
    kind: 'update-skill',
    skill: 'warranty_support',
    wrongSkill: 'order_status',
    description:
      'Handles warranty claims for broken or defective gear: lifetime guarantee repairs, replacements and what the warranty covers.',
  },
  'human-request-ignored': { kind: 'update-skill', skill: 'product_qa', handoff: 'offer' },
  'unnecessary-escalation': {
    kind: 'update-escalation-rule',
    rule: 'Refund requests',
    status: 'disabled',
    coveredBy: 'Refund timing',
  },
  'tone-complaint': {
    kind: 'update-skill',
    skill: 'product_qa',
    instructions: 'Answer warmly and completely, with the details the shopper needs.',
  },
} as const;

/**
 * The planted failures as evaluation ground truth (`agent-trainer eval --scenario demo`): the
 * category each one is, and the patch kinds that fix it.
 */
export const DEMO_PATTERNS = {
  'knowledge-gap': {
    category: 'knowledge_gap',
    summary: 'The international return window is missing from knowledge.',
    expectedKinds: ['knowledge.create', 'knowledge.update'],
    target: 'International returns',
  },
  'misrouted-skill': {
    category: 'wrong_skill',
    summary: "Warranty claims reach order status: the warranty skill's description misses them.",
    expectedKinds: ['skill.update'],
    target: 'warranty_support',
  },
  'human-request-ignored': {
    category: 'missed_escalation',
    summary: 'The product skill refuses shoppers who ask for a person.',
    expectedKinds: ['skill.update'],
    target: 'product_qa',
  },
  'unnecessary-escalation': {
    category: 'unnecessary_escalation',
    summary: 'An over-broad refund rule hands off refund-timing questions that knowledge answers.',
    expectedKinds: ['agent.escalation-rule.edit'],
    target: 'Refund requests',
  },
  'tone-complaint': {
    category: 'tone',
    summary: 'The product skill answers in one terse sentence.',
    expectedKinds: [
      'skill.update',
      'agent.communication-style.add',
      'agent.communication-style.edit',
    ],
    target: 'product_qa',
  },
} as const satisfies Record<
  PlantedFailure,
  { category: string; summary: string; expectedKinds: readonly string[]; target: string }
>;
