import { describe, expect, it } from 'vitest';
import {
  admittedSubject,
  agentHandsOff,
  agentLacksInfo,
  agentOffersHandoff,
  agentRefusesHandoff,
  agentReportsError,
  contradictsAnswer,
  disownsHandoff,
  givesUp,
  isClosing,
  isHumanAsk,
  resigned,
  saysNotAnswered,
  toneComplaint,
} from '../../../../src/loop/diagnose/offline/signals.js';
import {
  frustrated,
  needsPerson,
  saysRepeated,
  shopperState,
} from '../../../../src/domain/situations.js';
import { contentTokens, spacedWords } from '../../../../src/domain/text.js';
import { givenDetails, requestedDetails } from '../../../../src/domain/detail-requests.js';

/*
 * Portuguese as Brazilian shoppers and agents write it, WhatsApp style ("vc", "pq", "obg", accents
 * dropped) and in full, with a few European forms. Written for this test; none of it comes from a
 * labelled store. Each signal has its lookalikes beside it.
 */

describe('what a Portuguese-speaking agent says', () => {
  it.each([
    'Vou te transferir para a nossa equipe de atendimento 😊',
    'Já encaminhei sua solicitação ao setor financeiro.',
    'Estou passando seu caso para uma atendente, tá bom?',
    'Uma consultora vai te responder ainda hoje.',
    'A equipe entrará em contato com você por e-mail.',
  ])('%j hands off', (text) => {
    expect(agentHandsOff(text)).toBe(true);
  });

  it.each([
    'Quer que eu te transfira para um atendente?',
    'Posso te passar pra nossa equipe?',
    'Gostaria de falar com uma consultora?',
  ])('%j offers a person, and does not hand off yet', (text) => {
    expect(agentOffersHandoff(text)).toBe(true);
    expect(agentHandsOff(text)).toBe(false);
  });

  it.each([
    'Vou te passar o código de rastreio agora.',
    'A equipe da fábrica revisou todas as peças.',
    'Encaminhei a nota fiscal pro seu e-mail.',
  ])('%j does not hand off', (text) => {
    expect(agentHandsOff(text)).toBe(false);
  });

  it('refuses a person in Portuguese', () => {
    expect(agentRefusesHandoff('Infelizmente não consigo te transferir agora.')).toBe(true);
    expect(agentRefusesHandoff('Não temos atendentes disponíveis no fim de semana.')).toBe(true);
    expect(agentRefusesHandoff('Não temos loja física, só online.')).toBe(false);
  });

  it.each([
    'Infelizmente não tenho informação sobre a composição da liga.',
    'Não sei se essa coleção volta ao estoque.',
    'Não consigo confirmar o prazo exato pra Portugal.',
    'Não saberia te dizer qual a espessura da corrente.',
    'Essa informação não consta aqui no meu sistema.',
  ])('%j lacks the information', (text) => {
    expect(agentLacksInfo(text)).toBe(true);
  });

  it.each([
    'Não tem problema, o frete é grátis acima de R$ 200.',
    'Não temos loja física, mas enviamos pra todo o Brasil.',
    'Não se preocupe, a troca é gratuita.',
  ])('%j does not', (text) => {
    expect(agentLacksInfo(text)).toBe(false);
  });

  it.each([
    ['Não tenho informações sobre banho de ródio negro, infelizmente.', 'banho de ródio negro'],
    ['Não sei te dizer se enviamos para Angola.', 'enviamos para angola'],
    ['Não tenho detalhes a respeito da garantia estendida.', 'garantia estendida'],
  ])('%j lacks %j', (text, subject) => {
    expect(admittedSubject(text)).toBe(subject);
  });

  it.each([
    'O sistema de rastreio está fora do ar no momento.',
    'A consulta ainda não está respondendo 😕',
    'Tive um probleminha pra consultar seu pedido, tenta de novo daqui a pouco?',
    'Não consegui acessar o rastreio agora.',
    'Estamos com uma instabilidade no sistema.',
    'Deu erro ao consultar a transportadora.',
  ])('%j reports an error', (text) => {
    expect(agentReportsError(text)).toBe(true);
  });

  it.each([
    'O site tem a tabela de medidas completa.',
    'Nosso sistema de gravação a laser é bem preciso ✨',
    'Não consegui encontrar o pedido com esse número, pode conferir?',
    'Pode ter sido alguma instabilidade no seu navegador.',
  ])('%j does not', (text) => {
    expect(agentReportsError(text)).toBe(false);
  });
});

