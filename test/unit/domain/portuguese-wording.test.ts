import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_TOPICS } from '../../../src/domain/finding.js';
import { languageOf } from '../../../src/domain/language.js';
import { fillPlaceholders, placeholdersInPatch } from '../../../src/domain/placeholders.js';
import { DRAFTER_WORDING, WORDING, type Wording } from '../../../src/domain/wording.js';
import { draftByRules } from '../../../src/loop/synthesize/offline-drafter.js';
import {
  expectPasses,
  quotes,
  storeFinding,
  storeView,
  textOf,
  type Store,
} from '../../helpers/drafting-store.js';

/**
 * Brazilian Portuguese: a Portuguese store is read as Portuguese (not Spanish, whose small words
 * it shares), and the rules drafter writes its lines in Portuguese.
 */

const PORTUGUESE: Store = {
  skillName: 'Pedidos',
  skill: {
    description: 'Dúvidas sobre pedidos, prazo de entrega, rastreio dos Correios e trocas.',
    instructions:
      'Você ajuda os clientes com os pedidos. Consulte o pedido antes de responder e envie o código de rastreio.',
  },
  snippet: {
    title: 'Prazo do reembolso',
    content:
      'O reembolso é feito em até 7 dias úteis após recebermos a devolução. No cartão, o estorno pode aparecer em até duas faturas.',
  },
  rule: {
    title: 'Reembolsos',
    description: 'Transfira para a equipe sempre que o cliente mencionar "reembolso".',
    status: 'enabled',
  },
  style: {
    title: 'Emojis em todas as respostas',
    description: 'Use pelo menos dois emojis em cada resposta para manter o clima leve e próximo.',
    status: 'enabled',
  },
};

/** Every text of a wording, its templates filled with a marker topic. */
function textsOf(w: Wording): string[] {
  const t = 'TOPICO';
  return [
    w.personRule.title,
    w.personRule.description,
    w.topicRule(t).title,
    w.topicRule(t).description,
    ...Object.values(w.situations).flatMap((s) => [s.title, s.what]),
    w.situationDescription('harm', '"queimadura"'),
    w.moreTriggers('"queimadura"'),
    w.exception(t, w.exceptionWhen(t)),
    w.exceptionMark,
    w.answerFirst(t),
    w.snippetAddition(t),
    w.snippetContent(t),
    w.notHereWords('"aro"'),
    w.notHere(w.skillQuestions('Presentes'), 'Presentes'),
    w.questionsAbout(t),
    w.claims('"aro"', 'Catálogo', 'Presentes'),
    w.describedAs('"aro"'),
    w.belongsElsewhere(t, 'Catálogo'),
    w.alsoHandles(t),
    w.mayNotBelong(t),
    w.reask(Object.values(w.details).join(', ')),
    w.someDetails,
    w.confirmFirst,
    w.askFirst,
    w.doAsked,
    w.topicLine(t),
    w.courteousStyle.title,
    w.courteousStyle.description,
    w.warmLine,
    w.upsetException,
    w.upsetStyleTitle,
  ];
}

