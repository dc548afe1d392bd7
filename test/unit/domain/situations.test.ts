import { describe, expect, it } from 'vitest';
import {
  frustrated,
  needsPerson,
  saysRepeated,
  shopperState,
  struggles,
  situationPhrases,
  ruleNamesSituation,
  reportsLostParcel,
  lostParcelWords,
  ruleNamesLostParcel,
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
    ['my right eye has been really red and sore since i switched lenses on sunday', 'harm'],
    ['a bit got in my eye, its scratchy and i cant really keep it open', 'harm'],
    ['now my left eye have a small white spot and it is very painful since monday', 'harm'],
    ['got a zap off the machine when i touched the steam wand', 'harm'],
    ['if he shows up here again im calling the police', 'legal'],
    ['This is harassment and I am keeping screenshots', 'legal'],
    ['Consider this a formal notice before I report you to the consumer bureau', 'legal'],
    ['when i plug it there is spark from the socket', 'harm'],
    ['my ex still has my password and ordered on my card', 'fraud'],
    ['my kid used my card on your site without asking', 'fraud'],
    ['my email was updated but i didnt do that and now i cant log in', 'fraud'],
    ['I see two payments but did not buy, maybe somebody have my card?', 'fraud'],
    ['got a weird email from you asking me to confirm my card', 'fraud'],
    ["L'applique dégage de la fumée blanche quand on l'allume", 'harm'],
    ["en changeant l'ampoule j'ai pris une décharge dans le bras", 'harm'],
    ['la lámpara echa humo y huele a quemado', 'harm'],
    ['de la fumée est sortie du socle, ça sentait le plastique brûlé', 'harm'],
    ["l'embout usb a moitié fondu pendant qu'il chargeait", 'harm'],
    ['hier la multiprise a fait des petites flammes', 'harm'],
    ["l'huile a coulé sur le moteur qui fumait", 'harm'],
    ['my son fell off the ladder of the roof rack and hit his head', 'harm'],
    ['the box fell on my foot when the strap broke', 'harm'],
    ['she got dry powder in her eye when the bag tore, her eye is really red', 'harm'],
    ['my 3 year old got into the bucket and put it in her mouth', 'harm'],
    // Words between the parts of each reading: "got dry glaze powder in her eye", "my youngest
    // son fell off", "other young children wearing the same".
    ['the bag tore and she got dry glaze powder in her eye', 'harm'],
    ['my youngest fell off the roof rack ladder', 'harm'],
    ['there are other young children wearing the same harness at the club', 'harm'],
    ['me dio una descarga al tocar el enchufe', 'harm'],
    [
      'an email says your bank details have changed and asks us to pay the invoice to a new account',
      'fraud',
    ],
    ['it came from kestrel-labs.net, not from your usual domain', 'fraud'],
    [
      'a man rang saying he was from your security team and asked me to read out the one-time code',
      'fraud',
    ],
    ['we have not issued any such PO, yet the invoice demands payment in 48 hours', 'fraud'],
  ])('%j needs a person (%s)', (text, kind) => {
    expect(needsPerson(text)).toBe(kind);
  });

  it.each([
    'Will checking my eligibility hurt my credit score?',
    'Is the smoked glass top heat resistant?',
    'I am allergic to nuts, does the granola contain any?',
    'My order was charged twice, can you check?',
    // Shopping for a condition is not reporting a symptom.
    'Do blue light lenses help with sore eyes after long days at a screen?',
    'I have sensitive skin that gets itchy, which moisturizer?',
    'the red frames look great on my face',
    // A forgotten subscription reads the same as fraud: not on its own.
    "I didn't order this, is it a gift from someone?",
    'It was not me who chose the color, my wife did. Can we swap it?',
    'my husband ordered a blender on my card last night (all fine, we share it)',
    'why did you take money from my account? i didnt order anything',
    'I got a shock when I saw the bill',
    'Is the police auction stock sold here too?',
    'I updated my card but I didnt get a confirmation',
    'We moved banks, can I pay the next invoice from a different account?',
    'Where do I enter the verification code you sent?',
    'The manual says something about a burn-in run before the first use.',
    'What is the burn time of the large candle?',
    'Avez-vous des détecteurs de fumée compatibles avec la box?',
    '¿Tienen galletas con chispas de chocolate?',
    'Une guirlande étincelles pour le sapin, elle existe en blanc chaud?',
    'le beurre de karité a fondu pendant la livraison, il est encore bon ?',
    'ça sent bon le bois fumé, vous avez la bougie en grand ?',
    'One of the end caps on my crossbar cracked and fell off. Do you replace those?',
    'the label fell off the jar, which oil is it?',
    'the red glaze came out brighter than in the photo',
    'does the kit come with eye protection?',
    'she got happy tears in her eyes when she opened the mug',
  ])('%j does not', (text) => {
    expect(needsPerson(text)).toBeNull();
  });

  it('names the situation in its own words, and nothing else of the message', () => {
    const phrases = situationPhrases('The lamp caught fire last night near my son, Jo.', 'harm');
    expect(phrases).toEqual(['caught fire']);
  });

  it("reads an escalation rule's situation from its title, not from words its triggers share", () => {
    expect(ruleNamesSituation({ title: 'Safety hazards', description: '' })).toBe('harm');
    expect(ruleNamesSituation({ title: 'Product recalls', description: '' })).toBe('harm');
    expect(ruleNamesSituation({ title: 'Legal threats', description: '' })).toBe('legal');
    expect(ruleNamesSituation({ title: 'Account security', description: '' })).toBe('fraud');
    expect(ruleNamesSituation({ title: 'Lens remakes', description: '' })).toBeNull();
    expect(ruleNamesSituation({ title: 'Warranty claims', description: '' })).toBeNull();
    expect(ruleNamesSituation({ title: 'Stolen cards', description: '' })).toBe('fraud');
    // Goods lost or stolen in transit are a claim, not fraud.
    expect(ruleNamesSituation({ title: 'Lost or stolen boxes', description: '' })).toBeNull();
  });

  it('reads a rule titled by the danger itself as harm, not the products of that name', () => {
    const rule = (title: string) => ({ title, description: '' });
    for (const title of ['Fire or smoke', 'Sparks and burning smells', 'Electric shocks']) {
      expect(ruleNamesSituation(rule(title))).toBe('harm');
    }
    for (const title of ['Fire pit orders', 'Smokers and grills', 'Shock absorbers']) {
      expect(ruleNamesSituation(rule(title))).toBeNull();
    }
  });

  it('reads an emergency in a rule title as harm only when its description says so', () => {
    const rule = (title: string, description: string) => ({ title, description });
    expect(
      ruleNamesSituation(
        rule(
          'Event-day emergencies',
          'If the event is today and an outfit is missing or does not fit, hand off straight away.',
        ),
      ),
    ).toBeNull();
    expect(
      ruleNamesSituation(
        rule('Delivery emergencies', 'Hand off when a parcel for a wedding is late.'),
      ),
    ).toBeNull();
    expect(
      ruleNamesSituation(
        rule('Emergencies', 'Hand off when the shopper says someone was "injured" or "hurt".'),
      ),
    ).toBe('harm');
    expect(
      ruleNamesSituation(rule('Urgences', 'Transférer quand le client parle d\'une "blessure".')),
    ).toBe('harm');
    expect(ruleNamesSituation(rule('Medical emergencies', ''))).toBe('harm');
  });

  it('names a symptom by its two words, and nothing else of the message', () => {
    expect(
      situationPhrases('The white of his eye is bloodshot now, Dr Ames said.', 'harm'),
    ).toEqual(['bloodshot eye']);
  });

  it('reads grief, distress and anger, and frustration with the agent', () => {
    expect(shopperState('My husband passed away in March, please cancel his plan')).toBe('grief');
    expect(shopperState('I have been crying all day, nothing fits')).toBe('distress');
    expect(shopperState('This is UNACCEPTABLE, third time I write')).toBe('anger');
    expect(shopperState('Can I change the colour?')).toBeNull();
    expect(shopperState('i was just diagnosed with keratoconus, cancel my lenses')).toBe(
      'distress',
    );
    expect(shopperState('I lost most of the vision in one eye after a stroke')).toBe('distress');
    // A house that burned down is a loss to be gentle about, not an injury to report.
    expect(shopperState('our house burned down and my glasses with it')).toBe('distress');
    expect(needsPerson('our house burned down and my glasses with it')).toBeNull();
    expect(shopperState('We had a kitchen fire last week and are staying with family')).toBe(
      'distress',
    );
    expect(shopperState("I have arthritis and can't really grip a full kettle")).toBe('distress');
    // "I'm afraid" is often only polite.
    expect(shopperState("I'm afraid the little filter is stuck, how do I clean it?")).toBeNull();
    expect(shopperState('I am so afraid it will happen again')).toBe('distress');
    // Fear and worry told in Spanish and French; a plain "preocupa" about a date is not.
    for (const text of [
      'vi un reportaje y me dio mucho miedo, usamos la vajilla con mis hijos',
      'che estoy re preocupado, no quiero envenenar a nadie',
      'no he dormido pensando en eso',
      "j'ai eu très peur quand l'émail s'est écaillé",
      'je suis vraiment inquiète pour mon fils',
    ]) {
      expect(shopperState(text), text).toBe('distress');
    }
    expect(shopperState('¿me preocupa la fecha, llega antes del 24?')).toBeNull();
    // A break-up told with "have", upset said plainly, a loss told as "he's gone now".
    expect(shopperState('My partner and I have split up, please cancel his box')).toBe('distress');
    expect(shopperState('Quite upset tbh, please just cancel it')).toBe('distress');
    expect(shopperState('it was me and my brothers thing and he’s gone now')).toBe('grief');
    expect(shopperState('the powder gave me an upset stomach, is that normal?')).not.toBe(
      'distress',
    );
    expect(shopperState('he’s gone to uni now so cancel the second box')).toBeNull();
    // A fright told as one; shaking from the cold is not.
    expect(shopperState('it was the most scary night of my life')).toBe('distress');
    expect(shopperState('I was shaking the whole way down after the lightning')).toBe('distress');
    expect(shopperState('20 min in and i was shaking lol, what do u wear in june')).toBeNull();
    expect(frustrated('did you even read my message??')).toBe(true);
    // Annoyed in French and Spanish; a plain question is not.
    expect(frustrated('Ah bon, y a pas de réponse simple ? Je voulais commander ce soir')).toBe(
      true,
    );
    expect(frustrated("t'as lu ? il était branché")).toBe(true);
    expect(frustrated('no sirve de nada este chat')).toBe(true);
    expect(frustrated('Vous avez le savon au lait de chèvre ?')).toBe(false);
    // Hard times in French: a lost job, an operation, money that has run out.
    expect(shopperState('Je viens de perdre mon travail, je dois couper les dépenses')).toBe(
      'distress',
    );
    expect(shopperState('je me fais opérer la semaine pro, mettez la box en pause')).toBe(
      'distress',
    );
    expect(shopperState('je ne peux plus payer, résiliez svp')).toBe('distress');
    // A loss told in passing, and patience run out.
    expect(shopperState('my dad picked these out a few weeks before he passed')).toBe('grief');
    expect(
      shopperState("Third cracked box. I've been patient twice. I'm done being patient."),
    ).toBe('anger');
    expect(shopperState('the pass was great, he passed the test')).toBeNull();
    // A death told as a killing, a friend lost, a rescue that came too late; still shaking, no
    // sleep. Written for this test; "killed it" and a plant that is not sleeping are negatives.
    for (const text of [
      'We lost a friend on the river this spring, is there a group rescue class?',
      'my uncle was killed in a crash in May and this was his bike',
      'the fire that killed three people was in our street',
      "we couldn't reach him in time. Do you have first-aid kits?",
    ]) {
      expect(shopperState(text), text).toBe('grief');
    }
    for (const text of [
      'still shaking after the storm last night, what torch do I need',
      'my son is not sleeping since the break-in, any night lights?',
      'she has nightmares since the dog bit her',
    ]) {
      expect(shopperState(text), text).toBe('distress');
    }
    expect(shopperState('you killed it with this jacket, ordering another')).toBeNull();
    // Written for this test: a baby lost, an evacuation, a fixed income, frostbite in French.
    expect(shopperState('we lost her at six weeks, please stop the nappy box')).toBe('grief');
    for (const text of [
      'we were evacuated for the floods and cannot think straight',
      "I'm on a fixed income, what is the cheapest kettle?",
      "j'ai des engelures aux doigts depuis la randonnée",
      'le médecin dit que j’ai failli perdre un orteil',
    ]) {
      expect(shopperState(text), text).toBe('distress');
    }
    expect(shopperState('the pump is evacuated of air before sealing')).toBeNull();
    expect(shopperState('a fixed price on income tax software?')).toBeNull();
    expect(shopperState('Third time I’m writing about order 4471 and still no answer')).toBe(
      'anger',
    );
    expect(shopperState('third time I bought this, love it')).toBeNull();
    expect(shopperState('I lost a glove on the lift, do you sell single ones?')).toBeNull();
    // Capitals are a raised voice, unless the shopper writes everything in them.
    expect(shopperState('HOW MUCH IS A REGULAR BOX TO PANGASINAN')).toBe('anger');
    expect(shopperState('HOW MUCH IS A REGULAR BOX TO PANGASINAN', true)).toBeNull();
    expect(shopperState('THIS IS UNACCEPTABLE', true)).toBe('anger');
    // Grief in the languages shoppers mix in.
    for (const text of [
      'namatay po si papa kahapon, kailan darating yung box',
      'para sa burol ng asawa ko sa sabado',
      'mi madre falleció la semana pasada',
      'mon père est décédé, je voudrais annuler',
      'minha mãe faleceu ontem',
    ]) {
      expect(shopperState(text), text).toBe('grief');
    }
    expect(frustrated('Perfect, thanks so much!')).toBe(false);
    // Owning the mistake is no complaint about the agent; "omg" at it still is.
    expect(frustrated('OMG it was there all along. Sorry!')).toBe(false);
    expect(frustrated('omg are you even reading this??')).toBe(true);
    // Idioms and worries about fit are not grief or fear.
    expect(shopperState("I'm dying to try the new colour but it might be too loud")).toBeNull();
    expect(shopperState("I'm scared they'll be too heavy for my hands")).toBeNull();
    expect(shopperState('a game the teenager plays without dying of boredom')).toBeNull();
    expect(shopperState('I am hopeless at choosing gifts, please help')).toBeNull();
    expect(shopperState('I feel hopeless, nothing has gone right since')).toBe('distress');
    expect(shopperState('I am scared to be home alone since the break-in')).toBe('distress');
    expect(shopperState('our old dog is dying and we want something soft for him')).toBe('grief');
    expect(saysRepeated('I already gave you my order number twice')).toBe(true);
    expect(saysRepeated('I would like to order again')).toBe(false);
    expect(saysRepeated("GU10, 50W, variateur oui. C'est dans mon premier message")).toBe(true);
    expect(saysRepeated('ya te lo dije, es la maceta grande')).toBe(true);
    expect(saysRepeated('je voudrais commander la même lampe')).toBe(false);
    // Written for this test: SMS French, a count of times, "as I specified".
    for (const text of [
      'tout est ds le 1er sms',
      'la taille 38, cf mon sms',
      "C'est la troisième fois que je vous écris la même chose.",
      'Le modèle bleu, comme précisé plus haut.',
      'Merci de lire mes messages en entier.',
      'on tourne en rond là',
      'Es la tercera vez que lo escribo: talla M.',
      'la roja, como ya indiqué',
      'va todo en mi primer mensaje',
    ]) {
      expect(saysRepeated(text), text).toBe(true);
    }
    for (const text of [
      'comme précisé sur votre site, la livraison est offerte ?',
      "c'est la première fois que je commande chez vous",
      'como indica la etiqueta, ¿se puede lavar a 40?',
    ]) {
      expect(saysRepeated(text), text).toBe(false);
    }
    expect(saysRepeated('I included all of that when I wrote in.')).toBe(true);
    expect(saysRepeated("It's all in my first email, scroll down")).toBe(true);
    expect(saysRepeated('I put everything on the form you sent')).toBe(true);
    expect(saysRepeated('I put the cushions in the sun')).toBe(false);
    expect(saysRepeated('i gave u the PD?? just tell me which number')).toBe(true);
    expect(saysRepeated('I enclosed all of it in my first letter. Kindly read it again.')).toBe(
      true,
    );
    expect(saysRepeated('i sent you the wrong size, can i swap')).toBe(false);
    expect(saysRepeated('yanagiba, 270 mm. I wrote it before.')).toBe(true);
    expect(saysRepeated('2 its right there')).toBe(true);
    expect(saysRepeated('I wrote a review before buying the second one')).toBe(false);
  });

  it('reads someone hurt, seen at the ER or hurting, and a detail given twice already', () => {
    for (const text of [
      'the hose hit me in the eye, im at the ER now',
      'the other driver got cut up by the glass',
      'my neck and shoulder are killing me since the crash',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    // Electrical faults told as what happened, not named.
    for (const text of [
      'the fuse blew the second I pressed the pedal',
      'it tripped the breaker twice and there is crackling from inside the base',
      'the lead looks frayed near the plug',
      'I felt a tingle up my arm when I touched the plate',
      'it bit me when I touched the metal and the needle',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'er, is the pump included?',
      'these prices are killing me lol',
      'do you sell the crackle glaze vase?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
    expect(saysRepeated('I told you, Corolla 2016 1.8')).toBe(true);
    expect(saysRepeated('1.8!! I write it two times already')).toBe(true);
    expect(saysRepeated('I said, iPad. Safari.')).toBe(true);
    expect(saysRepeated('I have done that 4 times already before I wrote to you.')).toBe(true);
    expect(saysRepeated('LR Classic 14, Mac. both in my first msg')).toBe(true);
    expect(saysRepeated('She said the iPad is hers')).toBe(false);
    expect(saysRepeated('She said I told you so, ha')).toBe(false);
    // Wanting only an answer, not the handoff.
    expect(frustrated("I don't need wholesale, only to know if the discount applies")).toBe(true);
    expect(frustrated("Righto, though I'd rather hoped for a quick yes or no.")).toBe(true);
    expect(frustrated('Is there really no way to find out sooner?')).toBe(true);
    expect(frustrated('kya? I only ask which price')).toBe(true);
  });

  it('reads an address, a question about a fault and a sick child in their own sense', () => {
    // A street named Court is no court case; a question about overheating reports nothing.
    expect(needsPerson('New address: 88 Larch Court, Apt 2, Madison WI')).toBeNull();
    expect(needsPerson("I'll take you to court over this")).toBe('legal');
    expect(needsPerson('Will the motor handle long runs without overheating?')).toBeNull();
    expect(needsPerson('the motor keeps overheating and smells')).toBe('harm');
    // A child who is ill is a hardship to be gentle about, not harm from a product.
    expect(
      needsPerson('I need to cancel, my daughter is sick and the bills are piling up'),
    ).toBeNull();
    expect(shopperState('my daughter is sick and we have a lot of medical bills')).toBe('distress');
    expect(needsPerson('my son ate one of the caps and got sick')).toBe('harm');
    // Asking whether something is a scam is a question; saying one happened is a report.
    expect(needsPerson('The courier wants 31 francs on delivery. Is that a scam?')).toBeNull();
    expect(needsPerson('is this text message from you a scam')).toBeNull();
    expect(needsPerson('It was a scam, I paid and the page vanished')).toBe('fraud');
    // A burn is someone's, not the cheese's; a jar that burst over a shelf is a mess.
    expect(needsPerson('the kettle handle burned my hand')).toBe('harm');
    expect(needsPerson('she has a nasty burn on her arm from the lid')).toBe('harm');
    expect(needsPerson('my daughter got burnt by the steam')).toBe('harm');
    expect(needsPerson('how do I clean it, cheese burned on one corner')).toBeNull();
    expect(needsPerson('the jar exploded all over the shelf lol, normal?')).toBeNull();
    expect(needsPerson('the power bank exploded on the desk')).toBe('harm');
    expect(needsPerson('the plug made a spark and now the socket is black')).toBe('harm');
    expect(needsPerson('the serum got in my eye and it burned, still red an hour later')).toBe(
      'harm',
    );
    // "You can't see it" is no one's eyesight; ear cushions peeling are no ear.
    expect(needsPerson("how do I change it if you can't see it? It's urgent.")).toBeNull();
    expect(needsPerson('i cant see out of my left eye since the drops')).toBe('harm');
    expect(
      needsPerson('the ear cushions are peeling after two years, the sound is still great'),
    ).toBeNull();
    // A stay in hospital after the shopper's own accident is a hard time, not a product's harm.
    expect(needsPerson("I'm in hospital for a few weeks after a car accident")).toBeNull();
    expect(shopperState("I'm in hospital for a few weeks after a car accident")).toBe('distress');
    expect(needsPerson('the brakes failed, I was in a car accident and am in hospital')).toBe(
      'harm',
    );
    expect(needsPerson('it slid off the rack onto my foot, pretty sure my big toe is broken')).toBe(
      'harm',
    );
    // "Burned before by labs" is a bad experience; a bleeding heart is a plant.
    expect(needsPerson("I've been burned before by labs that print perceptual")).toBeNull();
    expect(needsPerson('my bleeding heart fizzles by June, can I move it?')).toBeNull();
    expect(needsPerson('my son got burned by the kettle lid')).toBe('harm');
    expect(needsPerson('the cut on her hand is bleeding a lot')).toBe('harm');
    // Asking whether something is a choking hazard reports nothing; a child choking does.
    expect(needsPerson('Is the abacus a choking hazard for an 18 month old?')).toBeNull();
    expect(needsPerson('my son was choking on one of the beads')).toBe('harm');
    // A mishap the shopper puts down to themselves is no product putting them in danger.
    expect(
      needsPerson('Cut my finger on the mandoline, totally my own fault. Do you sell a guard?'),
    ).toBeNull();
  });

  it('reads a hospital as harm when someone was taken there, not as care context or illness', () => {
    for (const text of [
      'the heater sparked and we ended up in the hospital',
      'my mother sat on the seat and it rolled away with her into the street',
      'the chair nearly went into the road with him in it',
      "Dad is on the stairlift, it stopped halfway and he can't get off",
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'mum is being discharged from hospital on Friday, will the commode come in time?',
      'the frame the hospital lent him is creaking, do you have a sturdier one?',
      'Mum was admitted to hospital after a stroke, please pause the pads',
      "I'm going through chemo and can't get out much",
      "I'm his attorney (lasting power of attorney), please cancel his plan",
      'need to cancel the tickets, my husband was rushed into hospital last night',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
    // Still a hard time, for the tone of the reply.
    expect(shopperState('need to cancel the tickets, my husband was rushed into hospital')).toBe(
      'distress',
    );
    expect(needsPerson('my attorney will be in touch about this')).toBe('legal');
  });

  it('reads a change the shopper did not make, or their identity used, as fraud', () => {
    for (const text of [
      'the delivery got moved to another address?? I didnt do that',
      'yes change it back. but who changed it',
      'My account email was changed to one I do not recognise',
      'my fitness app account email was changed and I cannot log in',
      'a card I dont recognize is on my profile now',
      "I'm worried someone has used my identity",
      'I never applied. Someone opened a plan in my name.',
      'I got two confirmation emails for orders I never placed',
      'Somebody use my account I think',
      "I got a dispatch email for an order I didn't place",
      'someone is in my account, my password stopped working',
    ]) {
      expect(needsPerson(text), text).toBe('fraud');
    }
    for (const text of [
      'The order is in my name, can my husband collect it?',
      'I moved house, can you change the address?',
      'who can I talk to about changing my plan?',
      // A charge with no order behind it is as often a forgotten renewal.
      'THERE IS NO ORDER. i didnt buy anything',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads a loss, a crash or money trouble told in passing as a state to be gentle with', () => {
    for (const [text, state] of [
      ['My wife passed in June and her car is mine to look after now', 'grief'],
      ["I'm sewing a quilt from my late father's shirts", 'grief'],
      ['We lost her in the spring and the garden was hers', 'grief'],
      ['I was in a bad accident last month and am only now driving again', 'distress'],
      ['my son was rear-ended on Friday, he is fine but very shaken', 'distress'],
      ['My therapist suggested a hobby to help me cope', 'distress'],
      ['rent is short this month so I need the cheapest one', 'distress'],
      ["money's really tight this year", 'distress'],
      ['My partner was made redundant, so I need to cancel the box', 'distress'],
      ['my dad died in May and the van was his', 'grief'],
      ['My father expired last month; please stop his plan', 'grief'],
      ['we cant keep paying for things we do not use', 'distress'],
      ['My scholarship payment is delayed and I have very little money now', 'distress'],
    ] as const) {
      expect(shopperState(text), text).toBe(state);
    }
    for (const text of [
      'I lost the receipt, can you resend it?',
      'is the crash bar included with the rack?',
      'the lid is a tight fit, is that normal?',
      'which battery is best on a budget?',
      // Things die too: that is a fault, not a loss.
      'If my battery dies under warranty, do you ship the new one first?',
      'the motor died after a week',
    ]) {
      expect(shopperState(text), text).toBeNull();
    }
  });

  it('reads a little child caught, slipping or with a small part in their mouth as harm', () => {
    for (const text of [
      'found my 9mo with a button from the bib in his mouth',
      "our toddler's arm got wedged between the bars",
      'the bouncer tipped over with our son in it',
      'button came off and my 4yo put it in her mouth',
      "the hoodie drawstring got caught and pulled tight round my son's neck",
      'baby slid out of the seat when the strap gave',
      'my daughter caught her finger in the hinge and has a bruise',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'my 6 month old fell asleep in the carrier, so comfy',
      'the baby shower gift is stuck in customs',
      'can my 3 month old use the bath seat?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads something swallowed or mouthed, a burning device and care on its way as harm', () => {
    for (const text of [
      'our 2 yo chewed on a leaf of the oleander before we noticed',
      'my pony nibbled the hedge cuttings and is off her feed',
      'my 4 year old was holding a loose coin battery from the remote',
      'the varnish is peeling off where she keeps chewing the rail',
      'the plug smells of burning and the charger is hot to the touch',
      'the adapter gets way too hot after ten minutes',
      'the ambulance is on its way',
      'she was rushed to St Catherine hospital last night',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'my 5 year old loves the little magnets set, which age is it for?',
      'the coffee smells like burnt caramel',
      'this lapsang smells of burning wood, is that normal?',
      'the cable is hot pink',
      'does the mug get hot to the touch?',
      'the vet is coming to see the puppies on Friday, which crate size?',
      'is the paint on the teether safe if he chews it?',
      'the glitter keeps coming off on the table',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads payments disowned, and an account changed by someone, in Spanish too, as fraud', () => {
    for (const text of [
      'there are two charges on my statement from you that are not mine',
      'four payments went out to your shop yesterday and none of them were mine',
      'alguien cambió la dirección de envío de mi pedido',
      'quem mudou o e-mail da minha conta?',
    ]) {
      expect(needsPerson(text), text).toBe('fraud');
    }
    for (const text of [
      'alguien compró esto para mí como regalo',
      '¿alguien usó este producto para el pelo rizado?',
      'which of these payments options are mine to choose?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads a reaction told in blotches, swelling or an antihistamine taken as harm', () => {
    for (const text of [
      'she had a sip this morning and now has red blotches on her arms',
      'my lips swelled up an hour after the latte',
      'I had to take an antihistamine after the face mask',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'does the cream help with blotchy skin?',
      'is benadryl ok to take with your tea?',
      'the dough swelled nicely overnight, thanks for the tip',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
    expect(shopperState('my mom is moving into a memory care home next month')).toBe('distress');
    expect(shopperState("I'm the registered manager at a care home")).toBeNull();
  });

  it('reads an ombudsman, a chargeback or a payment dispute as a legal matter', () => {
    for (const text of [
      'if it is not sorted I will go to the ombudsman',
      'I have asked my card issuer to reverse the payment',
      "i'll open a dispute with paypal tonight",
      'I am filing a chargeback',
    ]) {
      expect(needsPerson(text), text).toBe('legal');
    }
    for (const text of [
      'can I pay with paypal?',
      'my bank declined the payment, can I try again?',
      'how do I dispute a review on your site',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads a pet put down as grief and a break-up as distress, not a lid or a glaze', () => {
    expect(shopperState('our dog had to be put down this morning')).toBe('grief');
    expect(shopperState('my old cat was put down on friday')).toBe('grief');
    expect(shopperState('we broke up last night, cancel the couple mugs')).toBe('distress');
    expect(shopperState('the lid was put down too hard and cracked')).toBeNull();
    expect(shopperState('the glaze broke up in the kiln')).toBeNull();
    expect(frustrated('r u serious rn')).toBe(true);
  });

  it('reads a loss told gently as grief', () => {
    expect(shopperState('Our friends lost their baby last week; please cancel the gift')).toBe(
      'grief',
    );
    expect(shopperState("please stop the due-date emails, the baby isn't coming")).toBe('grief');
    expect(shopperState('is the baby coming in the gift box or separately?')).toBeNull();
  });

  it('reads an appliance that would not stop as a hazard', () => {
    for (const text of [
      'the toaster would not switch off and the cord got hot',
      'it kept heating even after I unplugged the base, I could not turn it off',
      'the grinder kept spinning after I opened the lid',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      "I couldn't turn off the marketing emails",
      'my subscription kept going after I cancelled',
      'how do I turn it off at night?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads a near miss, a flame or gas where none belongs, and a call to stop the same reaching others as harm', () => {
    for (const text of [
      'It could have burned the tent with my children inside.',
      'the heater tipped and someone is going to get hurt next time',
      'Luckily nobody was hurt but the lamp is in pieces',
      'a big flame came out around the connection, my sleeve is singed',
      'smelled gas in the car all the way home',
      'shouldn’t someone check the other ones from this batch? it is a belay biner',
      'please make sure it doesn’t go out to the next person',
      'just don’t rent that thing again',
      'this model should be recalled',
      'I hope someone looks at this buckle, there are other children wearing the same harness',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'we were lucky with the weather, the tent was great',
      'delivery could have been faster',
      'could have been worse, the box was only dented',
      'do you rent the red one again next season?',
      'can you check the other colours in this size?',
      'I burned through two gas canisters on the trip',
      'other customers bought the same rack and love it',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
    expect(situationPhrases('It could have burned the tent.', 'harm')).toEqual([
      'could have burned',
    ]);
  });

  it('reads a blow to the head, a joint twisted, a limp, a clinic visit and a fright about what might have been as harm', () => {
    // Written for this test; none from a labelled store.
    for (const text of [
      'the strap let go and he banged his head on the frame',
      'My helmet is cracked after the bar snapped',
      "I'm limping since the pedal sheared",
      'the deck gave way and I twisted my ankle',
      'her wrist is pretty badly sprained',
      'the ladder slipped, we went to the clinic for an x-ray',
      'it nearly crushed my son when the shelf came down',
      'I shudder to think what could have happened on the motorway',
      'the lid flew off, he could have suffocated under it',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'my ceiling is low, will I hit my head on the top bar?',
      'am I gonna hit my head in the loft bed',
      'I twisted the cap off and it leaked',
      'our clinic orders 40 boxes a month, is there a trade price?',
      'what would have happened if I ordered the large instead?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads signs only a living body shows, with an onset, as harm: a reaction happening now', () => {
    // Written for this test; none from a labelled store.
    for (const text of [
      'gave him the new chew an hour ago and now he is twitching',
      'since this morning she has been trembling and panting heavily',
      'my rabbit is drooling and lethargic since the spray yesterday',
      "he's been sick twice today after the tablets",
      'our cat can barely walk right now, is it the collar?',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'Merci beaucoup, Geneviève Tremblay',
      'is the headset good for Twitch streaming? ordered it yesterday',
      'my dog drools a lot, which bowl is best?',
      'can a lethargic old cat still use the cat flap?',
      'we have a staggered delivery, part came yesterday',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads gas and pressure dangers: an alarm, someone light-headed, a vessel past its limit, a valve that will not close', () => {
    for (const text of [
      'the carbon monoxide detector in the hall keeps going off since we lit it',
      'co2 alarm in the shed gone aff twice',
      'my partner felt light-headed standing by the fridge',
      'the fermenter is bulging at the top and the gauge is past the red',
      'is it gonna blow? it is still domed',
      "the relief valve isn't venting and the pressure keeps rising",
      'the cylinder is hissing and I cant turn the valve, it is stuck',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'does the regulator have a gauge with a red zone?',
      'my alarm clock went off late so I missed the delivery',
      'the lid is a bit domed by design, right?',
      'how do I turn the valve to serve?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads what someone sees going wrong as harm, without an eye named', () => {
    for (const text of [
      'since last night I keep seeing flashes of light on one side',
      'there is a dark curtain coming down over my vision',
      'suddenly lots of floaters, like little cobwebs',
      'lights have huge halos and everything is blurry now',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      'do your lenses help with halos around lights when driving at night?',
      'the photo looks hazy, can you send a better one',
      'is there a blue-light coating for screens?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads a shopper who needs things explained plainly', () => {
    for (const text of [
      'I am 91 and my nephew usually does this for me',
      "I'm a pensioner, please bear with me",
      'sorry im not great with phones',
      'my eyesight has got worse, can you keep it short and clear',
      'Please answer in plain English, I do not understand how any of this works',
    ]) {
      expect(struggles(text), text).toBe(true);
    }
    for (const text of [
      'I am 30 minutes away from the store',
      "I'm 70 miles from the nearest stockist",
      'It is not good with oily skin',
      'my order of 75 items',
      'I know how this works, just tell me the date',
    ]) {
      expect(struggles(text), text).toBe(false);
    }
  });

  it('reads harm, fraud and legal threats told in French and Spanish', () => {
    // Written for this test, in several stores' words; none from a labelled store.
    for (const text of [
      "Mon fils s'est coupé la main sur le bord du plateau, ça saignait beaucoup.",
      "J'ai trouvé un éclat de verre dans la confiture, je l'ai senti sous la dent.",
      'Après le gâteau, ma fille avait les lèvres gonflées et on a appelé le SAMU.',
      'Je me suis fêlé une dent sur un caillou dans le riz.',
      'El columpio se soltó con mi niña sentada, se golpeó la cabeza.',
      'Mi hijo encontró un trozo de plástico duro en la galleta y casi se lo traga.',
      'Le salieron ronchas y tuvimos que ir a urgencias.',
      'La silla se dobló con mi bebé sentado, no le pasó nada pero fue un susto.',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    for (const text of [
      "Quelqu'un a utilisé ma carte pour commander chez vous, je n'ai jamais passé cette commande.",
      'No reconozco este cargo de $2,300 en mi tarjeta.',
      'Me hackearon la cuenta y cambiaron la dirección de envío.',
    ]) {
      expect(needsPerson(text), text).toBe('fraud');
    }
    for (const text of [
      'Sans réponse sous 8 jours, je vous envoie une mise en demeure.',
      'Voy a poner una queja en Profeco y hablar con mi abogado.',
    ]) {
      expect(needsPerson(text), text).toBe('legal');
    }
    // The same words about things, not people: a broken jar in the box, a wheel, an avocado.
    for (const text of [
      'Le bocal est arrivé cassé, il y a des morceaux de verre partout dans le carton.',
      'Se rompió la rueda de la carriola de mi bebé, ¿tienen refacción?',
      'Quel vin avec une salade avocat-crevettes ?',
      'Hay mucha demanda de la cuna en gris?',
      'Je travaille à l’hôpital, vous pouvez livrer là-bas ?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
    expect(situationPhrases('Ma fille a les lèvres gonflées depuis ce midi.', 'harm')).toEqual([
      'lèvres gonflées',
    ]);
  });

  it('reads a wound that bled as harm, and dye that bled as nothing', () => {
    expect(needsPerson('A staple caught his finger and it bled quite a bit.')).toBe('harm');
    expect(needsPerson('There was a cut on her knee which bled through the plaster.')).toBe('harm');
    expect(needsPerson('The red stripes bled onto the white sheets in the wash.')).toBeNull();
  });

  it('reads harm told in Hindi typed in Latin letters, and a caller saying he is from the shop', () => {
    // Written for this test; none from a labelled store.
    for (const text of [
      'iron se beti ka haath jal gaya, bahut dard hai',
      'mixer ka blade nikal ke ungli pe chot lagi, khoon nikla',
      'socket me lagate hi current laga aur switch board jal gaya',
      'heater se dhuan nikla aur plastic pighal gaya',
      'papa ko hospital leke gaye, cooker ka dhamaka hua',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    expect(
      needsPerson("A man called saying he's from your refunds team and asked for my OTP"),
    ).toBe('fraud');
    // Everyday words: a candle lit, a sheet torn, water, a bill.
    for (const text of [
      'diwali ke liye diya jal raha hai, aur candles chahiye',
      'bedsheet ek dhulai me phat gayi, replacement milega?',
      'jal ki bottle kitne litre ki hai?',
      'current bill kam aayega kya is fan se?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });

  it('reads electrical danger and a treated injury told in Spanish or French as harm', () => {
    // Written for this test; none from a labelled store.
    for (const text of [
      'Al tocar la puerta del horno me ha dado calambre.',
      'Ayer salió humo de la tostadora y olía a goma quemada.',
      'Al enchufar la plancha saltaron los plomos y la clavija está ennegrecida.',
      'El cable del secador está pelado cerca del mango.',
      'La batería del patinete está hinchada y se recalienta al cargar.',
      'Mi hija se hizo un corte en el dedo con la cuchilla y le dieron puntos.',
      'Un SMS que dice que es de vuestra tienda me pide pagar 2 € de aduana.',
      'Le disjoncteur a sauté et la prise a fondu.',
      "Le disjoncteur de l'atelier a sauté quand je l'ai branchée.",
      'Des étincelles se sont produites au niveau du chargeur.',
      'La rallonge faisait des étincelles.',
      'La batterie de la trottinette est gonflée.',
    ]) {
      expect(needsPerson(text), text).not.toBeNull();
    }
    // The same words about things that are only broken or hot by design.
    for (const text of [
      'La bombilla del horno está fundida, ¿tenéis recambio?',
      'El chocolate llegó derretido por el calor.',
      'La plancha se calienta en dos minutos, ¿verdad?',
      '¿El cable de la batería es de 2 metros?',
      'Le câble est trop court, vous en avez un plus long ?',
      'Vous avez la guirlande Étincelles en blanc chaud ?',
    ]) {
      expect(needsPerson(text), text).toBeNull();
    }
  });
  it('reads a hard time told in Spanish or French as distress, not harm', () => {
    for (const text of [
      'Mi papá está internado en terapia intensiva, ¿pueden pausar mi suscripción?',
      'Notre fille est née prématurée et elle est en néonatalogie, je dois décaler la livraison.',
      'Estoy muy nerviosa, no sé si lo armé bien.',
      'Mon mari a été hospitalisé hier, annulez la commande svp.',
    ]) {
      expect(shopperState(text), text).toBe('distress');
      expect(needsPerson(text), text).toBeNull();
    }
    expect(shopperState('¿La cuna es de madera de pino?')).toBeNull();
  });

  it('reads cuts and chipped teeth as harm, and a scare in the water as harm only when gear failed', () => {
    for (const text of [
      'My daughter got cut on the edge of the paddle, she needed a tetanus shot.',
      'The blade sliced his thumb open when the guard slipped.',
      'He chipped two teeth when the handlebar snapped back.',
      'The tow rope snapped and my brother got swept out past the rip, the lifeguards had to bring him in.',
    ]) {
      expect(needsPerson(text), text).toBe('harm');
    }
    const scare =
      'My boy got caught in a rip last week, lifeguards pulled him out. What bright vests do you have?';
    expect(needsPerson(scare)).toBeNull();
    expect(shopperState(scare)).toBe('distress');
    expect(
      needsPerson('my kid is drowning in this hoodie lol, can we swap for a small'),
    ).toBeNull();
  });

  it('reads a French or Spanish rule title as the situation it hands to a person', () => {
    expect(ruleNamesSituation({ title: 'Sécurité des jouets', description: '' })).toBe('harm');
    expect(ruleNamesSituation({ title: 'Lesiones y accidentes', description: '' })).toBe('harm');
    expect(ruleNamesSituation({ title: 'Litiges et contentieux', description: '' })).toBe('legal');
    expect(ruleNamesSituation({ title: 'Pagos sospechosos', description: '' })).toBe('fraud');
    for (const title of ['Retiro en tienda', 'Commandes entreprises', 'Cargos y cobros']) {
      expect(ruleNamesSituation({ title: title, description: '' }), title).toBeNull();
    }
  });
});

describe('a parcel lost or not received', () => {
  it.each([
    'Tracking says it was delivered yesterday but I never got it',
    'marked as delivered, nobody rang the bell and there is nothing here',
    'I think my package was stolen from the porch',
    'aparece como entregue mas não chegou nada aqui',
    'figura como entregado y no lo he recibido',
    'le suivi indique livré mais je n ai rien reçu',
    'laut Sendungsverfolgung zugestellt, aber nie angekommen',
  ])('%j is one', (text) => {
    expect(reportsLostParcel(text)).toBe(true);
  });

  it.each([
    'It was delivered this morning, thank you!',
    'When will my order be delivered?',
    "I haven't received my confirmation email yet",
    'Can I change the delivery address before it ships?',
  ])('%j is not', (text) => {
    expect(reportsLostParcel(text)).toBe(false);
  });

  it('gives the words that say it did not come, not the order details', () => {
    expect(lostParcelWords('Order 55120 shows delivered but I have not received it')).toEqual([
      'have not received',
    ]);
  });

  it('knows a rule for lost parcels by its title', () => {
    for (const title of ['Lost or missing parcels', 'Pedido extraviado', 'Colis perdus']) {
      expect(ruleNamesLostParcel({ title })).toBe(true);
    }
    for (const title of ['Stolen cards', 'Delivery address changes', 'Damaged items']) {
      expect(ruleNamesLostParcel({ title })).toBe(false);
    }
  });
});

describe('anger and fear in Spanish and French', () => {
  it.each([
    ['Estoy hasta las narices, ya no sé qué más hacer', 'anger'],
    ['Te digo que estoy harto y me mandas un cupón', 'anger'],
    ['Es la tercera vez que os escribo por lo mismo', 'anger'],
    ["J'en ai marre, c'est la troisième fois que je relance", 'anger'],
    ['Je suis furieuse, le colis est encore bloqué', 'anger'],
    ['ha bajado agua al vecino y yo estoy temblando', 'distress'],
  ])('%j is %s', (text, state) => {
    expect(shopperState(text)).toBe(state);
  });

  it.each([
    'Es la tercera vez que compro aquí y siempre genial',
    "C'est la troisième fois que je commande chez vous, ravie",
    'Me da vergüenza ajena preguntar, pero ¿cómo se monta?',
  ])('%j is calm', (text) => {
    expect(shopperState(text)).toBeNull();
  });
});

describe('a shopper still shaking from a scare', () => {
  it.each([
    "pulled over on the hard shoulder, i'm sitting here shaking",
    'Writing this with my hands still shaking.',
  ])('%j is distress', (text) => {
    expect(shopperState(text)).toBe('distress');
  });

  it.each([
    'got smashed by a set today lol, 20 min in and i was shaking. what wetsuit for winter?',
    'I am shaking the bottle before use, is that right?',
    'the mirror was shaking at 60mph, is that normal?',
  ])('%j is not', (text) => {
    expect(shopperState(text)).toBeNull();
  });
});