describe('what a Portuguese-speaking shopper says', () => {
  it.each([
    'quero falar com um atendente',
    'tem alguém humano aí??',
    'me passa pra uma pessoa de verdade pfv',
    'Gostaria de falar com o responsável pela loja.',
    'alguém da loja pode me ligar?',
  ])('%j asks for a person', (text) => {
    expect(isHumanAsk(text)).toBe(true);
  });

  it.each([
    'não precisa de atendente, só quero saber o prazo',
    'vou falar com a pessoa que vai ganhar o presente',
    'a atendente da loja física foi ótima',
  ])('%j does not', (text) => {
    expect(isHumanAsk(text)).toBe(false);
  });

  it.each([
    ['obg!', true],
    ['ah blz, brigada', true],
    ['valeu, tá bom', true],
    ['Muito obrigado pela ajuda.', true],
    ['obrigado por nada', false],
    ['não entendi', false],
  ])('%j closes the conversation: %s', (text, closing) => {
    expect(isClosing(text)).toBe(closing);
  });

  it.each([
    'obrigada mesmo assim',
    'valeu de qualquer forma',
    'ok, vou me virar',
    'achei que a loja ia me ajudar',
  ])('%j signs off resigned', (text) => {
    expect(resigned(text)).toBe(true);
  });

  it.each(['obrigada, chegou certinho!', 'valeu, vou fazer o pedido'])('%j does not', (text) => {
    expect(resigned(text)).toBe(false);
  });

  it.each([
    'não foi isso que eu perguntei',
    'vc não leu minha mensagem?',
    'isso não é resposta',
    'eu não perguntei isso',
    'mas é sim ou não?',
  ])('%j says the reply missed the question', (text) => {
    expect(saysNotAnswered(text)).toBe(true);
  });

  it.each(['não foi entregue ainda', 'isso é prata mesmo?'])('%j does not', (text) => {
    expect(saysNotAnswered(text)).toBe(false);
  });

  it.each([
    'era só uma pergunta simples, precisa de atendente?',
    'eu só queria saber antes de comprar',
    'não é reclamação, é só uma dúvida',
    'pq me transferiu?',
  ])('%j says the handoff was not needed', (text) => {
    expect(disownsHandoff(text)).toBe(true);
  });

  it.each(['tenho uma dúvida sobre o anel', 'a equipe foi muito atenciosa'])(
    '%j does not',
    (text) => {
      expect(disownsHandoff(text)).toBe(false);
    },
  );

  it.each([
    'deixa pra lá',
    'ah esquece, vou comprar em outro lugar',
    'vou procurar outra loja',
    'perda de tempo',
    'deixa quieto',
  ])('%j gives up', (text) => {
    expect(givesUp(text)).toBe(true);
  });

  it.each(['não esquece de colocar o cartão de presente', 'vou comprar mais um pra minha irmã'])(
    '%j does not',
    (text) => {
      expect(givesUp(text)).toBe(false);
    },
  );

  it.each([
    'já te passei o número do pedido',
    'como eu disse, é aro 16',
    'tá na minha primeira mensagem',
    'terceira vez que eu mando isso',
  ])('%j says it was given already', (text) => {
    expect(saysRepeated(text)).toBe(true);
  });

  it.each(['já recebi, obrigada', 'já conferi com o porteiro'])('%j does not', (text) => {
    expect(saysRepeated(text)).toBe(false);
  });

  it.each(['sério? de novo isso', 'isso não ajudou em nada', 'aff', 'vc leu o que eu escrevi?'])(
    '%j is frustrated',
    (text) => {
      expect(frustrated(text)).toBe(true);
    },
  );

  it.each(['obrigada, ajudou muito', 'qual o prazo pra Recife?'])('%j is not', (text) => {
    expect(frustrated(text)).toBe(false);
  });

  it.each([
    'sem carinha por favor',
    'parem com esses emojis',
    'vc acha isso engraçado?',
    'não tem graça nenhuma',
    'que resposta seca',
  ])('%j complains of the tone', (text) => {
    expect(toneComplaint(text)).toBe('strong');
  });

  it.each(['amei os emojis da embalagem', 'qual o preço do anel?'])('%j does not', (text) => {
    expect(toneComplaint(text)).toBeNull();
  });

  it.each([
    'no site diz 6x sem juros',
    'no Instagram de vcs tá 10% off',
    'no checkout só aparece 3x',
    'vi no anúncio que o frete era grátis',
    'a atendente me disse que dava pra trocar',
    'igual vc falou pra minha prima',
    'vcs anunciam uma coisa e cobram outra',
  ])('%j holds up another source', (text) => {
    expect(contradictsAnswer(text)).toBe(true);
  });

  it.each([
    'o site dos correios ainda mostra parado',
    'o código não aparece no site',
    'no site tá esgotado',
    'onde no site eu vejo a tabela?',
  ])('%j does not', (text) => {
    expect(contradictsAnswer(text)).toBe(false);
  });
});

