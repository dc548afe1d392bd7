import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_TOPICS } from '../../../../src/domain/finding.js';
import { fillPlaceholders, placeholdersInPatch } from '../../../../src/domain/placeholders.js';
import { WORDING } from '../../../../src/domain/wording.js';
import type { AgentConfigView } from '../../../../src/patches/agent-config.js';
import type { GuidanceItem } from '../../../../src/patches/patch.js';

import {
  draftByRules,
  draftByRulesWithReason,
} from '../../../../src/loop/synthesize/offline-drafter.js';
import { ruleFiredOn } from '../../../helpers/sandbox-agent.js';
import {
  expectPasses,
  quotes,
  storeFinding,
  storeView,
  textOf,
  type Store,
} from '../../../helpers/drafting-store.js';

/**
 * The rules drafter writes in the language of the store's configuration: a French store's rule
 * gains a French exception, a Spanish store's snippet is a Spanish one.
 */

const FRENCH: Store = {
  skillName: 'Commandes',
  skill: {
    description: 'Répond aux questions sur les commandes, la livraison et les retours des clients.',
    instructions: 'Vérifier la commande avant de répondre. Donner le lien de suivi du colis.',
  },
  snippet: {
    title: 'Délais de remboursement',
    content: 'Le remboursement arrive sous 5 à 10 jours ouvrés après la réception du retour.',
  },
  rule: {
    title: 'Remboursements',
    description: 'Transférer dès que le client mentionne un "remboursement".',
    status: 'enabled',
  },
  style: {
    title: 'Ton enjoué',
    description: 'Toujours enjoué, avec des emojis et une suggestion de produit.',
    status: 'enabled',
  },
};

const SPANISH: Store = {
  skillName: 'Pedidos',
  skill: {
    description:
      'Responde las preguntas de los clientes sobre los pedidos, el envío y las devoluciones.',
    instructions: 'Revisar el pedido antes de responder. Dar el enlace de seguimiento del paquete.',
  },
  snippet: {
    title: 'Plazos de reembolso',
    content: 'El reembolso llega entre 5 y 10 días hábiles después de recibir la devolución.',
  },
  rule: {
    title: 'Reembolsos',
    description: 'Transferir en cuanto el cliente mencione un "reembolso".',
    status: 'enabled',
  },
  style: {
    title: 'Tono alegre',
    description: 'Siempre alegre, con emojis y una sugerencia de producto al final.',
    status: 'enabled',
  },
};

const GERMAN: Store = {
  skillName: 'Bestellungen',
  skill: {
    description:
      'Beantwortet die Fragen der Kunden zu Bestellungen, zum Versand und zu Rücksendungen.',
    instructions:
      'Prüfe die Bestellung, bevor du antwortest. Gib den Link zur Sendungsverfolgung weiter.',
  },
  snippet: {
    title: 'Dauer der Erstattung',
    content: 'Die Erstattung erfolgt 5 bis 10 Werktage nach dem Eingang der Rücksendung.',
  },
  rule: {
    title: 'Erstattungen',
    description: 'Übergib an das Team, sobald der Kunde eine "Erstattung" erwähnt.',
    status: 'enabled',
  },
  style: {
    title: 'Fröhlicher Ton',
    description: 'Immer fröhlich, mit Emojis und einer Produktempfehlung am Ende.',
    status: 'enabled',
  },
};

