import { describe, expect, it } from 'vitest';
import {
  admittedSubject,
  contradictsAnswer,
  disownsHandoff,
  standsOnSource,
  ownsConfusion,
  reportsBrokenDeliverable,
  agentAsks,
  agentHandsOff,
  agentLacksInfo,
  agentRefusesHandoff,
  agentReportsError,
  refersElsewhere,
  resigned,
  givesUp,
  isClosing,
  isHumanAsk,
  isQuestion,
  reportsOwnProblem,
  saysNotAnswered,
  statesScopeLimit,
  toneComplaint,
} from '../../../../src/loop/diagnose/offline/signals.js';
import { frustrated, saysRepeated } from '../../../../src/domain/situations.js';
import {
  bestCoverage,
  drawnFrom,
  indexContext,
} from '../../../../src/loop/diagnose/offline/matching.js';

describe('what the agent says it lacks', () => {
  it.each([
    "I don't have guidance on which items suit sensitive skin.",
    "I'm not able to confirm whether the courier goes to the islands.",
    "I don't have the exact lead time for custom orders available.",
    'We are unable to advise if the strap fits the older model.',
    'Sadly I have no gift wrapping information to share.',
    "I don't have anything about engraving, sorry!",
    "Layaway isn't something I have details on.",
    "That's not something we can confirm here.",
    "Sorry, I don't have more detail on that.",
    "I don't have a way to check which batch is on the shelf.",
    "I don't have the steps for pram warranty claims available.",
    "Sorry, I don't have the warranty policy details on hand.",
    "I don't have a prorate schedule I can share at the moment.",
    "I don't have the care instructions for the jumper in front of me.",
    "I'm not finding anything about ordering the spare lids on their own.",
    "I don't see a fee listed for gift engraving.",
    "I understand. I'm not able to confirm that.",
    "I don't have an official sizing chart for the toddler range, I'm afraid.",
    "I don't have a confirmed restock date to give you.",
    "I don't see a published cutoff for New Year delivery.",
    "I really can't say whether the glaze is dishwasher safe.",
    "Je n'ai malheureusement pas d'information sur la garantie.",
    'No tengo información sobre envíos a Puerto Rico.',
    'No tengo el dato exacto del plazo para cambiar la talla.',
    'Disculpe, no cuento con la confirmación de esa fecha.',
    "Je n'ai pas la confirmation du délai de fabrication.",
    "Je n'ai pas le détail des frais pour la Suisse.",
    // The admission, then the offer as its own question (Spanish opens it with "¿").
    'Sobre el uso en horno no tengo la información exacta; ¿quieres que te contacte alguien?',
  ])('%j admits a gap', (text) => {
    expect(agentLacksInfo(text)).toBe(true);
  });

  it.each([
    "I'm not able to connect you right now, but here is the link.",
    'We have the exact size you asked for in stock.',
    'Could you confirm whether the order number starts with 4?',
    'We have an official stockist list on the site, here is the link.',
    "I don't have a set of those in blue, but the green is in stock.",
    "We don't have a firm one in the double, only medium.",
    'I really can recommend the linen, it softens beautifully.',
    "Je n'ai pas de doute, c'est la bonne ampoule.",
    'No tengo dudas, es la maceta correcta.',
    "Je n'ai pas le temps de vous appeler, mais voici le lien du suivi.",
    'No tengo el color rojo, pero sí el azul.',
    '¿No tengo la información de envío en mi cuenta?',
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
    expect(admittedSubject("I don't have anything on engraving, sorry about that.")).toBe(
      'engraving',
    );
    expect(admittedSubject("I wasn't able to find any layaway details.")).toBe('layaway');
    expect(admittedSubject("Sorry, I don't have information on that.")).toBeNull();
    expect(admittedSubject('Your parcel ships tomorrow.')).toBeNull();
    // A clause of its own after the subject is not part of it.
    expect(
      admittedSubject("I don't have details on which lot numbers we're sending out right now!"),
    ).toBe('which lot numbers');
  });

  it('reads the subject in Spanish and French, up to the comma', () => {
    expect(
      admittedSubject(
        'No dispongo de información sobre los portes a Baleares, así que mejor no te digo nada.',
      ),
    ).toBe('los portes a baleares');
    expect(admittedSubject('Lo siento, no tengo datos sobre el montaje de la campana.')).toBe(
      'el montaje de la campana',
    );
    expect(
      admittedSubject("Je n'ai pas d'information sur la garantie des fixations, désolée."),
    ).toBe('la garantie des fixations');
    expect(admittedSubject('No tengo información sobre eso.')).toBeNull();
  });
});