describe('Portuguese detection', () => {
  it('reads a Brazilian configuration as Portuguese, its English product names included', () => {
    expect(
      languageOf([
        'Dúvidas sobre as peças: materiais, preços, disponibilidade e cuidados com as joias.',
        'Você ajuda clientes a escolher peças. Não transfira conversas sobre produtos para atendimento humano.',
        'Transfira para a equipe quando o cliente disser que o pedido foi "extraviado".',
      ]),
    ).toBe('pt');
    expect(
      languageOf([
        'Ajuda com o Smart Ring, o Gold Plated Set e o Charm Bracelet da coleção Summer.',
        'Informe o prazo de produção e o preço em reais.',
      ]),
    ).toBe('pt');
  });

  it.each([
    [
      'Responda às dúvidas sobre o envio e a troca de tamanho; o prazo é de 7 dias.',
      'Responda las dudas sobre el envío y el cambio de talla; el plazo es de 7 días.',
    ],
    [
      'Se o cliente não recebeu o pedido, peça o número do pedido e verifique o rastreio.',
      'Si el cliente no recibió el pedido, pida el número de pedido y verifique el rastreo.',
    ],
    [
      'Você pode trocar a peça em até 30 dias, com a etiqueta e a nota fiscal.',
      'Usted puede cambiar la pieza en hasta 30 días, con la etiqueta y la factura.',
    ],
    [
      'Obrigado pela compra! Seu pedido está a caminho e chega em breve.',
      '¡Gracias por la compra! Su pedido está en camino y llega pronto.',
    ],
    [
      'As devoluções são gratuitas para pedidos acima de R$ 200.',
      'Las devoluciones son gratuitas para pedidos de más de 200 pesos.',
    ],
    [
      'Informe o endereço completo: rua, número, bairro e CEP. Não enviamos para caixa postal.',
      'Indique la dirección completa: calle, número, colonia y código postal. No enviamos a apartados.',
    ],
  ])('tells Portuguese from Spanish that looks like it: %s', (portuguese, spanish) => {
    expect(languageOf([portuguese])).toBe('pt');
    expect(languageOf([spanish])).toBe('es');
  });

  it('reads Portuguese by its spellings when its small words are few', () => {
    // "para" and "por" are Spanish markers too; "ção", "ões", "lh" and "nh" are Portuguese only.
    expect(languageOf(['Condições para parcelamento por cartão.'])).toBe('pt');
    expect(languageOf(['Trabalhamos com a melhor garantia: minha loja, tenho orgulho.'])).toBe(
      'pt',
    );
    expect(languageOf(['Muito obrigada por comprar conosco!'])).toBe('pt');
  });

  it('does not read English, French, Spanish or German as Portuguese', () => {
    expect(
      languageOf([
        'Answers questions about the São Paulo and Lençóis collections, and their shipping.',
        'Ask for the order number when the shopper has not given it.',
      ]),
    ).toBe('en');
    expect(
      languageOf([
        'Répond aux questions des clients sur le suivi des colis et les retours du magasin.',
        'Demander le numéro de commande ou l’adresse e-mail avant de donner une date.',
      ]),
    ).toBe('fr');
    expect(
      languageOf([
        'Responde las preguntas de los clientes sobre el envío, las devoluciones y los reembolsos.',
        'Si el cliente escribe mas de dos veces, ofrece una persona del equipo.',
        'España y Portugal: envío en 48 horas para pedidos con seguimiento.',
      ]),
    ).toBe('es');
    expect(
      languageOf([
        'Beantwortet Fragen zu Lieferzeiten und zur Sendungsverfolgung der Pakete.',
        'Frage nach der Bestellnummer, falls sie fehlt, und nenne um 10 Uhr das Versanddatum.',
      ]),
    ).toBe('de');
  });
});

describe('Portuguese wording', () => {
  const pt = WORDING.pt;

  it('has a Portuguese text for every template, with no English or Spanish left in it', () => {
    const texts = textsOf(pt);
    expect(texts).toHaveLength(textsOf(WORDING.en).length);
    for (const text of texts) {
      expect(text.trim(), text).not.toBe('');
      expect(text, text).not.toMatch(
        /\b(?:the|shopper|hand off|questions|handoff|usted|cliente pida|preguntas|respuestas)\b/i,
      );
    }
    // Every text but the titles, placeholders and the list of details reads Portuguese.
    expect(languageOf(texts)).toBe('pt');
    for (const text of [
      pt.personRule.description,
      pt.situationDescription('legal', '"advogado"'),
      pt.exception('trocas', 'quando o cliente escrever "troca recusada"'),
      pt.snippetContent('vale-presente'),
      pt.reask(pt.details.order),
      pt.confirmFirst,
      pt.askFirst,
      pt.doAsked,
      pt.courteousStyle.description,
      pt.upsetException,
    ]) {
      expect(languageOf([text]), text).toBe('pt');
    }
    // "Você" form and accents, not Spanish spellings.
    expect(texts.join('\n')).not.toMatch(/\b(?:usted|está usted|informacion|devolucion)\b/i);
  });

  it('keeps the {{fill: …}} placeholders, worded in Portuguese', () => {
    expect(pt.exceptionWhen('troca')).toBe(
      '{{fill: os casos de troca que precisam de uma pessoa — cite entre aspas as frases que acionam a regra, por exemplo "recusa de troca"}}',
    );
    expect(pt.snippetAddition('frete')).toContain('{{fill: detalhes sobre frete que faltam');
    expect(pt.snippetContent('frete').match(/\{\{fill: [^}]+\}\}/g)).toEqual([
      '{{fill: política de frete}}',
      '{{fill: prazos e custos de frete}}',
      '{{fill: exceções de frete}}',
    ]);
    expect(pt.topicLine('frete')).toBe(
      '- Quando um cliente tiver dúvidas sobre frete: {{fill: como lidar com frete}}',
    );
  });

  it('names every detail with its article, and its marks are in the drafter wording', () => {
    expect(Object.keys(pt.details).sort()).toEqual(Object.keys(WORDING.en.details).sort());
    for (const name of Object.values(pt.details)) expect(name).toMatch(/^(?:o|a|os|as) \p{L}/u);
    expect(pt.exception('x', 'y').startsWith(pt.exceptionMark)).toBe(true);
    for (const text of [pt.personRule.description, pt.upsetException, pt.warmLine]) {
      expect(DRAFTER_WORDING).toContain(text);
    }
  });
});