describe('situations told in Portuguese', () => {
  it.each([
    ['usei o brinco e deu uma reação alérgica', 'harm'],
    ['a orelha ficou inflamada e com pus', 'harm'],
    ['meu filho engoliu uma peça pequena', 'harm'],
    ['levei ela no pronto socorro', 'harm'],
    ['vou abrir uma reclamação no Procon', 'legal'],
    ['meu advogado vai entrar em contato', 'legal'],
    ['vou entrar na justiça contra vcs', 'legal'],
    ['vou postar no Reclame Aqui', 'legal'],
    ['meu cartão foi clonado e apareceu essa compra', 'fraud'],
    ['caí num golpe de um site falso', 'fraud'],
    ['tem uma compra que eu não fiz na minha fatura', 'fraud'],
  ])('%j needs a person: %s', (text, kind) => {
    expect(needsPerson(text)).toBe(kind);
  });

  it.each([
    'tenho alergia a níquel, a prata de vcs tem níquel?',
    'trabalho no hospital e quero um relógio discreto',
    'como funciona o processo de gravação?',
    'vcs são confiáveis ou é golpe?',
    'não quero envenenar ninguém com tinta barata',
    'a vendedora me deu um golpe de vista incrível',
  ])('%j does not', (text) => {
    expect(needsPerson(text)).toBeNull();
  });

  it.each([
    ['minha mãe faleceu mês passado, o colar era dela', 'grief'],
    ['perdi meu pai em agosto', 'grief'],
    ['ele morreu semana passada', 'grief'],
    ['to arrasada, chorei o dia todo', 'distress'],
    ['fui assaltada e levaram minha aliança', 'distress'],
    ['que absurdo, vcs não têm vergonha', 'anger'],
    ['isso é uma palhaçada', 'anger'],
  ])('%j reads as %s', (text, state) => {
    expect(shopperState(text)).toBe(state);
  });

  it.each([
    'a bateria do relógio morreu, vcs trocam?',
    'tenho vergonha de perguntar, mas qual o preço?',
    'qual o prazo de entrega pra Curitiba?',
  ])('%j is no state', (text) => {
    expect(shopperState(text)).toBeNull();
  });
});

describe('details asked for and given in Portuguese', () => {
  it.each([
    ['Me passa o número do pedido, por favor.', 'order'],
    ['Pode me informar o CEP?', 'address'],
    ['Preciso do seu CPF pra emitir a nota.', 'reference'],
    ['Qual é o seu aro?', 'size'],
    ['Me manda uma foto da peça?', 'photo'],
  ])('%j asks for the %s', (text, detail) => {
    expect(requestedDetails(text).has(detail as never)).toBe(true);
  });

  it('asks for nothing in a plain statement', () => {
    expect(requestedDetails('O anel custa R$ 189 e vem com certificado.').size).toBe(0);
  });

  it('reads a CPF as a reference and a CEP as an address, not an order number', () => {
    expect([...givenDetails('meu cpf é 123.456.789-09')]).toEqual(['reference']);
    expect([...givenDetails('cep 01310-100')]).toEqual(['address']);
    expect(givenDetails('o aro é 16').has('size')).toBe(false);
    expect(givenDetails('pode ser aro 16').has('size')).toBe(true);
  });
});

describe('Portuguese small words and shorthand', () => {
  it('name no topic', () => {
    const tokens = contentTokens('oi! vc já viu essa prata? pq não tem selo, né');
    expect(tokens.has('prata')).toBe(true);
    for (const small of ['oi', 'vc', 'ja', 'essa', 'pq', 'nao', 'ne']) {
      expect(tokens.has(small)).toBe(false);
    }
  });

  it('read "vc", "pq" and "obg" as the words they stand for', () => {
    expect(spacedWords('vc sabe pq? obg')).toBe(' voce sabe porque obrigado ');
  });
});