describe('complaints about how the agent answered', () => {
  it.each([
    "Please don't try to sell me things right now.",
    'Stop pushing products, I asked about my refund.',
    'This is not the time for a sales pitch.',
    'No me ofrezcas productos ahorita, por favor.',
    "Ce n'est pas le moment de me proposer des coffrets.",
    'Sin emojis, por favor, esto es serio.',
    'Votre réponse est bien sèche pour un colis perdu.',
    'no estoy para emojis ni para ofertas, tengo la cocina inundada',
    'Te digo que estoy harto y me contestas con un tip y caritas.',
    "I'm stranded on the roadside and you're doing a sales pitch.",
  ])('%j objects to selling or to the tone', (text) => {
    expect(toneComplaint(text)).toBe('strong');
  });

  it.each([
    'Ce savon convient-il à une peau sèche ?',
    '¿La leche fría es mejor para el biberón?',
    'Est-ce que le moment de livraison peut être le matin ?',
    'No estoy para salir hoy, ¿me lo podéis enviar a casa?',
  ])('%j is no complaint', (text) => {
    expect(toneComplaint(text)).toBeNull();
  });

  it.each([
    'TOO LONG. I CANT READ ALL THAT ON MY PHONE. JUST THE PRICE',
    'your answer is way too long, yes or no?',
    'tldr?',
  ])('%j objects to a reply too long to read', (text) => {
    expect(toneComplaint(text)).toBe('strong');
  });

  it('does not read a purchase question as a complaint', () => {
    expect(toneComplaint('Do you sell replacement lids?')).toBeNull();
    expect(toneComplaint('Delivery is taking too long, where is it?')).toBeNull();
  });

  it('reads surprise with thanks, and wanting a short answer, as no complaint', () => {
    expect(toneComplaint("Oh wow, ok. That's actually great, thank you.")).toBeNull();
    expect(toneComplaint('wow ok')).toBe('weak');
    expect(toneComplaint('I hoped for a short answer with the price, but I will wait.')).toBeNull();
    expect(toneComplaint('Quite a short answer for a 40 euro problem.')).toBe('strong');
    expect(toneComplaint('are you seriously sending me emojis right now')).toBe('strong');
    expect(toneComplaint('Do the mugs come with the emoji print?')).toBeNull();
  });
});

describe('a shopper saying the answer missed the question', () => {
  it.each([
    'i asked about warranty',
    'I was asking if it fits a V60',
    "Ce n'est pas ma question, je parlais du cadre.",
    "Je n'ai jamais parlé de livraison. Vous remplacez, oui ou non ?",
    'No es lo que pregunté, era sobre la garantía.',
    'yo no pregunté por el envío',
    'no the point',
    'you missed my point',
  ])('%j says so', (text) => {
    expect(saysNotAnswered(text)).toBe(true);
  });

  it.each([
    'Oui, merci, c’est parfait.',
    'Sí, gracias, ya lo vi.',
    'No sé si pedir la talla 2 o 3.',
    'whats the point of the strap',
  ])('%j does not', (text) => {
    expect(saysNotAnswered(text)).toBe(false);
  });

  it('not when the sentence goes on to tell something else', () => {
    expect(
      saysNotAnswered('I asked about the price yesterday and it was fine, now it is different'),
    ).toBe(false);
  });
});

describe('an agent refusing a person', () => {
  it.each([
    "I can't connect you with a person, but I can help here.",
    "I'm not able to transfer you right now.",
    'There is no one available to take this.',
  ])('%j refuses', (text) => {
    expect(agentRefusesHandoff(text)).toBe(true);
  });

  it.each(['Would you like me to connect you with the team?', "I'll connect you now."])(
    '%j does not',
    (text) => {
      expect(agentRefusesHandoff(text)).toBe(false);
    },
  );
});