describe('drafting for a Portuguese store', () => {
  it('a snippet, a narrowed rule, a situation rule and a re-ask line in Portuguese', () => {
    const store = storeView(PORTUGUESE);
    const snippet = draftByRules(storeFinding({ topic: 'vale-presente' }), store);
    expect(snippet?.patch).toMatchObject({ kind: 'knowledge.create' });
    expect(textOf(snippet?.patch)).toContain('Os clientes têm dúvidas sobre vale-presente.');
    expect(textOf(snippet?.patch)).toContain('Responda de acordo com a política da loja:');
    expect(textOf(snippet?.patch)).not.toContain('Shoppers ask');

    const asks = ['Quando cai o meu reembolso?', 'Quanto tempo demora o reembolso no cartão?'];
    const narrowed = draftByRules(
      storeFinding({
        category: 'unnecessary_escalation',
        skillId: null,
        topic: 'prazo do reembolso',
        evidence: quotes(...asks),
      }),
      store,
    );
    if (narrowed?.patch.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    expect(narrowed.patch.rule.description).toMatch(
      /^Transfira para a equipe sempre que o cliente mencionar "reembolso"\. Exceção: as perguntas que a base de conhecimento responde \(como [Pp]razo do reembolso\) são respondidas, sem transferência; transfira apenas \{\{fill: /,
    );
    expect(narrowed.patch.rule.description).not.toContain('Exception');
    expectPasses(narrowed.patch, store, asks);

    // Filled, the exception is known as one: the rule is not narrowed twice.
    const [placeholder] = placeholdersInPatch(narrowed.patch);
    const filled = fillPlaceholders(narrowed.patch, {
      [placeholder!]: 'quando o cliente escrever "reembolso recusado"',
    });
    if (filled.kind !== 'agent.escalation-rule.edit') throw new Error('expected an edit');
    expect(
      draftByRules(
        storeFinding({
          category: 'unnecessary_escalation',
          skillId: null,
          topic: 'prazo do reembolso',
          evidence: quotes('Quando cai o meu reembolso?'),
        }),
        storeView({ ...PORTUGUESE, rule: filled.rule }),
      ),
    ).toBeNull();

    // A visitor who writes in English: the store's rule is still Portuguese.
    const harm = ['The necklace gave me a burn on my neck.', 'My daughter was injured.'];
    const rule = draftByRules(
      storeFinding({ category: 'missed_escalation', topic: 'lesões', evidence: quotes(...harm) }),
      store,
    );
    expect(rule?.patch).toMatchObject({
      kind: 'agent.escalation-rule.add',
      rule: { title: 'Lesões e segurança', status: 'enabled' },
    });
    expect(textOf(rule?.patch)).toContain('Transfira imediatamente para uma pessoa');
    expectPasses(rule!.patch, store, harm);

    const reask = quotes('Pode me informar o seu e-mail, por favor?');
    const reasked = draftByRules(
      storeFinding({ category: 'instruction_gap', topic: BEHAVIOUR_TOPICS.reask, evidence: reask }),
      store,
    );
    expect(textOf(reasked?.patch)).toContain('- Antes de pedir ');
    expect(textOf(reasked?.patch)).toContain('leia as mensagens anteriores do cliente');
  });

  it('the cheerful style gains the Portuguese exception for upset shoppers', () => {
    const upset = draftByRules(
      storeFinding({
        category: 'tone',
        topic: BEHAVIOUR_TOPICS.upset,
        evidence: quotes('Minha mãe faleceu e o presente era para ela.'),
      }),
      storeView(PORTUGUESE),
    );
    expect(upset?.patch).toMatchObject({
      kind: 'agent.communication-style.edit',
      title: 'Emojis em todas as respostas',
    });
    expect(textOf(upset?.patch)).toContain('Quando um cliente mencionar uma morte');
    expect(textOf(upset?.patch)).not.toContain('When a shopper');
  });

  describe('what asks for cheer, what restrains it, what is terse', () => {
    const upset = storeFinding({ category: 'tone', topic: BEHAVIOUR_TOPICS.upset });
    const withStyle = (description: string) =>
      storeView({ ...PORTUGUESE, style: { ...PORTUGUESE.style, description } });
    const withInstructions = (instructions: string) => {
      const store = storeView({ ...PORTUGUESE, skill: { ...PORTUGUESE.skill, instructions } });
      store.agent.communicationStyles = [];
      return store;
    };

    it.each([
      'Responda sempre animada e descontraída.',
      'Seja bem-humorada e use pontos de exclamação.',
      'Mostre empolgação com cada peça.',
      'Sugira outras peças da coleção no fim de cada resposta.',
      'Recomende um acessório que combine.',
      'Mencione os cupons e as promoções da semana.',
      'Termine sempre com uma sugestão de produtos.',
      // A restraint on one thing leaves the cheer asked for in the rest.
      'Seja animada e evite gírias.',
    ])('asks for cheer: %s', (description) => {
      expect(draftByRules(upset, withStyle(description))?.patch).toMatchObject({
        kind: 'agent.communication-style.edit',
        title: PORTUGUESE.style.title,
      });
    });

    it.each([
      'Não use emojis.',
      'Sem emojis.',
      'No máximo um emoji por mensagem.',
      'Evite pontos de exclamação.',
      'Emojis com moderação.',
      'Emojis só quando o cliente usar.',
      'Nunca recomende outros produtos.',
      'Mencione que não há cupons nesta semana.',
      'Responda com educação e objetividade.',
      // Lookalikes: other offers, other endings.
      'Ofereça uma troca de tamanho.',
      'Recomende o tamanho certo do aro.',
      'Termine a conversa com o número do protocolo.',
    ])('restrains cheer or asks for none: %s', (description) => {
      expect(draftByRules(upset, withStyle(description))?.patch).toMatchObject({
        kind: 'agent.communication-style.add',
        style: { title: WORDING.pt.upsetStyleTitle, description: WORDING.pt.upsetException },
      });
    });

    it('reads skill instructions that ask for selling as the cause', () => {
      const draft = draftByRules(
        upset,
        withInstructions('Consulte o pedido. Sugira outros produtos ao final.'),
      );
      expect(draft?.patch).toMatchObject({ kind: 'skill.update', skillId: 'sk_orders' });
      expect(textOf(draft?.patch)).toContain('Quando um cliente mencionar uma morte');
    });

    it.each([
      'Seja breve.',
      'Seja sucinta e direta.',
      'Seja curta e objetiva.',
      'Mantenha as respostas curtas.',
      'Responda de forma breve.',
      'Responda em uma frase.',
      'Responda com o mínimo de palavras possível.',
      'Sem saudações.',
    ])('rewrites a terse instruction warmly: %s', (terse) => {
      const tone = storeFinding({ category: 'tone', topic: 'tom' });
      const draft = draftByRules(tone, withInstructions(`Consulte o pedido. ${terse}`));
      expect(draft?.patch).toEqual({
        kind: 'skill.update',
        skillId: 'sk_orders',
        changes: { instructions: `Consulte o pedido. ${WORDING.pt.warmLine}` },
      });
    });

    it.each([
      'Mantenha o cliente informado.',
      'Explique brevemente o processo de troca.',
      'Faça um breve resumo do pedido.',
      'Mantenha o prazo de resposta curto.',
      'Seja breve na espera: avise se demorar.',
    ])('reads no terse directive in: %s', (instruction) => {
      const tone = storeFinding({ category: 'tone', topic: 'tom' });
      const draft = draftByRules(tone, withInstructions(`Consulte o pedido. ${instruction}`));
      expect(draft?.patch).toMatchObject({
        kind: 'agent.communication-style.add',
        style: { title: WORDING.pt.courteousStyle.title },
      });
    });
  });
});