describe('drafting in the store language', () => {
  it('a French store: a French snippet, exception, rule and instruction line', () => {
    const store = storeView(FRENCH);
    const snippet = draftByRules(storeFinding({ topic: 'cartes cadeaux' }), store);
    expect(snippet?.patch).toMatchObject({
      kind: 'knowledge.create',
      snippet: { title: 'Cartes cadeaux' },
    });
    expect(textOf(snippet?.patch)).toContain('Les clients posent des questions sur cartes cadeaux');
    expect(textOf(snippet?.patch)).not.toContain('Shoppers ask');

    const asks = [
      'Quand vais-je recevoir mon remboursement ?',
      'Le remboursement prend combien de temps ?',
    ];
    const narrowed = draftByRules(
      storeFinding({
        category: 'unnecessary_escalation',
        skillId: null,
        topic: 'délais de remboursement',
        evidence: quotes(...asks),
      }),
      store,
    );
    if (narrowed?.patch.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    expect(narrowed.patch.rule.description).toMatch(
      /^Transférer dès que le client mentionne un "remboursement"\. Exception : les questions auxquelles la base de connaissances répond \(comme délais de remboursement\)/,
    );
    expectPasses(narrowed.patch, store, asks);

    const harm = ["Le réchaud a pris feu et j'ai été brûlé à la main.", 'Mon fils a été blessé.'];
    const rule = draftByRules(
      storeFinding({
        category: 'missed_escalation',
        topic: 'blessures',
        evidence: quotes(...harm),
      }),
      store,
    );
    expect(rule?.patch).toMatchObject({
      kind: 'agent.escalation-rule.add',
      rule: { title: 'Blessures et sécurité', status: 'enabled' },
    });
    expect(textOf(rule?.patch)).toContain('Transférer tout de suite à une personne');
    expectPasses(rule!.patch, store, harm);

    const reasked = draftByRules(
      storeFinding({
        category: 'instruction_gap',
        topic: BEHAVIOUR_TOPICS.reask,
        evidence: quotes('Pouvez-vous me donner votre numéro de commande ?'),
      }),
      store,
    );
    expect(textOf(reasked?.patch)).toContain('- Avant de demander le numéro de commande, relire');
    // Drafting again into the patched skill finds its own line there: no second copy.
    if (reasked?.patch.kind !== 'skill.update') throw new Error('expected a skill update');
    const patched = storeView(FRENCH);
    patched.skills[0]!.instructions = reasked.patch.changes.instructions ?? '';
    expect(
      draftByRules(
        storeFinding({
          category: 'instruction_gap',
          topic: BEHAVIOUR_TOPICS.reask,
          evidence: quotes('Pouvez-vous me donner votre numéro de commande ?'),
        }),
        patched,
      ),
    ).toBeNull();
  });

  it('a Spanish store: the cheerful style gains a Spanish exception for upset shoppers', () => {
    const store = storeView(SPANISH);
    const upset = draftByRules(
      storeFinding({
        category: 'tone',
        topic: BEHAVIOUR_TOPICS.upset,
        evidence: quotes('Mi madre falleció.'),
      }),
      store,
    );
    expect(upset?.patch).toMatchObject({
      kind: 'agent.communication-style.edit',
      title: 'Tono alegre',
    });
    expect(textOf(upset?.patch)).toContain('Cuando un cliente mencione una muerte');
    expect(textOf(upset?.patch)).not.toContain('When a shopper');
  });

  it('a Spanish exception, once filled, stops the rule firing on what the knowledge answers', () => {
    const store = storeView(SPANISH);
    const draft = draftByRules(
      storeFinding({
        category: 'unnecessary_escalation',
        skillId: null,
        topic: 'plazos de reembolso',
        evidence: quotes('¿Cuándo llega mi reembolso?'),
      }),
      store,
    );
    if (draft?.patch.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    expect(draft.patch.rule.description).toContain('Excepción: las preguntas que responde');
    const [placeholder] = placeholdersInPatch(draft.patch);
    const filled = fillPlaceholders(draft.patch, {
      [placeholder!]: 'cuando el cliente diga "reembolso rechazado"',
    });
    if (filled.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    const ask = (rules: GuidanceItem[], text: string) =>
      ruleFiredOn(rules, [{ id: 'kn_1', ...SPANISH.snippet }], text);
    const question = '¿Cuántos días tarda el reembolso después de la devolución?';
    expect(ask([SPANISH.rule], question)).toBe('Reembolsos');
    expect(ask([filled.rule], question)).toBeNull();
    expect(ask([filled.rule], 'Me llegó un reembolso rechazado')).toBe('Reembolsos');
  });

  it('a German store: a German snippet, exception, rule and instruction line', () => {
    const store = storeView(GERMAN);
    const snippet = draftByRules(storeFinding({ topic: 'Geschenkgutscheine' }), store);
    expect(snippet?.patch).toMatchObject({
      kind: 'knowledge.create',
      snippet: { title: 'Geschenkgutscheine' },
    });
    expect(textOf(snippet?.patch)).toContain('Kunden haben Fragen zum Thema ');
    expect(textOf(snippet?.patch)).toContain('Antworte gemäß der Regelung des Shops:');
    expect(textOf(snippet?.patch)).not.toContain('Shoppers ask');

    const asks = ['Wann bekomme ich meine Erstattung?', 'Wie lange dauert die Erstattung?'];
    const narrowed = draftByRules(
      storeFinding({
        category: 'unnecessary_escalation',
        skillId: null,
        topic: 'Dauer der Erstattung',
        evidence: quotes(...asks),
      }),
      store,
    );
    if (narrowed?.patch.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    expect(narrowed.patch.rule.description).toMatch(
      /^Übergib an das Team, sobald der Kunde eine "Erstattung" erwähnt\. Ausnahme: Fragen, die die Wissensdatenbank beantwortet \(etwa zum Thema [Dd]auer der [Ee]rstattung\)/,
    );
    expectPasses(narrowed.patch, store, asks);

    // A visitor who writes in English: the store's rule is still German, quoting their words.
    const harm = ['The battery caught fire and I burned my hand.', 'My son was injured.'];
    const rule = draftByRules(
      storeFinding({
        category: 'missed_escalation',
        topic: 'Verletzungen',
        evidence: quotes(...harm),
      }),
      store,
    );
    expect(rule?.patch).toMatchObject({
      kind: 'agent.escalation-rule.add',
      rule: { title: 'Verletzungen und Sicherheit', status: 'enabled' },
    });
    expect(textOf(rule?.patch)).toContain('Übergib das Gespräch sofort an einen Menschen');
    expectPasses(rule!.patch, store, harm);

    const reask = quotes('Können Sie mir bitte Ihre E-Mail-Adresse nennen?');
    const reasked = draftByRules(
      storeFinding({ category: 'instruction_gap', topic: BEHAVIOUR_TOPICS.reask, evidence: reask }),
      store,
    );
    expect(textOf(reasked?.patch)).toContain('- Bevor du nach der E-Mail-Adresse fragst, lies');
    // Drafting again into the patched skill finds its own line there: no second copy.
    if (reasked?.patch.kind !== 'skill.update') throw new Error('expected a skill update');
    const patched = storeView(GERMAN);
    patched.skills[0]!.instructions = reasked.patch.changes.instructions ?? '';
    expect(
      draftByRules(
        storeFinding({
          category: 'instruction_gap',
          topic: BEHAVIOUR_TOPICS.reask,
          evidence: reask,
        }),
        patched,
      ),
    ).toBeNull();
  });

  it('a German store: the cheerful style gains a German exception for upset shoppers', () => {
    const store = storeView(GERMAN);
    const upset = draftByRules(
      storeFinding({
        category: 'tone',
        topic: BEHAVIOUR_TOPICS.upset,
        evidence: quotes('Meine Mutter ist gestorben.'),
      }),
      store,
    );
    expect(upset?.patch).toMatchObject({
      kind: 'agent.communication-style.edit',
      title: 'Fröhlicher Ton',
    });
    expect(textOf(upset?.patch)).toContain('Wenn ein Kunde einen Todesfall');
    expect(textOf(upset?.patch)).not.toContain('When a shopper');
  });

  describe('a German store: what asks for cheer, what restrains it, what is terse', () => {
    const upset = storeFinding({ category: 'tone', topic: BEHAVIOUR_TOPICS.upset });
    const withStyle = (description: string) =>
      storeView({ ...GERMAN, style: { ...GERMAN.style, description } });
    const withInstructions = (instructions: string) => {
      const store = storeView({ ...GERMAN, skill: { ...GERMAN.skill, instructions } });
      store.agent.communicationStyles = [];
      return store;
    };

    it.each([
      'Antworte immer fröhlich und locker.',
      'Sei begeistert von jedem Rad, das wir verkaufen.',
      'Emojis verwenden, wo es passt.',
      'Schreib mit vielen Ausrufezeichen.',
      'Gib zum Schluss eine Empfehlung für Zubehör.',
      'Passendes Zubehör empfehlen.',
      'Empfiehl immer passendes Zubehör.',
      'Erwähne aktuelle Rabatte.',
      'Weise auf laufende Aktionen hin.',
      // A restraint on one thing leaves the cheer asked for in the rest.
      'Fröhlich bleiben und Fachjargon vermeiden.',
      'Emojis gern verwenden, Floskeln vermeiden.',
    ])('asks for cheer: %s', (description) => {
      expect(draftByRules(upset, withStyle(description))?.patch).toMatchObject({
        kind: 'agent.communication-style.edit',
        title: GERMAN.style.title,
      });
    });

    it.each([
      'Keine Emojis.',
      'Höchstens ein Emoji pro Nachricht.',
      'Max. ein Emoji.',
      'Sachlich und freundlich antworten.',
      'Ohne Ausrufezeichen.',
      'Nicht zu fröhlich, eher ruhig.',
      'Verwende keine Emojis und keine Ausrufezeichen.',
      // German puts the verb last: a restraint may follow what it limits.
      'Emojis vermeiden.',
      'Auf Emojis verzichten.',
      'Emojis und Ausrufezeichen weglassen.',
      'Emojis nur sparsam einsetzen.',
      'Emojis sind tabu.',
      'Empfiehl nie Zubehör.',
      'Erwähne keine Rabatte.',
      'Zubehör nur empfehlen, wenn der Kunde fragt.',
      'Empfiehl Zubehör nur, wenn der Kunde danach fragt.',
      // Lookalikes: other advice, other offers.
      'Fragen zum Zubehör beantworten.',
      'Empfiehl die passende Rahmengröße.',
      'Biete einen Umtausch gegen einen anderen Artikel an.',
    ])('restrains cheer or asks for none: %s', (description) => {
      expect(draftByRules(upset, withStyle(description))?.patch).toMatchObject({
        kind: 'agent.communication-style.add',
        style: { title: 'Betroffene oder verärgerte Kunden' },
      });
    });

    it('reads skill instructions that ask for cheer or selling as the cause', () => {
      const draft = draftByRules(
        upset,
        withInstructions('Prüfe die Bestellung. Gib am Ende eine Empfehlung für Zubehör.'),
      );
      expect(draft?.patch).toMatchObject({ kind: 'skill.update', skillId: 'sk_orders' });
      expect(textOf(draft?.patch)).toContain('Wenn ein Kunde einen Todesfall');
      expect(
        draftByRules(upset, withInstructions('Prüfe die Bestellung. Keine Emojis.'))?.patch,
      ).toMatchObject({ kind: 'agent.communication-style.add' });
    });

    it.each([
      'Antworten kurz halten.',
      'Halte dich kurz.',
      'Halte die Antworten kurz und sachlich.',
      'Fasse dich kurz.',
      'So knapp wie möglich antworten.',
      'Antworte möglichst kurz.',
      'Antworte in einem Satz.',
      'Sei kurz.',
      'Keine Floskeln.',
      'Kein Smalltalk.',
    ])('rewrites a terse instruction warmly: %s', (terse) => {
      const tone = storeFinding({ category: 'tone', topic: 'Tonfall' });
      const draft = draftByRules(tone, withInstructions(`Prüfe die Bestellung. ${terse}`));
      expect(draft?.patch).toEqual({
        kind: 'skill.update',
        skillId: 'sk_orders',
        changes: { instructions: `Prüfe die Bestellung. ${WORDING.de.warmLine}` },
      });
    });

    it.each([
      'Halte kurz Rücksprache mit dem Lager.',
      'Halte den Kunden kurz auf dem Laufenden.',
      'Wartezeiten kurz halten.',
      'Halte die Wartezeit so kurz wie möglich.',
      'Die Antwortzeiten kurz halten.',
      'Erkläre kurz den Ablauf.',
      'Gib eine kurze Zusammenfassung.',
    ])('reads no terse directive in: %s', (instruction) => {
      const tone = storeFinding({ category: 'tone', topic: 'Tonfall' });
      const draft = draftByRules(tone, withInstructions(`Prüfe die Bestellung. ${instruction}`));
      expect(draft?.patch).toMatchObject({
        kind: 'agent.communication-style.add',
        style: { title: WORDING.de.courteousStyle.title },
      });
    });
  });

  it('French and Spanish tone directives are read at the start of a sentence too', () => {
    const tone = storeFinding({ category: 'tone', topic: 'ton' });
    for (const [store, terse] of [
      [FRENCH, 'Soyez bref.'],
      [SPANISH, 'Sea breve.'],
    ] as const) {
      const v = storeView({ ...store, skill: { ...store.skill, instructions: terse } });
      expect(draftByRules(tone, v)?.patch, terse).toMatchObject({ kind: 'skill.update' });
    }
    const upset = storeFinding({ category: 'tone', topic: BEHAVIOUR_TOPICS.upset });
    const joyful = storeView({
      ...FRENCH,
      style: { ...FRENCH.style, description: 'Joyeux et drôle.' },
    });
    expect(draftByRules(upset, joyful)?.patch).toMatchObject({
      kind: 'agent.communication-style.edit',
    });
  });

  it('a German exception, once filled, is known as one: the rule is not narrowed twice', () => {
    const asked = (store: AgentConfigView) =>
      draftByRules(
        storeFinding({
          category: 'unnecessary_escalation',
          skillId: null,
          topic: 'Dauer der Erstattung',
          evidence: quotes('Wann kommt meine Erstattung?'),
        }),
        store,
      );
    const draft = asked(storeView(GERMAN));
    if (draft?.patch.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    expect(draft.patch.rule.description).toContain('Ausnahme: Fragen, die die Wissensdatenbank');
    expect(draft.patch.rule.description).not.toContain('Exception');
    const [placeholder] = placeholdersInPatch(draft.patch);
    const filled = fillPlaceholders(draft.patch, {
      [placeholder!]: 'wenn der Kunde "Erstattung abgelehnt" schreibt',
    });
    if (filled.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    expect(asked(storeView({ ...GERMAN, rule: filled.rule }))).toBeNull();
  });

  it('a German store: a topic asking for a person gets the ask-for-a-person rule', () => {
    const asked = (topic: string, store = storeView(GERMAN)) =>
      draftByRulesWithReason(storeFinding({ category: 'missed_escalation', topic }), store);
    for (const topic of [
      'Mensch am Telefon',
      'mit Menschen sprechen',
      'Mitarbeiter verlangt',
      'Mitarbeiterin im Laden',
      'Ansprechpartner für Reparaturen',
      'Berater gewünscht',
      'Beraterin anrufen',
      'jemand vom Team',
      'jemanden erreichen',
    ]) {
      expect(asked(topic).draft?.patch, topic).toMatchObject({
        kind: 'agent.escalation-rule.add',
        rule: { title: 'Kunde möchte mit einem Menschen sprechen', status: 'enabled' },
      });
    }
    // Lookalikes name a topic, not a person: staff discounts, advice, a partner programme.
    for (const topic of ['Mitarbeiterrabatt', 'Beratungstermin', 'Partnerprogramm']) {
      expect(asked(topic).draft?.patch, topic).toMatchObject({
        kind: 'agent.escalation-rule.add',
        rule: { title: `Übergabe: ${topic.toLowerCase()}` },
      });
    }

    // An enabled German rule that names a person already covers it; one that only says
    // "jemand" (anyone who mentions something) does not.
    const contact: GuidanceItem = {
      title: 'Persönlicher Kontakt',
      description: 'Übergib an das Team, wenn der Kunde nach einem Ansprechpartner fragt.',
      status: 'enabled',
    };
    const covered = asked('Mitarbeiter verlangt', storeView({ ...GERMAN, rule: contact }));
    expect(covered.draft).toBeNull();
    expect(covered.reason).toContain('"Persönlicher Kontakt" already covers this');
    const anyone: GuidanceItem = {
      title: 'Beschwerden',
      description: 'Übergib an das Team, sobald jemand sich über eine Lieferung beschwert.',
      status: 'enabled',
    };
    expect(
      asked('jemanden erreichen', storeView({ ...GERMAN, rule: anyone })).draft?.patch,
    ).toMatchObject({ kind: 'agent.escalation-rule.add' });
  });

  it('an English store still gets English text', () => {
    const english = storeView({
      ...FRENCH,
      skill: {
        description: 'Answers questions about orders, delivery and returns.',
        instructions: 'Look up the order before you answer and share the tracking link.',
      },
      snippet: { title: 'Refund timing', content: 'Refunds arrive within 5 to 10 business days.' },
      rule: {
        title: 'Refunds',
        description: 'Hand off when the shopper mentions a "refund".',
        status: 'enabled',
      },
      style: { title: 'Fun', description: 'Always upbeat, with emojis.', status: 'enabled' },
    });
    expect(textOf(draftByRules(storeFinding({ topic: 'gift cards' }), english)?.patch)).toContain(
      'Shoppers ask about gift cards.',
    );
  });
});