describe('a goodbye without what the shopper came for', () => {
  it.each([
    'ok so nobody knows. great',
    "ok I'll keep looking, thanks",
    "thought you'd know your own schedule. bye",
    'thanks anyway',
    'ok. very strange. bye',
    'No, thank you. I will ask my colleague to phone your office instead.',
  ])('%j is resigned', (text) => {
    expect(resigned(text)).toBe(true);
  });

  it.each([
    "I'll keep looking forward to it, thanks",
    "I'll call the store on Monday to pick it up, thanks!",
    'great, thank you so much',
  ])('%j is not', (text) => {
    expect(resigned(text)).toBe(false);
  });
});

describe('a handoff the shopper says was not needed', () => {
  it.each([
    "I'm not a restaurant, just a regular customer",
    "we don't have an order yet, we're asking before we buy",
    "there's nothing to replace, the chair is fine",
    "oh dear, I didn't mean to cause a fuss",
    'it was just a quick question',
    "it's just one pair of socks",
    "it's only two bags of coffee",
    'why the team? i asked a size',
    "safety team? I'm asking about bottles",
    'ok… weird but ok',
    'I do not understand why this is forwarded to safety. It is a normal question from the manual, nothing has happened.',
    "It's only a product question - which goggles and what price for 30.",
    'A product page link and a price would have done.',
    // French and Spanish, written for this test.
    'je voulais juste savoir si vous livrez le samedi',
    "c'était juste une question sur la taille",
    "c'est juste un paquet de café, pas besoin d'un conseiller",
    'ok bizarre, je demandais juste un horaire',
    'solo pregunté si tienen el azul 😅',
    'nomás quería saber el precio',
    'era solo una duda rápida',
    'no es ninguna queja, solo una pregunta sencilla',
    'solo pregunto si llega antes del viernes, no me quejo de nada',
    'era una pregunta tonta, la verdad',
    '¿me puedes decir solo cuánto tarda?',
    'no hace falta que me llame nadie',
    "c'était une question bête, je ne me plains pas",
    'thought a bot could answer that',
    'I just want to know where to look.',
    'I was hoping for a quick answer so I can order tonight',
    'je voulais juste une estimation, une semaine ? deux ?',
    'gracias, aunque esperaba una respuesta rápida',
    'Two working days for a yes or no?',
  ])('%j disowns it', (text) => {
    expect(disownsHandoff(text)).toBe(true);
  });

  it.each([
    'thank you, I will wait for their email',
    "I'm not a fan of waiting but ok",
    "it's just one of those days, the box arrived broken",
    'the team was lovely last time',
    "it's a question about the burn on my hand, it is blistering",
    "merci, j'attends leur appel",
    'il y a une odeur étrange qui sort du chargeur',
    'je ne suis pas un robot, je veux parler à quelqu’un',
    'no tengo problema en esperar, gracias',
    'gracias, quedo pendiente de su correo',
    'no me quejo del producto, pero la caja llegó rota',
    'I thought you could do better than this, it leaked again',
    'I just want to know my money is safe after the double charge',
    'I was hoping for a quick answer three days ago, still nothing on my refund',
  ])('%j does not', (text) => {
    expect(disownsHandoff(text)).toBe(false);
  });
});

describe('a handoff that names what it passes on, or who is asked to take it', () => {
  it.each([
    "I'm passing your cancellation query to our order desk team, who will reply within 24 hours.",
    "I'll get the team to help with your invoice - they'll be in touch soon!",
    'We will ask one of our stylists to call you back this afternoon.',
  ])('%j hands off', (text) => {
    expect(agentHandsOff(text)).toBe(true);
  });

  it.each([
    "I'll get the size right for you: the 32 regular.",
    'Our team will ship it on Monday.',
    "I'm passing on the good news: your order is packed.",
  ])('%j does not', (text) => {
    expect(agentHandsOff(text)).toBe(false);
  });
});

describe('a handoff said in Spanish or French', () => {
  it.each([
    'He pasado tu consulta al equipo de postventa, que te responderá por email.',
    'Hemos trasladado su caso a un responsable.',
    'Voy a pasarte con un compañero del equipo.',
    'Tu consulta ya está asignada a un responsable.',
    "J'ai transmis votre demande au service après-vente.",
    'Je vais transférer votre message à un conseiller.',
  ])('%j hands off', (text) => {
    expect(agentHandsOff(text)).toBe(true);
  });

  it.each([
    '¿Quieres que te pase con un compañero?',
    'He pasado por alto un detalle: el envío es gratis.',
    'Te voy a explicar cómo cambiar el filtro.',
  ])('%j does not', (text) => {
    expect(agentHandsOff(text)).toBe(false);
  });
});

describe('a problem reported or only asked about', () => {
  it.each([
    'My refund still has not arrived.',
    'Why is my order late again?',
    'My order came today. Half of it is broken.',
    'The fan in my air fryer has started making a grinding noise. Can it be repaired?',
    'got billed twice for the same subscription box',
    'there is a duplicate charge from you on the card',
    'My order still has not shipped yet, cancel it please.',
  ])('%j reports a problem with their own order', (text) => {
    expect(reportsOwnProblem(text)).toBe(true);
  });

  it.each([
    'My card was charged $40. Did something go wrong with the order?',
    'I see a charge on my card. Is that normal?',
    // A change asked for while the order can still be changed.
    "Can I remove the blue mug from my order? It hasn't shipped yet.",
  ])('%j only asks whether there is one', (text) => {
    expect(reportsOwnProblem(text)).toBe(false);
  });
});

describe('texts without punctuation', () => {
  it.each([
    'whats the return window on sale stuff',
    'if the strap breaks again next month is that covered or do i pay',
    'hows the sizing on these run',
  ])('%j is a question', (text) => {
    expect(isQuestion(text)).toBe(true);
  });

  it('a plain statement is not', () => {
    expect(isQuestion('ok ill pick it up friday')).toBe(false);
    expect(isQuestion('I know if I wait it gets worse')).toBe(false);
  });

  it('a polite letter that asks and signs off with thanks is a question, not a goodbye', () => {
    const letter =
      'Before I place an order, I should like to know whether you accept my insurance. Thank you.';
    expect(isQuestion(letter)).toBe(true);
    expect(isClosing(letter)).toBe(false);
    expect(isClosing('Thank you, that is all I needed.')).toBe(true);
    expect(
      isClosing(
        "Thank you for your reply. I don't wish to subscribe, I only want to know the steps.",
      ),
    ).toBe(false);
  });

  it.each([
    'ok just the hitch. ill book next week',
    'figured. worth asking',
    'oh the pickup point is handy, sounds good',
    'fair enough, makes sense',
    'cool',
  ])('%j signs off content', (text) => {
    expect(isClosing(text)).toBe(true);
  });

  it.each([
    'So the parcel is lost and nobody can tell me where it went. Perfect.',
    "still can't log in. awesome",
    'Oh great, another chat that cannot find my booking',
  ])('%j is praise said in sarcasm, not thanks', (text) => {
    expect(isClosing(text)).toBe(false);
  });

  it.each([
    'No worries. Perfect.',
    "Great. I didn't know that, very useful",
    "It doesn't fit the old one, thanks for checking. Great.",
  ])('%j is praise meant', (text) => {
    expect(isClosing(text)).toBe(true);
  });

  it.each(['cool, so when does it ship?', 'will do what? I asked about the rack'])(
    '%j does not',
    (text) => {
      expect(isClosing(text)).toBe(false);
    },
  );
});

describe('a shopper who only wanted the answer', () => {
  it.each([
    'I only needed the date, not a callback.',
    'all that for a simple shipping question',
    'i just want the price',
    "can't wait around all day for a reply",
  ])('%j pushes back', (text) => {
    expect(frustrated(text)).toBe(true);
  });

  it.each([
    'read my msg pls',
    'both are in my first email',
    'here they are again: 12 and 14',
    'see above',
    'Scroll up, I put it all there',
  ])('%j says it was given already', (text) => {
    expect(saysRepeated(text)).toBe(true);
  });

  it.each(['it is above 30 degrees in the shed', 'the shelf above the sink'])(
    '%j says nothing was given before',
    (text) => {
      expect(saysRepeated(text)).toBe(false);
    },
  );
});

describe('knowledge the API serves without its text', () => {
  const ctx = indexContext({
    skills: [],
    escalationRules: [],
    knowledge: [
      { id: 'k1', title: 'https://shop.example/pages/gift-cards', content: '' },
      { id: 'k2', title: 'Care guide', content: 'Wash cold, dry flat.' },
    ],
  });

  it('a webpage covers a question that names its subject, by the words of its URL path', () => {
    const coverage = bestCoverage('do your gift cards ever expire', ctx);
    expect(coverage?.item.id).toBe('k1');
  });

  it('a question about something else is not covered by it', () => {
    expect(bestCoverage('do you sell gift wrap', ctx)).toBeNull();
  });
});

describe('the snippet an answer came from', () => {
  // Two snippets with the same words in them, listed in either order: the API's order decides
  // nothing.
  const shipping = {
    id: 'k_ship',
    title: 'Shipping charges and free delivery',
    content: 'Free standard delivery on orders of ₹499 and above; below that delivery is ₹49.',
  };
  const returns = {
    id: 'k_ret',
    title: 'Returns policy',
    content: 'Free returns within 7 days of delivery on orders above the standard threshold.',
  };
  const context = (knowledge: (typeof shipping)[]) =>
    indexContext({ skills: [], escalationRules: [], knowledge });

  it.each([
    ['shipping first', [shipping, returns]],
    ['returns first', [returns, shipping]],
  ])('names the snippet whose title has the words, %s', (_, knowledge) => {
    expect(bestCoverage('free delivery on orders', context(knowledge))?.item.id).toBe('k_ship');
  });

  it('names the one snippet that states an amount the disputed answer quotes', () => {
    // The returns snippet shares more of the answer's words; only the shipping one states ₹499.
    const answer = 'Yes, orders above ₹499 get free standard delivery, so yours ships free.';
    const wordy = {
      ...returns,
      content:
        'Yes: orders above the standard amount get free delivery of a label; yours ships free.',
    };
    for (const knowledge of [
      [shipping, wordy],
      [wordy, shipping],
    ]) {
      expect(
        drawnFrom(answer, context(knowledge), 'the cart says free delivery from 999')?.item.id,
      ).toBe('k_ship');
    }
  });
});

describe('the agent asking for something', () => {
  it.each([
    'Which colour would you like?',
    'To start the exchange, please send your order number and the size you need.',
    'Kindly confirm the delivery address.',
    'To help you enter it, please text me your full prescription.',
  ])('%j asks', (text) => {
    expect(agentAsks(text)).toBe(true);
  });

  it('a plain answer does not', () => {
    expect(agentAsks("I can move it for you - I'll just need your booking reference.")).toBe(true);
    expect(agentAsks('Your exchange is booked for Friday.')).toBe(false);
  });
});

describe('a handoff to whoever the store has', () => {
  it.each([
    "I'm connecting you with one of our opticians, who'll follow up by email.",
    'I have passed your question to our pharmacist, who will reply today.',
    'Let me transfer you to a member of the fitting desk.',
    "I've passed your enquiry to the bulk-orders team, who reply within 2 days.",
    "I've passed your question about paying by cheque to our accounts team.",
    "I've referred your question about tax relief to our relief team.",
    "Thanks! I'm going to connect you with our team so they can take a look.",
    'Je transmets votre demande à notre service atelier, qui vous répondra demain.',
    'Votre message a été transmis au service client.',
    'Un conseiller vous recontactera par téléphone dans la journée.',
    'Te comunico con un asesor de garantías.',
    'Tu solicitud fue canalizada al área de facturación.',
    'Ya le pasé su caso a una compañera, que le escribirá hoy.',
  ])('%j hands off', (text) => {
    expect(agentHandsOff(text)).toBe(true);
  });

  it('an offer is not a handoff', () => {
    expect(agentHandsOff('Would you like me to connect you with one of our opticians?')).toBe(
      false,
    );
    expect(agentHandsOff('¿Te comunico con un asesor?')).toBe(false);
    expect(agentHandsOff('Je vous transmets le lien du guide des tailles.')).toBe(false);
  });
});

describe('a shopper saying the reply missed their question', () => {
  it.each([
    "That's not really what I asked, I have plenty of tablets.",
    'not quite what I was asking',
    'that did not answer my question',
    "that wasn't what I asked",
    "no you don't understand, it is broken",
    'ok but what temp SHOULD i wash it at, thats what im asking',
    'But the Monday box, yes or no?',
    'can I just get a straight answer',
    'but will it make this week’s box or not',
  ])('%j says so', (text) => {
    expect(saysNotAnswered(text)).toBe(true);
  });

  it.each([
    'That is exactly what I wanted, thanks',
    'not what I expected, in a good way!',
    'Thanks for the straight answer.',
    'I am not sure whether to order the large or not.',
  ])('%j does not', (text) => {
    expect(saysNotAnswered(text)).toBe(false);
  });
});

describe('an agent sending the shopper to a third party', () => {
  it.each([
    "That's up to your HSA administrator; some ask for a letter from your doctor.",
    'The right people to ask are your septic installer or your county.',
    'Your county extension office can test the soil for lead.',
  ])('%j refers elsewhere', (text) => {
    expect(refersElsewhere(text)).toBe(true);
  });

  it.each([
    'Please contact our team at hello@shop.example and they will help.',
    'I will pass this to our returns desk.',
  ])('%j does not', (text) => {
    expect(refersElsewhere(text)).toBe(false);
  });
});

describe('an agent stating the edge of what it handles', () => {
  it.each([
    "I can only look up orders placed on our website, I'm afraid.",
    "Sorry, I'm only able to help with gift card balances here.",
    "Custom engraving isn't something I can arrange through this chat.",
    "We can't book fittings from here, but here's our size guide!",
  ])('%j does', (text) => {
    expect(statesScopeLimit(text)).toBe(true);
  });

  it.each([
    // A fact of the store, not the edge of a skill.
    'We can only ship to addresses in the EU.',
    'The discount can only be used once per order.',
    "I don't have information on engraving.",
  ])('%j does not', (text) => {
    expect(statesScopeLimit(text)).toBe(false);
  });
});

describe('an agent reporting a broken tool', () => {
  it.each([
    'I tried to pull up your order but the lookup timed out.',
    "Hmm, I couldn't load it - the order system didn't answer.",
    'The stock check hit a timeout, sorry.',
    // A tool's empty answer repeated as data.
    'The next slots for your postcode are Monday 00/00, 00:00 to 00:00.',
    'Your parcel is due on {{ delivery_date }}.',
    'Your refund total is NaN.',
    'Status: DELIVERED, 01/01/1970. Received by: null.',
    'Your box was delivered on January 1, 1970.',
    'Estimated delivery: undefined.',
    'Last update: 2026-13-45.',
    'Here is the data sheet: https://docs.example.com/sds/undefined_EN.pdf',
    "Here's what's open on Thursday: 12:00am-12:00am · 12:00am-12:00am.",
    // Written for this test: values printed as null, impossible days and hours, counts below
    // zero, a dotted template slot, in several languages.
    'Your fitting is with stylist undefined on Friday.',
    'Order 5521: status null, courier null, ETA 00/00/0000.',
    'Seats left for the workshop: -2. Shall I book you in?',
    'The next tasting is on {{ event.date }} at {{event.time}}.',
    'Pickup slots: Tuesday 31 June or Wednesday 1 July.',
    'Tu cita quedó para el 30 de febrero a las 10:00.',
    'Prochain créneau : samedi à 26h00.',
    'Available: Sunday 14 March, 24:30.',
    // Spanish and French, written for this test.
    'El sistema de reservas no responde ahora mismo, perdona.',
    'La consulta ha dado tiempo de espera agotado.',
    'La herramienta de seguimiento ha devuelto un error interno.',
    'Estamos teniendo un problema técnico con las consultas de pedidos.',
    "Le serveur ne répond pas, je n'arrive pas à consulter votre commande.",
    'Erreur 503 : réessayez dans quelques minutes.',
  ])('%j reports an error', (text) => {
    expect(agentReportsError(text)).toBe(true);
  });

  it.each([
    'Many people set a lighting timeout so the LEDs sleep when idle.',
    'Take a time out between coats so the glaze can set.',
    "I can't see live conditions from here, sorry! The beach cams show what the surf is doing right now.",
    'Delivery is between 10:00 and 12:00 on 03/12.',
    'The shop is open 09:00 to 17:00, and the nan bread is back in stock.',
    'My Nan loved the 1970 vintage print; it shipped 2026-11-30.',
    'Allergens: none. Founded in 1970, we still bake by hand.',
    'We are open 9:00am-5:00pm, and 10:00-10:30 is our coffee break.',
    'That clause is null and void in your state, so the warranty stands.',
    'The water is -2°C this week, so bring a 5/3 and booties.',
    'Our 30:00 minute express class fits a lunch break; fees of 35 may apply for late cancellation.',
    'We close at 17:00 on 31 October and reopen on 2 November; 50 decorations are in stock.',
    'Returns are accepted until 31 January, and the sale ends March 31.',
    // A product's own fault, and the shop's phone line, are no failing tool.
    'Si la cafetera tiene un problema técnico, la garantía cubre la reparación.',
    'Notre service client ne répond pas le dimanche, écrivez-nous par courriel.',
    'El sistema de riego no funciona sin el programador, que se vende aparte.',
  ])('%j does not', (text) => {
    expect(agentReportsError(text)).toBe(false);
  });
});

describe('a shopper saying what the agent handed over is broken', () => {
  it.each([
    'Hi Wren, that link gives me a 404 Not Found page.',
    'The PDF that opens is titled "TEST PRODUCT - DO NOT USE" and says Lorem ipsum supplier.',
    "the download link doesn't work",
  ])('%j', (text) => {
    expect(reportsBrokenDeliverable(text)).toBe(true);
  });

  it.each([
    'Thanks, the link works and I have printed the PDF.',
    'Can I test product samples before a bulk order?',
  ])('%j does not', (text) => {
    expect(reportsBrokenDeliverable(text)).toBe(false);
  });
});

describe('a shopper holding up what says otherwise, and an agent standing on its source', () => {
  it.each([
    "But the newsletter of 1 November say 'Now shipping to the EU'. Maybe it is a mistake?",
    'My daughter says you do Europe now.',
    'weird, checkout literally shows Germany with a shipping price',
    'you told me it ships to alaska',
    'U SAID THEY COULD',
    'Your answer and your website say different things',
    'I am sure there was an email about delivering to Spain',
    'but my cousin got his from you in Lisbon last month',
    "I got a message saying it can't go to an APO address. Which is right?",
    'the return label u emailed says i pay $38 shipping??',
    'your chat told me last week it was free',
    'it literally says express, forget it',
    "it's on my receipt as a packaging fee",
    'I think your information is wrong',
    'That is 10 days, not 5. So I not sure you are right?',
    'in the basket it shows a delivery charge of 4.95',
    'Not a big deal, but you might want to update your info: I was charged for delivery.',
    'I receive email just now, it say the order is cancelled',
    'The email from you guys literally says "free shipping on orders $99+".',
    'Checkout agrees with the newsletter, not you.',
    'I think you have old information maybe. Is ok, I pay it.',
    'But at the pay page it write shipping 8.95. Why is this?',
    'Might want to get that fixed.',
    'Your October bulletin says Ireland is included.',
    "Sur Google Maps c'est marqué Saint-Gilles maintenant",
    'Ben Google dit chaussée de Forest 112',
    'pero la página dice que el envío es gratis desde 50',
    'Which information is correct? I do not want to use it wrong.',
    'My friend sent me the page and there is written "updated 12 November".',
    'The gym put a paper on the wall. Is the paper wrong?',
    'vi en su instagram que ahora los envíos van sin impuestos',
    "J'ai vu sur votre Instagram que la livraison est offerte dès 40 €",
    'entonces el post está mal?',
    'La paquetería me dijo que el paquete salió sin seguro.',
    'Lo que me dijeron no corresponde con lo que hicieron.',
    // Another figure from the shop's people, or the chat's own figure held up.
    'at the till they charged me 32 not 20',
    'the man at the service desk said 3 weeks, not 3 days',
    'They say $80 total in store.',
    'your chat said 19.99 yesterday',
    // A notice at the shop itself.
    'The sign on the door definitely says closed on Mondays.',
    'lights off, sign says back at 2',
  ])('%j contradicts the answer', (text) => {
    expect(contradictsAnswer(text)).toBe(true);
  });

  it.each([
    'thanks, that matches what I thought',
    'I said I wanted the blue one',
    'the box is a bit dented but fine',
    'ok, I will check the website',
    'my friend got me into knitting',
    'Can you update the details on my order please?',
    'Le site est super, merci !',
    'la página es muy bonita',
    'vi en su instagram la olla roja, ¿la tienen?',
    'Which size is correct for a 10 year old?',
    'Is the paper filter included?',
    '¿el banco me cobra comisión si pago con tarjeta?',
    'My boots are old, they say B2 on the tongue.',
    'the lady at the desk was lovely, thanks',
    "I'll sign for it and my husband says thanks",
  ])('%j does not', (text) => {
    expect(contradictsAnswer(text)).toBe(false);
  });

  it.each([
    'Based on the information I have, we deliver within the UK only.',
    'As far as I know we only ship to UK addresses.',
    'According to our shipping policy, batteries ship to all US addresses.',
    'Our returns policy says 30 days.',
    "That's strange, the deadline is the 20th. Perhaps the email was sent by mistake?",
    'The message may be a temporary glitch; try again later.',
    'Per our returns policy, pickup is free.',
    'I understand the confusion! The policy I have is free shipping over $75.',
    "D'après mes informations, l'adresse de l'atelier est bien Rue Gray 86.",
    'Según nuestra política, el envío tarda 5 días.',
    'According to our safety notice, only batches 081 to 117 are affected.',
    'According to the notice we have, your batch is fine.',
  ])('%j stands on its source', (text) => {
    expect(standsOnSource(text)).toBe(true);
  });

  it.each([
    'Your parcel ships tomorrow.',
    'I know how annoying that is.',
    'According to the forecast it will rain, so pack the fly.',
  ])('%j does not', (text) => {
    expect(standsOnSource(text)).toBe(false);
  });

  it.each([
    "I'm sorry for the confusion! Our rules only allow flammable liquids within Great Britain.",
    "I understand that's confusing! The cut-off is October 15.",
    "I can't confirm why an earlier parcel was sent. Can I help with anything else?",
    'Apologies for the mix-up, the price is $40.',
  ])('%j owns that the shopper was told two things', (text) => {
    expect(ownsConfusion(text)).toBe(true);
  });

  it.each([
    "Sorry for the confusion, you're right: it ships to Ireland now.",
    'My mistake, apologies for the mix-up. It is $35.',
    'Your parcel ships tomorrow.',
  ])('%j does not, or concedes', (text) => {
    expect(ownsConfusion(text)).toBe(false);
  });
});

describe('a shopper giving up on the agent', () => {
  it.each([
    "So that's a no. I'll try elsewhere.",
    'fine, will order elsewhere',
    "right so. i'll get it somewhere else",
    'laisse tomber, je passerai chez Brico',
    'olvídalo, lo compro en otro lado',
    // Second-language English: "I look other shop".
    'ok thank you, I try other store',
    'fine. i will check another website',
    // After naming a competitor: "them" is the other shop.
    "Guess I'll just buy it from them",
  ])('%j', (text) => {
    expect(givesUp(text)).toBe(true);
  });

  it.each([
    'Can I go to another store to collect it?',
    'I will go to another shop of yours in Leeds, is it in stock there?',
    'do i try other website for the manual?',
    "Great, I'll buy it from you then",
  ])('not %j', (text) => {
    expect(givesUp(text)).toBe(false);
  });
});

describe('a shopper asking for a person', () => {
  it('is asking when they want a person, not when they only wonder what they talk to', () => {
    expect(isHumanAsk('are you a bot? I need a real person')).toBe(true);
    expect(isHumanAsk('is this a bot or a human? just curious')).toBe(false);
    // Asking what it is, then going on with the question, is not asking for a person.
    expect(isHumanAsk('are you a real person or a bot')).toBe(false);
    expect(isHumanAsk('am I talking to a human? can I speak to someone please')).toBe(true);
  });

  it('is asking in French and Spanish too', () => {
    expect(isHumanAsk("Je voudrais une réponse d'un être humain, s'il vous plaît.")).toBe(true);
    expect(isHumanAsk("Est-ce que quelqu'un peut me rappeler ?")).toBe(true);
    expect(isHumanAsk('quiero hablar con una persona por favor')).toBe(true);
    expect(isHumanAsk('la lampe est pour une personne âgée')).toBe(false);
  });

  it('is asking when they ask whether anyone is there to talk to, or say they asked', () => {
    expect(isHumanAsk('is there somebody I could actually speak to about this?')).toBe(true);
    expect(isHumanAsk("that's why I was asking for a person")).toBe(true);
    expect(isHumanAsk('is there anyone who can tell me the size?')).toBe(false);
    expect(isHumanAsk('do you have someone in the UK who stocks it?')).toBe(false);
  });

  it('is asking when they ask who to speak to, or to have it escalated', () => {
    expect(isHumanAsk('Kindly, who can I speak to about this? It is urgent.')).toBe(true);
    expect(isHumanAsk('none of that worked, i want this escalated')).toBe(true);
    expect(isHumanAsk('Could you escalate my complaint please')).toBe(true);
    expect(isHumanAsk('who can I ask about sizes in store?')).toBe(false);
    expect(isHumanAsk('does the warranty escalate if I buy the plus plan?')).toBe(false);
  });
});
