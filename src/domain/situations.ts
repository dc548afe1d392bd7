import { spacedWords, wholeWords } from './text.js';

/**
 * What state the shopper is in, read from one message: a situation that needs a person (harm to
 * someone, a legal threat, fraud on their account), grief or distress that calls for a gentle
 * reply, and frustration with the agent itself. Word lists name the situation in general terms
 * (any store, any product); they never quote a store's transcripts.
 */

const BODY =
  '(?:eye|eyes|eyelid|vision|eyesight|sight|skin|face|lip|lips|mouth|throat|tongue|nose|ear|ears|scalp|gums?|tooth|teeth|stomach|tummy|belly|chest|hands?|fingers?|foot|feet|legs?|arms?|paws?|neck|back|shoulders?|wrists?|knees?|head|thumbs?|toes?|calf|calves|shins?|ankles?|thighs?|heels?|palms?|forehead|chin|cheeks?|elbows?|hips?)';
const HARM = new RegExp(
  [
    // Bodies: injuries, reactions, poisoning.
    String.raw`\b(?:injur(?:y|ies|ed)|hurt (?:him|her|them|me|myself|himself|herself|themselves)|(?:got|get|was|were|been|getting) (?:badly |seriously |really )?(?:hurt|injured|cut up|cut open)|hit (?:me|him|her|them) in the (?:eye|face|head|chest|mouth)|bleeding(?! heart| edge)|bruised|bruises|bruise|bruising|stitches|concussion|fractured?|broke (?:his|her|my|their) (?:arm|leg|wrist|nose|tooth|finger)|(?:my|his|her|their) (?:big |little )?(?:toe|finger|thumb|arm|leg|wrist|ankle|nose|tooth|rib|foot|hand) (?:is|was|got|might be|may be|could be) (?:broken|fractured|crushed)|blisters?|blistering|hives|welts|blotches|broke out in|swollen|swelling|swell(?:ing)? up|swelled up|cant breathe|can not breathe|trouble breathing|short of breath|throat (?:feels |is |was )?(?:tight|closing|itchy|swollen)|anaphyla\w*|allergic reaction|reaction to|poison\w*|vomit\w*|throwing up|threw up|choked|choking(?! (?:hazard|risk|danger|warning))|seizure|unconscious|passed out|fainted|rash|chemical burn|eyes? (?:is |are |was |were )?(?:really |very |all |so |bright )?(?:burning|red|blurry|stinging|swollen)|(?:got|get|gets|went|blew|splashed|flew) (?!(?:\w+ ){0,3}tears\b)(?:\w+ ){0,5}in(?:to)? (?:his|her|my|their|your|both) eyes?|(?:put|got|stuck) (?:it|some|them|a bit|bits|\w+) (?:\w+ )?in(?:to)? (?:his|her|their) mouth|blurry vision|(?<!\b(?:gonna|going to|will|would|might|could|wont|dont|not|to|never|ll|am|is|are)(?: i| you| we| he| she| they)? )(?:hit|slammed|banged|smacked|bashed|cracked|knocked) (?:my|his|her|their|our) (?:head|face|skull|chin|nose|teeth|knee|shoulder|back|hip)|helmets? (?:is |was |got |s )?(?:cracked|split)|limping|(?:twisted|sprained|wrenched|tore|torn|dislocated) (?:my|his|her|their|a) (?:\w+ )?(?:knee|ankle|leg|wrist|shoulder|back|neck|acl|mcl)|(?:knee|ankle|leg|wrist|shoulder|neck) (?:is |was |got |s )?(?:(?:pretty|really|badly|so) ){0,2}(?:twisted|sprained|wrenched|dislocated|banged up)|(?:cant|can not|cannot) see (?:out of|with|properly|clearly|anything|a thing|straight))\b`,
    // A wound that bled, not a dye: "a cut of perhaps three centimetres which bled rather a lot".
    String.raw`\b(?:cut|wound|graze|gash|scratch|finger|thumb|knee|leg|arm|hand|lip|nose|head|foot|toe)s?\b.{0,40}\bbled\b`,
    // Cuts and a chipped tooth: "got cut on the fin", "sliced my calf open", "chipped both teeth".
    String.raw`\b(?:(?:got|get|was|were|been|getting) (?:badly |deeply |nastily )?(?:cut|gashed|sliced) (?:on|by|open|up)|(?:sliced|gashed|split|cut) (?:my|his|her|their|our) (?:\w+ )?${BODY} (?:open|up)|(?:sliced|gashed) (?:my|his|her|their|our) (?:\w+ )?${BODY}|(?:needed|had to get|got) (?:a |an )?(?:tetanus|stitches|steri ?strips|butterfly stitches|x ?rays?)|tetanus|steri ?strips|(?:gp|doctor|nurse|medic) (?:had to|needed to) (?:glue|stitch|clean|dress)|chipped (?:\w+ ){0,2}(?:tooth|teeth)|(?:smacked|whacked|struck|slammed) (?:me|him|her|them) (?:in|on) the (?:eye|face|head|chest|mouth|nose|teeth))\b`,
    // Burns to someone, not burnt cheese: "burned my wrist", "got burnt", "a nasty burn".
    String.raw`\b(?:burns?|burned|burnt|scald\w*) (?:(?:my|his|her|their|our|your) (?:\w+ )?${BODY}|myself|himself|herself|themselves|ourselves|me|him|them|us)\b|\b(?:got|get|was|were|been|getting) (?:badly |seriously |a bit |slightly )?(?:burned|burnt|scalded)\b(?! (?:before|in the past|too many times|one too many))|\b(?:a|the) (?:bad |nasty |small |little |serious |painful )?burn\b(?! (?:in|time|rate|test|period|cycle|off|ban|pile|barrel|unit)\b)|\bburns (?:on|to) (?:my|his|her|their|our)\b|\bburn (?:on|to) (?:my|his|her|their|our) (?:\w+ )?${BODY}\b`,
    // Hazards.
    String.raw`\b(?:caught fire|on fire|smoke (?:came|coming|pouring|started|from|under|out)|bit of smoke|was smoking|started smoking|burning smell|smell of burning|smelled burning|smel(?:l|ls|led|t|ling) (?:\w+ )?(?:like|of) (?:burning|melting)(?! (?:sugar|caramel|wood|leaves|toast))|(?:burning|melting) (?:plastic|rubber)|hot to (?:the )?touch (?:near|around|by|at) (?:the )?(?:port|plug|socket|charger|battery|cable|cord)|(?:port|plug|socket|outlet|charger|cable|cord|battery|adapter|adaptor|power supply|power brick) (?:\w+ ){0,4}(?:is|was|gets|got|getting|feels|felt|runs|running) (?:super |very |really |extremely |too |way too |scorching |burning )?hot(?! (?:pink|red|orange|deal|item|seller))|scorch\w*|sparks|sparking|sparked|(?:made|gave off|threw|saw) (?:a )?sparks?|(?:it|that) (?:burned|burnt|fried|melted|scorched) (?:the|my|our) (?:\w+ )?(?:port|socket|outlet|cable|wire|plug|charger|board|cord)s?|sparks? (?:from|out of|came)|spark (?:from|out of|came)|melted|overheat(?:ed|s)|(?:is|was|keeps|kept|started|starts|been) overheating|electric shock|electric zap|shocked me|zapped|(?:got|get|gave me|giving me) (?:a |an )?(?:\w+ )?(?:zap|shock) (?:from|off|when (?:i|we) touch\w*|touching)|carbon monoxide|gas leak|tipped over|tipped forward|pitched forward|tip over|(?:wouldnt|would not|wont|will not|didnt|did not) (?:turn|switch|shut) off|(?:couldnt|could not|cant|can not) (?:turn|switch|shut) it off|kept (?:spinning|heating|boiling) (?:after|with|when|even)|(?:motor|blades?|engine|fan|heater|element) kept (?:running|going|spinning)|fell (?:over|forward|backwards?|down)|fell (?:on|onto) (?:me|him|her|them|us|my|his|their|our|the (?:baby|kid|child|dog|cat))|(?:i|he|she|they|we|(?:my|our) \w+) fell off|came down on|pinned under|sharp edge cut|exploded(?! all over)|(?:tight|caught|wrapped|pulled) (?:\w+ ){0,2}(?:round|around) (?:\w+ ){0,3}neck|(?:rolled|ran|slid) away with (?:her|him|them|me|my \w+)|(?:nearly|almost) (?:went|rolled|drove|fell|ran|tipped) (?:into|off|over|down)|(?:cant|can not|cannot|couldnt|could not) (?:get|sit|stand) (?:off|out|down|up)(?! (?:much|often|anymore|any more|the|my|a|an|this|that|it|to|and about)\b)|fuse (?:went|blew|blown|tripped)|tripped (?:the |a )?(?:breaker|fuse|circuit)|breaker tripped|crackl\w* (?:from|inside|in|when)|(?:cord|lead|cable|wire|plug) (?:is |was |looks |looked )?(?:a bit |quite |very )?(?:frayed|exposed|melted|scorched)|tingl\w* (?:up|in|through|down) (?:my|her|his|their) (?:arm|hand|fingers?)|(?:it|that) bit (?:me|her|him|them) when)\b`,
    // Gas, flame and pressure: an alarm going off, someone light-headed near it, a vessel bulging
    // past its limit with its relief valve shut, gas escaping or smelt, a flame where none belongs.
    String.raw`\b(?:(?:co2|co|carbon monoxide|carbon dioxide|smoke|gas|fire) (?:alarm|detector|sensor)s? (?:\w+ ){0,3}(?:(?:went|gone|go|goes|going|keeps going|kept going) (?:off|aff)|beeping|is beeping|sounding|sounded|triggered)|light ?headed|lightheaded|dizzy|dizziness|felt faint|feeling faint|(?:bulging|domed|doming|ballooning|swollen|swelling) (?:\w+ ){0,3}(?:at|on|out|up|still)|(?:still|is|its|it is|was) (?:\w+ )?(?:bulging|domed|ballooning)|(?:about to|going to|gonna|gon na) (?:burst|explode|blow|go bang)|is it (?:going to|gonna|gon na|about to) (?:go|blow|burst|explode)|gauge (?:\w+ ){0,3}(?:past|in|into|over) the red|(?:relief|safety|pressure|release) valve (?:\w+ ){0,2}(?:isnt|is not|wont|will not|not|doesnt|does not|didnt) (?:\w+ )?(?:venting|releasing|opening|working|letting)|(?:cylinder|bottle|tank|valve|canister|cartridge|regulator|keg) (?:\w+ ){0,3}(?:is |was |still |keeps |kept )?(?:hissing|leaking gas|venting gas)|(?:big |huge |tall |a )?(?:flames?|fireball) (?:came|shot|went|was coming|were coming) (?:out|up)|flared up|flare up|burn(?:ed|t) (?:a )?hole|singed|(?:smell\w*|smelt) (?:of )?gas|gas (?:smell|was leaking|is leaking|leaking)|leaking gas|(?:cant|can not|cannot|couldnt|could not) (?:turn|close|shut) (?:off )?(?:the |it )?(?:valve|tap|gas)(?: off)?\b.{0,30}\b(?:stuck|jammed|seized|hissing))\b`,
    // A child or pet harmed or at risk of it.
    String.raw`\b(?:(?:my|our) (?:son|daughter|kid|child|baby|toddler|dog|cat|puppy|kitten|pet|horse|mare|pony|rabbit|bunny|parrot|bird|goat|\d{1,2} ?(?:yo|y o|yr old|year old|years old|month old|months old))\b.{0,60}\b(?:ate|swallowed|chewed|licked|nibbled|ingested|bit (?:into|off)|pulled (?:\w+ ){0,3}apart|(?:got|gotten|been|became|was) sick|hurt|bleeding|vomit\w*|choked|fell(?! asleep| in love)))\b`,
    // A little child caught, trapped, slipping or with a small part in their mouth, told plainly:
    // "my 7mo had a bead in her mouth", "his leg wedged through the slats", "baby slip down".
    String.raw`\b(?:(?:my|our|the) (?:son|daughter|kid|child|baby|toddler|infant|newborn|little one|twins)s?|(?:my|our|the|a) \d{1,2} ?(?:mo|mos|months?|month old|months old|weeks? old|yo|year old|years old|yr old)|\d{1,2} ?(?:months?|weeks?)[- ]old)\b.{0,80}\b(?:wedged|trapped|slip(?:s|ped)? (?:down|out|off|through)|slid (?:down|out|off|through)|fell (?:out|off|through)|in (?:his|her|their) mouth|tangled|strangl\w*|pinned|caught (?:his|her|their) (?:finger|fingers|hand|arm|leg|foot|head|neck)|(?:holding|had|has got|playing with|got hold of|picked up|grabbed|found) (?:a |an |the |one of the )?(?:\w+ )?(?:button|coin|round|little|small|tiny|loose) (?:\w+ )?(?:batter(?:y|ies)|magnets?))\b|\bbaby (?:slip|slips|slipped|slid|fell|falls) (?:down|out|off|through)\b`,
    // A finish or small parts coming off where a child mouths it: "paint flaking where he chews".
    String.raw`\b(?:paint|coating|finish|varnish|lacquer|glaze|glitter|plastic|rubber|foam|stuffing|beads?|pieces?|bits|flecks?) (?:\w+ ){0,2}(?:is |are |was |were |keeps |kept |started )?(?:flaking|peeling|chipping|crumbling|coming off|breaking off|falling off|coming out)\b.{0,100}\b(?:mouth|lips|gums|chew\w*|swallow\w*|suck\w*)\b`,
    String.raw`\b(?:rolled|tipped|collapsed|folded (?:up|shut)|fell|slid) (?:\w+ ){0,5}with (?:my|our|the) (?:son|daughter|baby|kid|child|toddler|twins) (?:in|on) (?:it|them)\b`,
  ].join('|'),
);

const LEGAL =
  /\b(?:lawyer|lawyers|(?<!power of )(?<!(?:im|i am) (?:his|her|their|the) )attorneys?|solicitor|legal action|legal advice|lawsuit|sue|suing|sued|small claims|(?:to|in|into) court|court (?:case|order|date|action|claim)|litigation|class action|consumer protection|trading standards|attorney general|better business bureau|(?:call\w*|contact\w*|going to) (?:the )?police|police report|harass\w*|threatening (?:me|us|my)|formal (?:notice|complaint)|demand letter|ombudsman|chargebacks?|charge backs?|(?:open|opening|file|filing|raise|raising|start|starting) (?:a |an )?(?:payment |paypal |bank |card )?dispute|(?:open|opening|file|filing|raise|raising|start|starting) (?:a |an )?claim (?:with|through|on) (?:my |the )?(?:bank|paypal|card|credit card|card issuer)|(?:bank|paypal|card issuer) (?:\w+ ){0,4}(?:reverse|dispute|claw back) (?:the|my|this|that) (?:charge|payment|transaction)|(?:reverse|dispute) the (?:charge|payment|transaction)|report (?:you|this|your \w+) to (?:the )?(?:\w+ ){0,2}(?:bureau|authorit\w*|regulators?|commission|ftc))\b/;

const FRAUD = new RegExp(
  [
    // "Is this text a scam?" asks whether something is legitimate; it reports nothing yet.
    String.raw`\b(?<!\b(?:is|was|are|were) (?:this|that|it|these|those)(?: \w+){0,5} (?:a |an )?)(?:fraud|fraudulent|scam|scammed|unauthori[sz]ed|identity theft|stolen card|card (?:was |got |has been )?stolen|hacked|compromised)\b`,
    // "I didn't order this" alone is as often a forgotten subscription as fraud: not here.
    String.raw`\b(?:i|we) (?:did not|didnt|never) authori[sz]e\b`,
    String.raw`\b(?:someone|somebody) (?:else )?(?:use|uses|used|is using|has used|had used|has been using|placed|ordered|logged)\b|\b(?:someone|somebody) (?:else )?(?:is|was|has been|got) (?:in|into) (?:my|our) account\b`,
    String.raw`\b(?:for|of) an? (?:\w+ )?order (?:that )?(?:i|we) (?:never|did not|didnt) (?:place|placed|make|made)\b`,
    // "three dispatch emails for orders I never placed": orders denied after the noun.
    // Plural, counted or introduced, so a sentence that ends in "no order." stays apart.
    String.raw`\b(?:for|of|with|are|were|two|three|several|\d+) (?:\w+ ){0,2}(?:orders|charges|purchases|payments|transactions) (?:(?:to|from|on|in) \w+ )?(?:that )?(?:i|we) (?:never|did not|didnt) (?:place|placed|make|made|order|ordered|authori[sz]ed|buy|bought)\b`,
    String.raw`\b(?:someone|somebody)\b.{0,40}\bin my name\b|\b(?:used|stole|stolen|using) my identity\b|\bmy identity (?:was|has been|got) (?:stolen|used)\b`,
    // A change the shopper did not make, or asks who made: "who changed it?", "I didn't do that".
    String.raw`\bwho (?:changed|updated|moved|switched|redirected) (?:it|that|this|my)\b|\b(?:email|name|card|phone(?: number)?|device|address) i (?:dont|do not|didnt|did not) recogni[sz]e\b`,
    // Someone else in the account or on the card, as people tell it: "my ex still has my password",
    // "my kid used my card without asking", "I didn't buy that, maybe somebody has my card".
    String.raw`\b(?:someone|somebody) (?:else )?(?:has|have|had|got|changed|updated|accessed)(?: \w+){0,2} (?:my|our|the) (?:card|account|password|login|email|details)\b`,
    String.raw`\b(?:still )?(?:has|have|had|knows|got) (?:my|our) (?:password|login|card details)\b|\bkeep (?:him|her|them) out of (?:my|our) account\b`,
    String.raw`\b(?:used|using|charged|ordered on|bought on) (?:my|our) (?:card|account)\b.{0,40}\bwithout (?:asking|permission|telling|my)\b`,
    String.raw`\b(?:(?:is|was|its|it is|it was) not|wasnt|werent) (?:me|us) who (?:buy|bought|order|ordered|placed|made|paid|purchased|logged)\b`,
    String.raw`\b(?:was|were|got|been) (?:changed|updated|reset|moved|switched|redirected)\b.{0,40}\b(?:but )?(?:i|we) (?:didnt|did not|never) (?:do|did|change|update|reset|request|ask|move)\b`,
    // Payment diversion and phishing: bank details "changed" by someone else, a look-alike sender,
    // a caller after one-time codes, an invoice for a purchase order never issued.
    String.raw`\b(?:your|the|new|changed) bank (?:details|account(?: details)?) (?:have |has |had )?(?:changed|been changed|are changing|were changed)\b|\bpay (?:\w+ ){0,14}(?:to|into) a (?:new|different|another) (?:bank )?account\b`,
    String.raw`\b(?:look ?alike|fake|spoofed|copycat) (?:email |web )?(?:domain|address|sender|site|website)\b|\bnot (?:from )?your (?:usual|normal|real|official) (?:domain|address|email|number)\b`,
    String.raw`\b(?:asked|ask|asking|wanted|wants) (?:me |us |my \w+ )?(?:to )?(?:read out|give|tell|share|confirm|send|say) (?:\w+ ){0,3}(?:one time|verification|security|otp|2fa|login) (?:code|pin|passcode)\b|\b(?:claim(?:ed|ing|s)? to be|pretend(?:ed|ing|s)? to be|saying (?:(?:he|she|they) (?:was|were|is|are)|hes|shes|theyre|he s|she s|they re)) from\b`,
    String.raw`\b(?:fake|bogus|forged|fraudulent) (?:invoice|email|call|text|website)s?\b|\b(?:have not|havent|never|did not|didnt) (?:issued|raised) (?:any |this |that |such |a )*(?:po|purchase order)\b`,
    // "I didn't order anything" is as often a forgotten renewal: not on its own.
    String.raw`\bneither of which (?:i|we) (?:placed|ordered|made|bought)\b`,
    // "three payments … and none of them are mine".
    String.raw`\b(?:payments?|charges?|transactions?|purchases?)\b.{0,80}\bnone of (?:them|these|those|which|it) (?:are|were|is|was) (?:mine|ours|me|by me)\b|\b(?:payments?|charges?|transactions?|purchases?) (?:\w+ ){0,10}(?:(?:are|were|is|was) not|arent|werent|isnt|wasnt) (?:mine|ours|by me|from me)\b`,
    // Someone changed or used the account, in Spanish or Portuguese ("alguien cambió el teléfono").
    String.raw` (?:alguien|alguém|alguem) (?:\w+ )?(?:cambió|cambio|entró|entro|hackeó|hackeo|mudou|trocou|entrou)(?= )| (?:alguien|alguém|alguem) (?:usó|uso|usou) (?:mi|mis|meu|minha) (?:tarjeta|cuenta|cartão|cartao|conta)(?= )| (?:quién|quien|quem) (?:lo |la |le |o |a )?(?:cambió|cambio|mudou|trocou)(?= )`,
    // Someone else in the account: "got into my account", "my password was changed".
    String.raw`\b(?:got|gotten|get|broke|broken|hacked) into (?:my|our) account\b|\baccount (?:was |has been |got |is )?(?:accessed|breached|taken over|hijacked|broken into)\b|\b(?:my|our|the) (?:\w+ ){0,3}(?:password|email address|email|login|log in|phone number) (?:was |has been |got )?(?:changed|reset)\b`,
    String.raw`\bwithout my (?:permission|consent|knowledge|authori[sz]ation)\b`,
    // Charges and orders the shopper denies; plain "I didn't order this" stays out (see above).
    String.raw`\b(?:dont|do not|didnt|did not) recogni[sz]e (?:this|that|these|those|the|a|an|any) (?:charges?|orders?|purchases?|transactions?|payments?|logins?|log ins?|sign ins?|devices?)\b|\b(?:i|we) (?:did not|didnt|never) (?:make|made|place|placed|request|requested) (?:this|that|these|those|the|any|an|a) (?:charges?|orders?|purchases?|transactions?|payments?)\b`,
    String.raw`\b(?:suspicious|strange|unknown|unfamiliar|weird) (?:activity|logins?|log ins?|sign ins?|charges?|transactions?|orders?|purchases?|emails? from)\b|\bphishing\b|\bimpersonat\w*|\bpretending to be (?:you|your)\b|\bfake (?:emails?|texts?|sms|websites?|site) (?:from|claiming|pretending)\b`,
  ].join('|'),
);

const SYMPTOM =
  '(?:burned|burnt|stung|sore|painful|pain|aches?|aching|hurts|hurting|killing me|swollen|bleeding|bloodshot|blurry|blurred|hazy|cloudy|smeary|watering|watery|itchy|itching|stinging|burning|numb|tingling|infected|infection|discharge|pus|oozing|peeling|throbbing|scratchy|irritated|inflamed)';
/** A part of a body and what is wrong with it, a few words apart: "my eye is red and sore". */
const BODY_SYMPTOM = new RegExp(
  String.raw`\b(?:(${BODY})(?: \w+){0,8} (${SYMPTOM})|(${SYMPTOM})(?: \w+){0,3} (${BODY}))\b`,
);
/** A part of a body named, then what is wrong with "it": "my eye has a spot and it is painful". */
const BODY_THEN_IT = new RegExp(
  String.raw`\b(${BODY})\b.{0,80}\b(?:it|they) (?:is|are|s|feels?|looks?|has been|have been|got|gets|getting|keeps?) (?:\w+ )?(${SYMPTOM})\b`,
);
/**
 * What someone sees going wrong, without naming an eye: flashes, floaters, a shadow or curtain
 * over their sight, halos, everything hazy. Signs a person must hear about, not a lens question.
 */
const VISION_SYMPTOM = new RegExp(
  String.raw`\b(?:seeing (?:\w+ )?(?:flashes|floaters|spots|double|halos|sparkles)|flashes of light|(?:new |lots of |sudden )floaters|halos? (?:around|round) (?:the )?(?:lights?|everything)|lights? (?:have|has|with) (?:big |huge )?halos|(?:a |the )?(?:grey |gray |dark |black )?(?:shadow|curtain|veil) (?:across|over|coming down over|at the (?:top|bottom|side|edge) of) (?:the |my )?(?:top |bottom |side |edge )?(?:of )?(?:my )?(?:vision|sight|eye)|double vision|(?:everything|all)(?: is|s)? (?:gone |going |looks |is )?(?:hazy|blurry|foggy|cloudy|smeary))\b`,
);

/** …that started or worsened: a symptom now, not a condition a product is bought for. */
const ONSET =
  /\b(?:since|started|starting|getting worse|gotten worse|worse|woke up|this morning|today|tonight|yesterday|last night|for (?:a|two|three|\d+) (?:days?|hours?)|(?:an|a few|two|three|\d+) (?:hours?|minutes?|mins?) later)\b/;
const SERIOUS_SYMPTOM =
  /\b(?:bleeding|bloodshot|infected|infection|discharge|pus|oozing|(?:cant|cannot|can not) (?:\w+ )?(?:keep (?:it|them|my \w+) open|open (?:it|my \w+)))\b/;
/** "Will it help with itchy skin?": shopping for a condition, not reporting a symptom. */
const FOR_A_CONDITION = /\b(?:help|helps|good|recommend\w*|work|works|suitable) (?:with|for)\b/;

/**
 * Signs only a living body shows, in a person or a pet: twitching, trembling, foaming at the
 * mouth, lethargy, being sick, not able to get up. With an onset they are a reaction happening now.
 */
const BODY_SIGNS =
  /\b(?:twitch(?:ing|es|ed|y)|trembl(?:ing|es|ed|e)|foaming|frothing|drool(?:ing|s|ed)|panting (?:a lot|heavily|hard|non ?stop)|lethargic|listless|been sick|thrown up|(?:wont|will not|cant|can not|cannot|couldnt|could not) (?:get up|stand up|stand|walk)|(?:can|could) (?:barely|hardly) (?:stand|walk|breathe|move)|disoriented|convuls\w*)\b/;
/** An onset told as how long ago, or as happening right now. */
const ONSET_NOW = /\b(?:ago|right now|as we speak|at the moment)\b/;

/** A symptom someone has now, in everyday words. */
function reportsSymptom(n: string): boolean {
  if (FOR_A_CONDITION.test(n)) return false;
  return (
    ((BODY_SYMPTOM.test(n) || BODY_THEN_IT.test(n)) &&
      (ONSET.test(n) || SERIOUS_SYMPTOM.test(n))) ||
    VISION_SYMPTOM.test(n) ||
    (BODY_SIGNS.test(n) && (ONSET.test(n) || ONSET_NOW.test(n)))
  );
}

/** Care sought after something happened: taken to hospital, the ER, a doctor called. */
const CARE_SOUGHT =
  /\b(?:(?:at|in|to|from) the er|(?:in|into|to|at) (?:the |a )?hospital|(?:taken|rushed|admitted|brought|airlifted) to (?:\w+ ){0,2}hospital|kept (?:him|her|them|me|us )?(?:in )?overnight for observation|(?:the |a |an )?(?:vet|doctor|ambulance|paramedics) (?:is|are) on (?:his|her|their|the|its) way|hospital (?:visit|stay|trip)|emergency room|er visit|urgent care|(?:went|gone|been|had to go|took (?:him|her|them|me)) to (?:the |a )?(?:clinic|medical cent(?:er|re)|a and e|physio)|ambulance|911|poison control|paramedics|(?:had to (?:take|use|give (?:him|her|them))|took|gave (?:him|her|them)|used) (?:an? |some |the |her |his |my )?(?:epipen|epi pen|benadryl|antihistamines?)|called (?:the |a )?(?:doctor|vet|pediatrician)|call (?:the |a |my )?(?:doctor|vet|pediatrician)|to the vet|emergency vet)\b/;

/**
 * An illness or a stay in care told as the reason for a request ("admitted to hospital, stroke,
 * please stop the pads"): a hardship to be gentle about, not harm from something the store sold.
 */
const ILLNESS =
  /\b(?:stroke|surgery|operation|chemo\w*|cancer|hospice|diagnos\w*|heart attack|dementia|alzheimer\w*|parkinson\w*|pneumonia|covid|discharged|terminal|palliative|in labou?r|giving birth|premature)\b/;

/**
 * A stay in care given as the reason to call something off ("my husband was rushed into hospital,
 * I need to cancel the tickets"): the shopper's hardship, not harm from what the store sold.
 */
const CALLS_OFF =
  /\b(?:cancel\w*|pause|postpone|skip|reschedul\w*|(?:cant|can not|cannot|wont be able to) (?:make it|attend|come|go)|wont be (?:leaving|coming|attending))\b/;

/** The shopper says a mishap was their own doing: no product put them in danger. */
const OWN_DOING =
  /\b(?:(?:totally|entirely|completely|all|100) )?my (?:own )?(?:fault|doing|stupidity|carelessness|mistake)\b|\buser error\b|\bi (?:wasnt|was not) (?:being )?careful\b/;

/**
 * A stay in care whose cause is the shopper's own life, "after a car accident", with no product
 * said to have failed: a hard time to be gentle about, not a product's harm.
 */
const LIFE_EVENT =
  /\b(?:after|since|from|because of) (?:a |an |my |the |his |her )?(?:\w+ )?(?:accident|crash|collision|fall)\b/;
const PRODUCT_FAULT =
  /\b(?:failed|broke|snapped|came (?:off|loose|apart)|gave way|defect\w*|malfunction\w*|faulty|collapsed)\b/;

/**
 * The same dangers told in French, Spanish and romanized Hindi: smoke, a shock, a burn, sparks,
 * fire; someone hurt, bleeding, a tooth broken, an allergic reaction, emergency care; something
 * hard or sharp in food bitten on; a little one in or on a product that gave way.
 */
const HARM_ELSEWHERE = wholeWords(
  new RegExp(
    [
      String.raw`(?:(?:d[ée]gage|sort|sortait|sortir) de la fum[ée]e|de la fum[ée]e (?:sort|blanche|noire|qui|est sortie|s est (?:d[ée]gag[ée]e|[ée]chapp[ée]e))|(?:[çc]a |il |elle )?(?:sent|sentait) (?:le |la )?(?:\p{L}+ )?br[uû]l[ée]|(?:moteur|appareil|socle|prise|multiprise|chargeur|c[aâ]ble|adaptateur|diffuseur|bo[iî]tier) (?:\p{L}+ ){0,2}(?:fumait|fume|a fum[ée])|(?:fait|faisait|a fait) (?:des |de )?(?:petites |grandes |grosses )?flammes|(?:embout|prise|multiprise|socle|c[aâ]ble|fil|chargeur|adaptateur|bo[iî]tier|plastique|connecteur)(?: \p{L}+){0,3} (?:a |ont |est |avait )?(?:\p{L}+ )?fondu|(?:pris|re[çc]u|eu|prend) (?:une )?(?:d[ée]charge|ch[aâ]taigne|[ée]lectrocution)|[ée]lectrocut\p{L}*|(?:je me suis|il s est|elle s est|sest) br[uû]l[ée]\p{L}*|br[uû]lure|(?:fait|faisait|fait des|a fait) (?:des )?[ée]tincelles|odeur de br[uû]l[ée]|(?:a|ont) pris feu|court circuit|(?:sale|sal[ií]a|echa|ech[oó]) humo|(?:me dio|le dio|recib[ií]|me pas[oó]) (?:una )?(?:descarga|corriente|calambre)|me quem[ée]|quemadura|(?:saca|sac[oó]|echa|ech[oó]|salen|salieron) chispas|olor a quemado|se incendi[oó]|prendi[oó] fuego|cortocircuito)`,
      // Someone hurt: "elle s'est coupée", "se lastimó", "je me suis cassé une dent".
      String.raw`(?:s est|se sont|me suis|m est|t es|nous sommes) (?:bless|coup|[ée]touff|[ée]trangl)\p{L}*|se (?:lastim|cort|golpe|quem|ahog|atragant|descalabr|hiri)\p{L}*|(?:cass[ée]|p[ée]t[ée]|f[eê]l[ée]|[ée]br[ée]ch[ée]) (?:une|la|sa|ma|deux) dents?|(?:rompi[oó]|quebr[oó]|despostill[oó]|romp[ií]) (?:un|el|una|dos) dientes?|dentiste|dentista`,
      String.raw`saign\p{L}*|du sang|sangr\p{L}*|(?:sali[oó]|sal[ií]a|tiene|ten[ií]a) sangre|(?:r[ée]action|crise) allergique|reacci[oó]n al[eé]rgica|urticaire|urticaria|ronchas|an[ao]phyla\p{L}*|[ée]pip[ée]n|adr[ée]naline|(?:l[eè]vres?|visage|gorge|langue|yeux|paupi[eè]res?|labios?|cara|garganta|lengua|ojos?|p[aá]rpados?) (?:\p{L}+ )?(?:gonfl[ée]|hinchad)\p{L}*|(?:gonfl[ée]|hinchad)\p{L}* (?:les |la |le |los |las |la )?(?:l[eè]vres?|visage|gorge|langue|labios?|cara|garganta|lengua)`,
      String.raw`(?:appel[ée]|appeler|fait venir|appelle) (?:le |les |la )?(?:15|18|112|samu|pompiers|urgences)|(?:aux|les|des) urgences|(?:transport[ée]|emmen[ée]|conduit|amen[ée])\p{L}* [aà] l h[oô]pital|(?:a|en) urgencias|(?:lo|la|los|nos|me) (?:llev|trajimos|llevamos)\p{L}* (?:a |al )(?:urgencias|hospital|pediatra|doctor)|ambulancia|intoxication|intoxica(?:ci[oó]n|d[oa]s?)|(?:tomb[ée]s?|[ée]t[ée]) malades?|vomi\p{L}*|v[oó]mit\p{L}*|(?:failli|presque) (?:l )?(?:avaler|m [ée]touffer|s [ée]touffer)|(?:casi|por poco) se (?:ahoga|traga|atraganta)`,
      // Electrical danger as people tell it: "me ha dado calambre", "ha salido humo por la base",
      // "olía a plástico quemado", "saltó el diferencial", "la clavija medio derretida", "cable
      // pelado", "la batería está hinchada"; "le disjoncteur a sauté", "la prise a fondu".
      String.raw`(?:me|le|les|nos|te|os) (?:ha|han|has|hab[ií]a) dado (?:un |una )?(?:calambre|descarga|corriente|chispazo)|(?:da|daba|dio) (?:un |una )?(?:calambre|chispazo)|chispazo|fogonazo|petardazo|(?:ha |han |hab[ií]a )?(?:salido|sali[oó]|soltado|solt[oó]|echado) (?:un poco de |algo de |mucho )?humo|(?:ol[ií]a|huele|oliendo|olor) a (?:\p{L}+ )?quemad[oa]|(?:salt[oó]|saltaron|ha saltado|han saltado|salta) (?:el |los |la )?(?:diferencial|plomos|autom[aá]tico|magnetot[ée]rmico|fusibles?)|(?:disjoncteur|plombs|fusibles?)(?: (?:de|du|des|d|la|l|le|notre|mon|ma|\p{L}+)){0,3} (?:a |ont |qui a |qui ont )?saut[ée]s?|(?:des|d) [ée]tincelles? (?:se sont |s est |sont |ont |qui )?(?:produit|sorti|jailli|vol)\p{L}*|(?:fait|faisait|produit|lanc[ée]|projet[ée]) (?:des|d) [ée]tincelles|(?:clavija|enchufe|cable|toma|carcasa|prise|fiche|c[aâ]ble) (?:\p{L}+ ){0,3}(?:derretid|fundid[oa] por|quemad|ennegrecid|chamuscad|fondu|br[uû]l[ée]|noirci)\p{L}*|cable (?:\p{L}+ ){0,4}pelad[oa]|c[aâ]ble (?:\p{L}+ ){0,2}d[ée]nud[ée]|bater[ií]a[^.!?]{0,40} hinchad\p{L}*|calient\p{L}*,? (?:que )?(?:casi |ni )?no se (?:puede|pod[ií]a) (?:ni )?tocar|hinchad\p{L}* (?:la )?bater[ií]a|batterie[^.!?]{0,40} gonfl[ée]e?|sobrecalent\p{L}*|se recalienta\p{L}*|surchauff\p{L}*`,
      // Hurt and treated: "un corte en la mano", "le han tenido que curar en el centro de salud".
      String.raw`(?:un |una )?(?:corte|herida|quemadura|coupure|blessure|plaie) (?:\p{L}+ )?(?:en|[aà]) (?:la |el |los |las |su |mi |sa |son |ses |le |l )?(?:mano|dedo|brazo|pierna|cara|pie|ojo|cabeza|boca|main|doigt|bras|jambe|visage|pied|œil|oeil|t[eê]te|bouche)|centro de salud|(?:le|me|nos|les) (?:han |hab[ií]an )?(?:dieron|pusieron|dado|puesto|tenido que dar) puntos|points de suture`,
      // Hindi as shoppers type it in Latin letters: "haath jal gaya", "chot lagi", "hospital leke
      // gaye", "current laga", "aag lag gayi", "dhuan nikla", "plastic pighal gaya", "dhamaka".
      String.raw`(?:haath|hath|ungli|ungliyan|chehra|chehre|munh|pair|pairon|aankh|aankhen|baccha|bachcha|bacche|bachche|mummy|papa|bahu|beta|beti)(?: \p{L}+){0,3} (?:jal|kat|sooj|jhulas)(?: gaya| gayi| gaye| gya| gyi| gye)|jal (?:gaya|gayi|gaye|gya|gyi) (?:haath|hath|ungli|chehra|pair)|chot (?:lagi|lag gayi|lag gai|aayi|aa gayi|aai)|khoon (?:nikla|nikal|beh|aa gaya|aaya)|(?:hospital|doctor|emergency|aspatal) (?:le ?ke|le ?kar|ley ?ke) (?:gaye|gayi|gaya|gye|jaana|jana|jaana pada)|(?:current|jhatka|jhatke|shock) (?:laga|lag gaya|lagi|maara|mara|mar gaya)|aag (?:lag|lagi|lag gayi|lag gai|pakad)|dhuan (?:nikla|nikal|nikalne|aa raha|aaya|uth)|(?:plastic|wire|taar|plug|switch|cable|board) (?:\p{L}+ ){0,2}(?:pighal|jal) (?:gaya|gayi|gaye|gya|gyi)|dhamaka|(?:baal|bal) ?(?:baal|bal) bach`,
      // Something hard or sharp in what was eaten, bitten on: "un bout de métal… avant de croquer".
      String.raw`(?:morceaux?|bouts?|[ée]clats?|fragments?|copeaux?|pedazos?|trozos?|pedacitos?|astillas?|fragmentos?) de (?:verre|plastique|m[ée]tal|fer|bois|vidrio|pl[aá]stico|metal|fierro|madera|silic[oó]n)(?: \p{L}+){0,12} (?:croqu\p{L}*|mordu|sous la dent|aval\p{L}*|mang\p{L}*|m[aâ]ch\p{L}*|mord\p{L}*|trag\p{L}*|mastic\p{L}*|en la boca|dans la bouche)|(?:croqu\p{L}*|mordu|sous la dent|aval\p{L}*|mord\p{L}*|trag\p{L}*|mastic\p{L}*)(?: \p{L}+){0,12} (?:morceaux?|bouts?|[ée]clats?|pedazos?|trozos?|pedacitos?|astillas?) de (?:verre|plastique|m[ée]tal|fer|vidrio|pl[aá]stico|metal)|corps [ée]trangers?|cuerpo extra[nñ]o`,
      // A little one in or on what gave way: "se plegó sola con mi bebé adentro".
      String.raw`(?:con|avec) (?:mi|su|el|la|mon|ma|notre|le|nuestro|nuestra) (?:b[eé]b[eé]|bebit[oa]|hij[oa]|ni[nñ][oa]|nen[ea]|fils|fille|enfant|petite?) (?:\p{L}+ )?(?:adentro|dentro|sentad[oa]|encima|arriba|dormid[oa]|acostad[oa]|abrochad[oa]|dedans|dessus|assise?|install[ée]e?|endormie?|attach[ée]e?)|(?:mi|su|mon|ma) (?:b[eé]b[eé]|hij[oa]|ni[nñ][oa]|fils|fille|enfant) (?:iba|estaba|[ée]tait) (?:\p{L}+ )?(?:adentro|dentro|sentad[oa]|abrochad[oa]|acostad[oa]|dormid[oa]|dedans|assise?|attach[ée]e?|endormie?)`,
    ].join('|'),
    'u',
  ),
);

/**
 * The same dangers told in German: a battery that swells, hisses, smokes or gets very hot, a
 * burning smell, a shock, a fire; someone fallen, hurt, bleeding, a bone broken, a trip to the
 * hospital; brakes that failed and a near miss; a child who swallowed something.
 */
const HARM_GERMAN = wholeWords(
  new RegExp(
    [
      String.raw`(?:akku|batterie|ladeger[aä]t|netzteil|kabel|stecker|steckdose|motor|display|lampe|heizstab|heizer|heizung|ger[aä]t)\p{L}* (?:[\p{L}\p{N}]+ ){0,6}(?:aufgebl[aä]ht|bl[aä]ht sich|w[oö]lbt sich|zischt|qualmt|raucht|brennt|gl[uü]ht|schmort|geschmolzen|explodiert|(?:wird|wurde|war|ist) (?:\p{L}+ ){0,2}(?:hei[sß]|gl[uü]hend)(?! \p{L}*wasser))`,
      String.raw`(?:beim|nach dem|w[aä]hrend dem) laden (?:\p{L}+ ){0,2}(?:hei[sß]|gl[uü]hend)|(?:riecht|riechts|roch|stinkt|geruch) (?:\p{L}+ ){0,3}(?:verbrannt|verschmort|s[uü][sß]lich|nach (?:chemie|plastik|gas|rauch))|brandgeruch|rauchentwicklung|feuer gefangen|in flammen|stromschlag|(?:einen )?(?:schlag|gewischt) (?:bekommen|gekriegt)|funken (?:gespr[uü]ht|geflogen|geschlagen)|kurzschluss`,
      String.raw`(?:bin|ist|sind|war|waren|w[aä]re|wurde|wurden) (?:\p{L}+ ){0,4}(?:gest[uü]rzt|hingefallen|verletzt|verungl[uü]ckt|angefahren)|verletzung\p{L}*|unfall|sturz|platzwunde|gehirnersch[uü]tterung|(?:arm|bein|hand|handgelenk|schl[uü]sselbein|rippe|kn[oö]chel|finger|nase|zahn|schulter|h[uü]fte)\p{L}* (?:\p{L}+ ){0,2}(?:gebrochen|verstaucht|geprellt|ausgekugelt)|blutet|geblutet|genäht|notaufnahme|(?:ins|in die) (?:krankenhaus|klinik)|(?:im|aus dem) krankenhaus (?:\p{L}+ ){0,3}(?:gelegen|liegt|lag|entlassen)|krankenwagen|rettungswagen|notarzt|giftnotruf|vergiftung|vergiftet`,
      String.raw`(?:fast|beinahe|um ein haar) (?:\p{L}+ ){0,4}(?:gest[uü]rzt|verungl[uü]ckt|verletzt|[uü]berfahren|umgekommen|gestorben|in die leitplanke|gegen (?:ein|einen|die|den|das))|bremse\p{L}* (?:\p{L}+ ){0,6}(?:versagt|ausgefallen|(?:nicht|kaum) (?:mehr )?(?:gegriffen|gebremst|greift|greifen|funktioniert))|(?:kind|tochter|sohn|kleine\p{L}*|baby|enkel\p{L}*)(?: \p{L}+){0,6} (?:verschluckt|geschluckt|getrunken|in den mund genommen)|(?:ins|in die) augen? (?:\p{L}+ ){0,2}(?:bekommen|gespritzt|gekommen|gelangt)`,
    ].join('|'),
    'u',
  ),
);

/**
 * The same dangers told in Portuguese: an allergic reaction or a wound after wearing something (an
 * ear inflamed, skin itching or blistered), bleeding, a burn, a shock, smoke or fire, someone hurt
 * or choking, a child who swallowed something, a trip to the emergency room (not "tenho alergia a
 * níquel", a question asked before buying, nor working at a hospital).
 */
const HARM_PORTUGUESE = wholeWords(
  new RegExp(
    [
      String.raw`rea[cç][aã]o al[eé]rgica|(?:deu|deram|causou|provocou|apareceu|apareceram|surgiu|surgiram|fiquei com|ficou com|t[oô] com|to com|estou com|est[aá] com|ta com|t[aá] com) (?:\p{L}+ ){0,2}(?:alergia|coceira|coceiras|feridas?|bolhas?|vermelhid[aã]o|irrita[cç][aã]o|incha[cç]o|infec[cç][aã]o|pus|queimadura|urtic[aá]ria)`,
      String.raw`(?:orelhas?|pele|dedos?|pesco[cç]o|pulso|bra[cç]o|l[oó]bulo|m[aã]os?|rosto|olhos?|boca|garganta|l[aá]bios?|furo)(?: \p{L}+){0,3} (?:inflamou|inflamad[oa]s?|inchou|inchad[oa]s?|infeccionou|infeccionad[oa]s?|ferid[oa]s?|sangrando|sangrou|co[cç]ando|descascando|em carne viva|ardendo|queimad[oa]s?|com bolhas|com pus)`,
      String.raw`sangr(?:ando|ou|amento)|pronto ?socorro|(?:fui|foi|fomos|levei|levamos|levaram|correr) (?:\p{L}+ ){0,2}(?:ao|pro|para o|pra|no) (?:hospital|pronto socorro|upa|dermatologista|pediatra|m[eé]dico)|ambul[aâ]ncia|samu|(?:me|se|nos) (?:machuc|cort|queim|feri)\p{L}*|machucou|engasg\p{L}*|engoliu|choque el[eé]trico|(?:levei|levou|tomei|tomou) (?:um )?choque|pegou fogo|(?:soltou|saiu|saindo) fuma[cç]a|cheiro (?:forte )?(?:a|de) queimado|intoxica[cç][aã]o|intoxicad[oa]|envenenad[oa]|envenenou|envenenamento`,
    ].join('|'),
    'u',
  ),
);

/**
 * A scare in the water: "dragged out in a rip", "lifeguards had to grab him". Harm a person must
 * take when gear failed in it (see PRODUCT_FAULT); told as what happened, a hard time.
 */
const WATER_SCARE =
  /\b(?:(?:dragged|pulled|swept|sucked) (?:\w+ )?out (?:\w+ ){0,3}(?:rip|current|surf|sea)|caught in a rip|rip current|lifeguards? (?:had to|pulled|grabbed|rescued|brought)|(?:nearly|almost) drown\w*)\b/;

/**
 * A near miss, told as one: what could have happened ("could have burned the tent with my
 * children inside", "someone is going to get hurt"), nobody hurt by luck, and the shopper asking
 * the store to stop the same thing reaching others ("check the other ones from this batch",
 * "don't rent that one again", "it should be recalled").
 */
const NEAR_MISS =
  /\b(?:(?:could|might|would) (?:easily |very easily |so easily )?have (?:been )?(?:killed|hurt|injured|burn(?:ed|t)|died|fallen|exploded|blown up|gone up|caught fire|set (?:\w+ )?on fire|electrocuted|drowned|suffocated|choked|strangled|crushed|(?:seriously|badly) (?:hurt|injured)|a (?:disaster|tragedy|fatality)|fatal|deadly)|(?:could|might|would) have (?:hurt|injured|killed|burned|burnt) (?:someone|somebody|me|him|her|them|us|my \w+|a child|the kids)|(?:someone|somebody|people|a child|kids|children) (?:could|might|will|is going to|are going to) (?:get|be) (?:badly |seriously )?(?:hurt|killed|injured|burned|burnt)|(?:lucky|luckily|fortunately|thankfully) (?:nobody|no one|none of us) (?:was|were|got) (?:hurt|injured|burned|burnt)|near miss|(?:nearly|almost) (?:hurt|killed|injured|burned|burnt|crushed|strangled|choked|drowned|suffocated) (?:me|him|her|them|us|my \w+|our \w+|someone|somebody|a child|the kids?)|(?:worried|worry|scared|terrified|afraid|shudder|dread) (?:to think |about |of )?what (?:could|would|might) have happened|(?:check\w*|inspect\w*|test\w*|look\w* at|pull\w*) (?:all )?(?:the )?(?:other|rest of the|remaining) (?:\w+ ){0,2}(?:from|in|of) (?:the same|this|that) (?:batch|delivery|lot|shipment|production run|series)|(?:should|needs? to|must|ought to) be recalled|(?:other|more) (?:\w+ )?(?:children|kids|people|climbers|customers|users|babies|riders|families|parents) (?:\w+ ){0,3}(?:wearing|using|riding|sleeping in|strapped into|climbing on|driving) (?:the )?same|(?:issue|do|start) a recall|pull (?:it|them|this|these) (?:from|off) (?:sale|the shelves)|(?:doesnt|does not|wont|will not|never) (?:go|goes|get|gets) out to (?:the next|another) (?:person|customer|renter|group)|(?:dont|do not|never) (?:rent|sell|hire) (?:that|this|it) (?:\w+ )?(?:out )?again)\b/;

function harmIn(n: string): boolean {
  if (OWN_DOING.test(n)) return false;
  const ownLife = LIFE_EVENT.test(n) && !PRODUCT_FAULT.test(n);
  const careOnly = CARE_SOUGHT.test(n) && !ILLNESS.test(n) && !CALLS_OFF.test(n) && !ownLife;
  const gearFailed = WATER_SCARE.test(n) && PRODUCT_FAULT.test(n);
  const harm =
    HARM.test(n) ||
    HARM_ELSEWHERE.test(n) ||
    HARM_GERMAN.test(n) ||
    HARM_PORTUGUESE.test(n) ||
    NEAR_MISS.test(n);
  return harm || reportsSymptom(n) || careOnly || gearFailed;
}

/** Someone was hurt or is in danger. */
export function reportsHarm(text: string): boolean {
  return harmIn(spacedWords(text));
}

/**
 * The same in French and Spanish: "mon avocat", "mise en demeure", "porter plainte", "abogado",
 * "Profeco", "una demanda contra". ("Avocat" alone is also an avocado, "demanda" also demand.)
 */
const LEGAL_ELSEWHERE = wholeWords(
  /(?:mon|notre|votre) avocat|(?:contacter|consulter|prendre|saisir|voir) (?:un |mon )?avocat|mise en demeure|(?:porter|d[ée]poser|porte|d[ée]pose) plainte|au tribunal|en justice|dgccrf|que choisir|abogad[oa]s?|demandar(?:los|les|te)?|(?:una |la )?demanda (?:legal|formal|contra|judicial)|profeco|(?:una |la )?denuncia|denunciar(?:los|les)?|tribunal(?:es)?/u,
);

/** The same in German: "mein Anwalt", "rechtliche Schritte", "Verbraucherzentrale", "Klage". */
const LEGAL_GERMAN = wholeWords(
  /(?:rechts)?anw[aä]lt\p{L}*|rechtliche schritte|rechtlichen schritten|verbraucherzentrale|verklagen|klage (?:ein|einreichen|erheben)|vor gericht|abmahnung|schlichtungsstelle/u,
);

/**
 * The same in Portuguese: "Procon", "Reclame Aqui", "meu advogado", "vou entrar na justiça", "abrir
 * um processo", "pequenas causas" (not the "processo de gravação", a process).
 */
const LEGAL_PORTUGUESE = wholeWords(
  /procon|reclame ?aqui|advogad[oa]s?|(?:entrar|entro|vou entrar|recorrer) (?:na|[aà]) justi[cç]a|(?:abrir|abro|abrirei|entrar com|entro com|mover) (?:um )?processo|processo (?:judicial|contra)|(?:vou|vamos|irei) process[aá]\p{L}*|processar (?:voc[eê]s|a loja|a empresa)|juizado|pequenas causas|consumidor gov|a[cç][aã]o judicial|direitos do consumidor|c[oó]digo de defesa do consumidor|notifica[cç][aã]o extrajudicial|boletim de ocorr[eê]ncia|(?:vou|vamos|irei) (?:\p{L}+ )?denunciar/u,
);

/** The shopper threatens legal action or has counsel involved. */
export function threatensLegal(text: string): boolean {
  const n = spacedWords(text);
  return (
    LEGAL.test(n) || LEGAL_ELSEWHERE.test(n) || LEGAL_GERMAN.test(n) || LEGAL_PORTUGUESE.test(n)
  );
}

/**
 * The same in French and Spanish: "quelqu'un a utilisé mon compte", "je n'ai jamais passé cette
 * commande", "débit inconnu", "me robaron la cuenta", "yo no hice ese pedido".
 */
const FRAUD_ELSEWHERE = wholeWords(
  /quelqu ?un (?:d autre )?(?:a |aurait )?(?:utilis[ée]|pirat[ée]|acc[ée]d[ée]|pass[ée]|command[ée]|chang[ée]|modifi[ée]) (?:mon|ma|mes|notre|une|des|avec)|(?:compte|carte|adresse mail|mot de passe) (?:a [ée]t[ée] |est |ont [ée]t[ée] )?(?:pirat[ée]|hack[ée]|vol[ée]|chang[ée] sans)|je n ai (?:jamais|pas) (?:pass[ée]|fait|command[ée]|autoris[ée]) (?:cette|ces|ce|la|les|une|aucune)|(?:d[ée]bits?|pr[ée]l[eè]vements?|paiements?) (?:inconnus?|frauduleux|non autoris[ée]s?)|fraude|frauduleu\p{L}*|usurpation|arnaque|hame[çc]onnage|me (?:robaron|hackearon|clonaron|hackeron) (?:la |mi |el )?(?:cuenta|tarjeta|datos|contrase[nñ]a)?|yo no (?:hice|ped[ií]|compr[eé]|autoric[eé]|realic[eé]) (?:nada de eso|ese|esa|este|esta|esos|esas|eso|ning[uú]n)|no reconozco (?:el|este|ese|esta|esa|los|estos|esos) (?:cargos?|cobros?|pedidos?|compras?|movimientos?)|(?:cargos?|cobros?|compras?) no (?:reconocid|autorizad)\p{L}*|suplantaci[oó]n|estafa|(?:sms|mensaje|correo|e ?mail|whatsapp|llamada|courriel|texto) (?:\p{L}+ ){0,3}(?:que )?(?:dice|dec[ií]a|dicen) (?:que )?(?:es|era|viene|ven[ií]a) de|haci[ée]ndose pasar por|se faisant passer pour|(?:pr[ée]tend|pr[ée]tendant) (?:[êe]tre|venir) de/u,
);

/** Fraud, an account break-in, or a charge or order the shopper did not make. */
export function reportsFraud(text: string): boolean {
  const n = spacedWords(text);
  return (
    FRAUD.test(n) || FRAUD_ELSEWHERE.test(n) || FRAUD_GERMAN.test(n) || FRAUD_PORTUGUESE.test(n)
  );
}

/**
 * The same in Portuguese: "caí num golpe", "meu cartão foi clonado", "uma compra que eu não fiz",
 * "usaram meu CPF" (not "vocês são confiáveis ou é golpe?", a question asked before buying).
 */
const FRAUD_PORTUGUESE = wholeWords(
  /(?:ca[ií]|cai|sofri|levei|tomei|v[ií]tima de|ca[ií]mos|sofremos|aplicaram|deram) (?:num |em um |um |de |me )?golpe|golpistas?|fraude|fraudulent\p{L}*|clonad[oa]s?|clonaram|hackearam|hackead[oa]s?|invadi(?:ram|da|do)|(?:compras?|cobran[cç]as?|pedidos?|pagamentos?|pix|d[eé]bitos?) (?:que )?(?:eu )?n[aã]o (?:fiz|reconhe[cç]o|autorizei|realizei)|n[aã]o (?:fiz|reconhe[cç]o|autorizei|realizei) (?:essa|esse|essas|esses|nenhuma|nenhum) (?:compras?|pedidos?|cobran[cç]as?|pagamentos?|pix)|usaram (?:meu|minha) (?:cart[aã]o|conta|nome|cpf|dados)|estelionat\p{L}*/u,
);

/**
 * The same in German: "Betrug", "mein Konto wurde gehackt", "ich habe das nicht bestellt", "eine
 * Abbuchung, die ich nicht kenne".
 */
const FRAUD_GERMAN = wholeWords(
  /betrug|betr[uü]ger\p{L}*|gehackt|unbefugt\p{L}*|(?:nicht|nie) (?:von mir|ich) (?:bestellt|get[aä]tigt|autorisiert)|(?:ich|wir) (?:habe|hab|haben) (?:das|diese|diesen|die|den|nichts|nie) (?:\p{L}+ ){0,2}(?:nie |nicht )?(?:bestellt|gekauft)|(?:abbuchung|buchung|zahlung|belastung)\p{L}*,? (?:die|der|den) ich nicht (?:kenne|erkenne|get[aä]tigt|veranlasst)|phishing|identit[aä]tsdiebstahl/u,
);

/**
 * A parcel the shopper did not get: marked delivered and not received ("says delivered but nobody
 * rang", "consta entregue, não recebi"), or lost or stolen on the way, in the languages read.
 */
const DELIVERED = wholeWords(/delivered|entregue|entregado|livr[ée]e?s?|zugestellt|geliefert/u);
const NOT_RECEIVED = wholeWords(
  /(?:not|never|havent|have not|hasnt|has not|didnt|did not) (?:\p{L}+ )?(?:received|receive|got|get|arrived|arrive|here|come|came)|nothing (?:has )?(?:came|come|arrived|turned up|here)|never (?:turned up|showed up)|nobody (?:rang|knocked|came|was there|delivered)|no one (?:rang|knocked|came)|wasnt (?:delivered|left)|(?:n[ãa]o|nunca) (?:recebi|recebemos|chegou|veio|entregaram)|ningu[ée]m (?:tocou|entregou|veio|apareceu)|no (?:lo |la |los |las )?(?:he|hemos) recibido|no (?:me )?(?:ha|han) llegado|no (?:lo |la )?recib[ií]|nunca (?:lleg[óo]|recib[ií])|(?:pas|jamais|rien) re[çc]u|(?:nicht|nie|niemals) (?:erhalten|bekommen|angekommen)/u,
);
const LOST_IN_TRANSIT = wholeWords(
  /lost in (?:the )?(?:post|mail|transit)|(?:parcel|package|order|delivery) (?:is |was |has |went |has gone |got )?(?:missing|lost|stolen)|stolen from (?:my |our |the )?(?:porch|doorstep|door|mailbox|letterbox)|extraviad[oa]s?|se (?:ha )?perdi[óo]|colis (?:perdu|vol[ée])|(?:paket|sendung) (?:ist |wurde )?(?:verloren|gestohlen|verschwunden)|verloren gegangen/u,
);

export function reportsLostParcel(text: string): boolean {
  return lostParcelWords(text).length > 0;
}

/** Every match, not the first: global, so read only through `matchAll` (which copies it). */
const NOT_RECEIVED_ALL = new RegExp(NOT_RECEIVED.source, 'gu');
const LOST_IN_TRANSIT_ALL = new RegExp(LOST_IN_TRANSIT.source, 'gu');

/** The words that say the parcel was not received or was lost ("nao recebi", "lost in the post"). */
export function lostParcelWords(text: string): string[] {
  const n = spacedWords(text);
  const all = (pattern: RegExp) => [...n.matchAll(pattern)].map((m) => m[0].trim());
  return [...(DELIVERED.test(n) ? all(NOT_RECEIVED_ALL) : []), ...all(LOST_IN_TRANSIT_ALL)];
}

/** A rule's title about parcels lost, stolen or not received: "Lost parcels", "Pedido extraviado". */
const LOST_TITLE = wholeWords(
  /lost|missing|undelivered|non ?delivery|not received|never arrived|(?:parcels?|packages?|deliver\p{L}*) stolen|stolen (?:parcels?|packages?|deliver\p{L}*)|extraviad\p{L}*|perdid[oa]s?|perdus?|verloren\p{L}*|n[ãa]o recebid\p{L}*|no recibid\p{L}*|non re[çc]us?/u,
);

/** The rule is about parcels lost or not received, by its title. */
export function ruleNamesLostParcel(rule: { title: string }): boolean {
  return LOST_TITLE.test(spacedWords(rule.title));
}

const SITUATION_TITLES = {
  harm: /\b(?:injur\w*|safety|unsafe|harm\w*|hurt|fires?(?! (?:pits?|tables?|bowls?|starters?|places?|wood|logs?)\b)|smoke|sparks?|sparking|burns?|burning|electric(?:al)? shocks?|medical|health|hazard\w*|allerg\w*|accident\w*|sick\w*|illness|poison\w*|symptoms?|recalls?)\b/,
  legal: /\b(?:legal|lawyers?|attorneys?|lawsuits?|litigation|court)\b/,
  // "Stolen" makes fraud of stolen cards or identities, not of a parcel lost or stolen in transit.
  fraud:
    /\b(?:fraud\w*|security|unauthori[sz]ed|hack\w*|scams?|stolen (?:cards?|accounts?|identit\w*|details|credentials|payments?)|(?:cards?|accounts?|identit\w*|details|credentials) (?:\w+ )?stolen|identity theft)\b/,
} as const;

/** The same titles in French and Spanish: "Sécurité alimentaire", "Riesgo de seguridad del bebé". */
const SITUATION_TITLES_ELSEWHERE = {
  harm: wholeWords(
    /s[eé]curit[eé]|seguridad|segurança|seguranca|blessures?|lesi[oó]n|lesiones|heridas?|accidents?|accidentes?|sant[eé]|salud|allergi\p{L}*|alergi\p{L}*|intoxica\p{L}*|m[eé]dic\p{L}*|dangers?|peligros?|riesgos?|risques?|rappels? produits?/u,
  ),
  legal: wholeWords(
    /juridique|jur[ií]dic[oa]s?|l[eé]gal(?:e|es)?|abogad[oa]s?|avocats?|tribunal|plaintes?|demandas? (?:legal|judicial)\p{L}*|amenazas? legal\p{L}*|menaces? juridiques?|litiges?|contentieux/u,
  ),
  fraud: wholeWords(
    /fraudes?|frauduleu\p{L}*|piratage|pirat[eé]s?|estafas?|arnaques?|paiements? suspects?|pagos? sospechos\p{L}*|cargos? no (?:reconocid|autorizad)\p{L}*|usurpation|suplantaci[oó]n|cuentas? hackead\p{L}*/u,
  ),
} as const;

/**
 * The situation an escalation rule is about, by its title (its intent): "Safety hazards" is about
 * harm, while a remake rule that quotes "can't see" is not. An emergency in the title is harm
 * only when the description says so: "Event-day emergencies" may be a missing outfit. Null for
 * other rules.
 */
export function ruleNamesSituation(rule: {
  title: string;
  description: string;
}): 'harm' | 'legal' | 'fraud' | null {
  const named = titleNames(rule.title);
  if (named !== null) return named;
  if (!EMERGENCY.test(spacedWords(rule.title))) return null;
  return titleNames(rule.description) === 'harm' || reportsHarm(rule.description) ? 'harm' : null;
}

const EMERGENCY = wholeWords(/emergenc\p{L}*|urgenc\p{L}*/u);

function titleNames(title: string): 'harm' | 'legal' | 'fraud' | null {
  const n = spacedWords(title);
  for (const key of ['harm', 'legal', 'fraud'] as const) {
    if (SITUATION_TITLES[key].test(n) || SITUATION_TITLES_ELSEWHERE[key].test(n)) return key;
    if (needsPerson(title) === key) return key;
  }
  return null;
}

/** A situation that common sense hands to a person whatever the configuration says. */
export function needsPerson(text: string): 'harm' | 'legal' | 'fraud' | null {
  // A legal threat or fraud is named first: an injury that comes with a threat to sue is a
  // claim a person must handle, and harm words are read less surely.
  if (threatensLegal(text)) return 'legal';
  if (reportsFraud(text)) return 'fraud';
  if (reportsHarm(text)) return 'harm';
  return null;
}

const GRIEF =
  /\b(?:(?<!\b(?:battery|batteries|phone|motor|engine|car|laptop|plant|plants|it|light|lights|bulb|device|machine|screen|pump|charger|tree|trees|seedlings|flowers|app|signal) )(?:died|dies|dying(?! (?:to|for)\b| of (?:boredom|laughter|curiosity|embarrassment)| laughing))|passed away|passed on|passing|(?:before|after|since|when|the day) (?:he|she|they|my \w+|our \w+) passed\b|funeral|memorial|bereave\w*|condolences|lost (?:my|our|his|her|their|a) (?:\w+ )?(?:mom|mum|mother|dad|father|husband|wife|partner|son|daughter|baby|child|brother|sister|grandma|grandmother|grandpa|grandfather|friend|dog|cat|pet)|(?:my|our) late (?:\w+ )?(?:mom|mum|mother|dad|father|husband|wife|partner|son|daughter)s?|(?:we|i) lost (?:him|her) (?:in|last|this|on|to|at)|(?:my|our) (?:mom|mum|mother|dad|father|husband|wife|partner|son|daughter|brother|sister|grandma|grandmother|grandpa|grandfather) (?:\w+ )?passed|miscarr\w*|stillbirth|(?:baby|pregnancy) (?:isnt|is not|wont be|will not be|is no longer) (?:coming|happening)|put (?:him|her|them) (?:down|to sleep)|(?:had to be|had to have (?:him|her|them)) put (?:down|to sleep)|(?:was|were|got|been) put to sleep|(?:dog|cat|pet|horse|pony|puppy|kitten|rabbit|bunny) (?:\w+ ){0,3}(?:was|were|got|been) put down|cremat\w*|(?:no longer|not) with us|(?:hes|shes|he s|she s|he is|she is) gone now|(?:was|were|got|been|being) killed|(?:that|which|who) killed|killed (?:in|by) (?:a|an|the)|(?:couldnt|could not|didnt|did not) (?:find|reach|save|get to) (?:him|her|them|the \w+) in time|(?:mom|mum|mother|dad|father|husband|wife|son|daughter|brother|sister) (?:\w+ )?(?:expired|is no more))\b/;

/** The same in the languages shoppers mix in: Tagalog, Spanish, French, Portuguese, Italian. */
const GRIEF_ELSEWHERE = wholeWords(
  /(?:namatay|pumanaw|yumao|burol|lamay|libing|(?:wala na|patay na) (?:nga )?(?:po )?(?:si|ang)|falleci[óo]|fallecimiento|muri[óo]|velorio|sepelio|d[ée]c[ée]d[ée]e?|d[ée]c[èe]s|obs[èe]ques|enterrement|fun[ée]railles|est (?:mort|morte) (?:hier|la semaine|ce matin|le mois)|faleceu|falecimento|(?<!(?:bateria|celular|rel[oó]gio|pilha|carregador|fone|notebook|planta|flor|motor) (?:j[aá] )?)morreu|vel[óo]rio|[èe] morto|[èe] morta|scomparso|scomparsa)/u,
);

/**
 * Grief told in German: "mein Vater ist verstorben", "die Beerdigung", "unser Hund musste
 * eingeschläfert werden" (not a battery that "died": "der Akku ist gestorben").
 */
const GRIEF_GERMAN = wholeWords(
  /(?:vater|mutter|papa|mama|opa|oma|mann|frau|sohn|tochter|bruder|schwester|freund\p{L}*|hund|katze|partner\p{L}*|gro[sß]vater|gro[sß]mutter|onkel|tante|kind|baby|schwieger\p{L}*)\p{L}* (?:\p{L}+ ){0,4}(?:verstorben|gestorben|eingeschl[aä]fert|ums leben gekommen|tot)|(?:er|sie) ist (?:\p{L}+ ){0,3}(?:gestorben|verstorben)|verstorbene\p{L}*|beerdigung|trauerfeier|beisetzung|fehlgeburt|sternenkind|beileid|(?:seit|nach) dem tod|(?:im|letzten|diesen) \p{L}+ verstorben/u,
);

/**
 * Grief told in Portuguese: "minha mãe faleceu", "perdi meu pai", "o enterro", "estou de luto",
 * "missa de sétimo dia" (not a battery that "morreu").
 */
const GRIEF_PORTUGUESE = wholeWords(
  /(?:m[aã]e|pai|mam[aã]e|papai|v[oó]|v[oô]|av[oó]|av[oô]|vov[oóô]|marido|esposa|esposo|filh[oa]|irm[aã]o?|tio|tia|amig[oa]|noiv[oa]|namorad[oa]|sogr[oa]|cachorr[oa]|cachorrinh[oa]|gat[oa]|gatinh[oa]|beb[eê])s? (?:\p{L}+ ){0,4}(?:faleceu|falecid[oa]|morreu|se foi|nos deixou)|(?:ele|ela) (?:\p{L}+ ){0,2}(?:faleceu|morreu)|perdi (?:a minha |o meu |minha |meu )(?:m[aã]e|pai|mam[aã]e|papai|v[oó]|v[oô]|av[oó]|av[oô]|marido|esposa|esposo|filh[oa]|irm[aã]o?|beb[eê]|cachorr[oa]|gat[oa]|amig[oa]|noiv[oa])|enterro|sepultamento|(?:de|em) luto|missa de (?:s[eé]timo dia|7o dia|um ano)|condol[eê]ncias|meus p[eê]sames|perdi o beb[eê]|aborto espont[aâ]neo|(?:em|na) mem[oó]ria (?:d[aeo]|ao|[aà])/u,
);

/**
 * Hard times told in Portuguese: devastated, in tears, sad or shaken, robbed, a lost job, a
 * diagnosis, surgery, a flood or fire at home ("to arrasada", "chorando", "fui assaltada").
 */
const DISTRESS_PORTUGUESE = wholeWords(
  /arrasad[oa]s?|desesperad[oa]s?|devastad[oa]s?|chorando|chorei|aos prantos|em l[aá]grimas|(?:muito|mto|t[aã]o|super|bem|to|t[oô]|estou|fiquei) (?:muito |mto |super |t[aã]o )?(?:triste|abalad[oa]|magoad[oa]|angustiad[oa]|ansios[oa])|em p[aâ]nico|(?:fui|fomos) (?:assaltad[oa]s?|roubad[oa]s?)|me (?:assaltaram|roubaram)|(?:perdi|perdeu) (?:o |meu |seu )?emprego|desempregad[oa]|fui demitid[oa]|div[oó]rcio|enchente|inc[eê]ndio|c[aâ]ncer|quimioterapia|cirurgia|uti|hospitalizad[oa]|depress[aã]o/u,
);

/**
 * Anger told in Portuguese: "absurdo", "palhaçada", "que vergonha", "vcs não têm vergonha",
 * "descaso", "inaceitável", "terceira vez que peço".
 */
const ANGER_PORTUGUESE = wholeWords(
  /absurdo|rid[ií]cul[oa]|palha[cç]ada|inadmiss[ií]vel|inaceit[aá]vel|revoltad[oa]|indignad[oa]|furios[oa]|(?:muito|mto|to|t[oô]|estou|fiquei) (?:muito |mto |super )?(?:irritad[oa]|nervos[oa]|brav[oa]|put[oa])|que raiva|descaso|desrespeito|falta de respeito|(?:que|q|uma|[eé] uma|eh uma) vergonha|vergonha (?:na cara|nenhuma)|voc[eê]s? (?:n[aã]o )?t[eê]m vergonha|tenham vergonha|(?:terceira|quarta|quinta|3a|4a|5a|3ª|4ª|5ª) vez (?:que|q) (?:\p{L}+ ){0,2}(?:pe[cç]o|pergunto|escrevo|mando|falo|tento|entro em contato)/u,
);

const DISTRESS =
  /\b(?:crying|cried|in tears|devastated|heartbroken|(?:we|they|i) (?:have |had |ve |just |recently )*(?:broke up|broken up|split up|separated)|(?:im|i am|i m|feeling|felt|quite|very|really|so|pretty|bit|rather|extremely) upset(?! (?:stomach|tummy))|(?:my|our) (?:break ?up|divorce|separation)|dumped me|diagnosed with|(?:had|suffered|after) a (?:stroke|heart attack|miscarriage|breakdown)|lost (?:most |all |part )?(?:of )?(?:my|the|his|her) (?:vision|sight|eyesight|hearing|home|house|job)|going blind|burned down|burnt down|(?:house|home|kitchen|apartment|flat) (?:fire|flood)|flooded|flooding|lost everything|arthritis|disabilit\w*|disabled|wheelchair|chronic (?:pain|illness)|parkinson\w*|dementia|alzheimer\w*|(?:moving|moved|move|going|went|gone|admitted|placed) (?:\w+ )?(?:into|to|in) (?:a |an |the )?(?:memory care|care home|nursing home|assisted living|hospice)|(?:cant|cannot|can not) (?:really )?(?:grip|lift|walk|stand)|evicted|homeless|divorce|widowed|humiliat\w*|embarrass\w*|ashamed|depressed|anxious|anxiety|panic\w*|scared(?! (?:\w+ ){0,4}too \w+)|terrified|(?:most|so|really|very|super|incredibly|truly) (?:scary|frightening|terrifying)|scariest|(?:im|i am|i m|we are|were) (?:still )?(?:sitting (?:\w+ ){0,4})?(?:shaking|trembling)(?! (?:the|a|an|it|my|this|that|them|up|off|out|hands)\b)|(?:my|our) hands (?:are |were |still )*(?:shaking|trembling)|(?:shaking|trembling) (?:the whole (?:way|time|night)|all (?:over|night)|with fear|like a leaf|for hours)|still (?:shaking|trembling|shaky)|nightmares|(?:isnt|is not|hasnt been|has not been|havent been|have not been) sleeping|(?:so|really|very|terribly|truly) afraid|afraid for|frightened|worried sick|desperate|overwhelmed|stressed|miserable|hopeless(?! (?:at|with) )|chemo|chemotherapy|cancer|hospice|terminal|diagnosis|surgery|im broke|i am broke|flat broke|(?:on|living on) a (?:fixed|small|tiny) (?:income|pension)|(?:were|was|got|been|being|had to be) evacuated|(?:cant|can not|cannot) think straight|(?:dont|do not) know (?:yet )?if (?:the|our|my) (?:house|home|flat|apartment) is still standing|cant afford|can not afford|no money|laid off|lost (?:my|his|her|our|their) job|(?:made|been made|was made) redundant|out of work|unemployed)\b|\b(?:rent|money|cash|funds)(?: is| s| are| was|s)? (?:really |very |so |pretty |a bit )?(?:short|tight|low)\b|\b(?:short|tight) (?:on (?:money|cash|funds)|this month)\b|\bpaycheck to paycheck\b|\b(?:very |so |really )?little money (?:now|left|at the moment)\b|\b(?:salary|wages|pay|paycheck|benefits|scholarship|pension|loan)(?: payment)? (?:is|are|was|were|has been|have been) (?:delayed|late|stopped|cut)\b|\b(?:medical|hospital|vet) bills\b|\b(?:cant|can not|cannot) (?:keep )?(?:paying|afford)\b|\b(?:cant|can not|cannot|couldnt) (?:make|pay|cover) (?:the |my |our )?(?:rent|bills)\b|\b(?:in|had|was in|been in) (?:a |an )?(?:bad |serious |terrible |awful |horrible |major |car )?(?:accident|crash|collision|wreck)\b|\b(?:rear ended|t boned|hit by a (?:car|truck|driver))\b|\b(?:very |so |really |pretty |still )?(?:shaken|shook up|traumati[sz]ed|trauma)\b|\btherapist\b|\bptsd\b/;

/**
 * The same hard times in Spanish and French: a stay in hospital or intensive care, a premature
 * baby, a diagnosis, a lost job, a home flooded or burgled, tears.
 */
const DISTRESS_ELSEWHERE = wholeWords(
  /engelure\p{L}*|(?:failli|manqu[ée] de) (?:en |le |la |les )?perdre|hospitali[sz]\p{L}*|internad[oa]s?|me internaron|lo internaron|la internaron|(?:en|a) (?:la )?(?:ucin|uci|terapia intensiva|cuidados intensivos|incubadora)|intubad[oa]s?|intub[ée]e?s?|prematur\p{L}*|pr[ée]matur\p{L}*|cardiopat\p{L}*|c[aá]ncer|cancer|quimio\p{L}*|chimio\p{L}*|preeclampsia|pr[ée][ée]clampsie|aborto espont[aá]neo|fausse couche|perd[ií] (?:al|a mi|el) beb[eé]|cirug[ií]a|chirurgie|(?:en )?(?:r[ée]animation|soins intensifs|n[ée]onatalogie)|(?:estoy|estamos) (?:muy |tan )?(?:triste|desesperad[oa]|angustiad[oa]|destrozad[oa]|devastad[oa])s?|(?:je suis|on est|nous sommes) (?:\p{L}+ )?(?:d[ée]vast[ée]e?|effondr[ée]e?|d[ée]sesp[ée]r[ée]e?|angoiss[ée]e?|boulevers[ée]e?)s?|llorando|(?:estoy|estaba) temblando|en larmes|je pleure|je tremble|(?:muy |tan |super )?(?:nervios[oa]|asustad[oa]|espantad[oa])|tengo miedo|me da miedo|me (?:dio|dieron|ha dado|han dado) (?:mucho |much[ií]simo |tanto |un poco de )?miedo|(?:estoy|estamos|qued[eé]|quedamos) (?:re |muy |super |s[uú]per |bastante |tan |realmente )?preocupad[oa]s?|(?:de verdad|realmente|en serio) (?:me preocupa|estoy preocupad[oa])|no (?:he|hemos) (?:podido )?dormido|no (?:pude|pudimos|puedo) dormir|j ai (?:tr[eè]s )?peur|(?:j ai|on a) eu (?:tr[eè]s |super |vraiment )?peur|je suis (?:tr[eè]s |super |vraiment )?(?:inqui[eè]te?|angoiss[ée]e?)|je n ai pas (?:pu )?dormi|(?:fue|ha sido) (?:horrible|terrible|un desastre|humillante)|(?:c [ée]tait|quelle|une) (?:horrible|catastrophe|humiliation|cauchemar)|arruin[oó]|g[aâ]ch[ée]e?|me (?:corrieron|despidieron)|(?:sin|perd[ií] mi) (?:trabajo|empleo)|(?:perdu|perdre) (?:mon|son|notre) (?:travail|emploi|boulot|job)|(?:me fais|me faire|vais me faire|me suis fait|se fait|s est fait) op[eé]rer|immobilis[eé]e?|(?:ne (?:peux|peut|pouvons)|ya no (?:puedo|podemos)) (?:plus )?(?:payer|pagar|me le permettre|permit[ií]rmelo)|licenci[ée]e?|au ch[oô]mage|(?:se )?(?:inund[oó]|quem[oó]) (?:mi|la|nuestra) casa|(?:nos )?robaron (?:la casa|en casa)|cambriol\p{L}*|inond[ée]e?s?|incendie/u,
);

/**
 * Hard times told in German: shaken and scared, in tears, a diagnosis, a theft, a loss; "total
 * fertig", "am Boden zerstört".
 */
const DISTRESS_GERMAN = wholeWords(
  /total fertig|fix und fertig|am boden zerst[oö]rt|verzweifelt|in tr[aä]nen|geweint|heulend|(?:die |eine )?diagnose (?:bekommen|erhalten)|diagnostiziert|krebs|chemo\p{L}*|schlaganfall|herzinfarkt|(?:total |voll |sehr |echt )?erschrocken|unter schock|schockiert|(?:wurde|wurden|ist|sind) (?:\p{L}+ ){0,3}(?:gestohlen|geklaut)|(?:gestohlen|geklaut) worden|eingebrochen|einbruch|(?:job|arbeit|wohnung) verloren|scheidung|hochwasser|[uü]berschwemm\p{L}*|abgebrannt|(?:hat es|es hat) (?:\p{L}+ ){0,6}gebrannt|(?:haus|wohnung|zuhause|keller|hab und gut) (?:\p{L}+ ){0,2}(?:verloren|ausgebrannt|zerst[oö]rt)|pflegefall|tat (?:\p{L}+ ){0,2}weh/u,
);

/** Anger told in German: "Frechheit", "unverschämt", "ich bin fassungslos", "ihr habt nen Knall". */
const ANGER_GERMAN = wholeWords(
  /frechheit|unversch[aä]mt\p{L}*|skandal\p{L}*|inakzeptabel|zumutung|l[aä]cherlich|stinksauer|w[uü]tend|fassungslos|mir reicht\p{L}*|(?:habt|hast|haben) (?:\p{L}+ )?(?:nen|einen) knall|spinnt ihr|ich erwarte (?:eine |umgehend )?(?:l[oö]sung|antwort|r[uü]ckmeldung|erstattung)|zum (?:dritten|vierten|x ten|xten) mal/u,
);

/**
 * The same in Spanish and French: "estoy harto", "hasta las narices", "es una vergüenza", "j'en ai
 * marre", "c'est inadmissible", "je suis furieux".
 */
const ANGER_ELSEWHERE = wholeWords(
  /(?:estoy|estamos|ya estoy) (?:muy |super |bastante )?(?:hart[oa]s?|furios[oa]s?|indignad[oa]s?|cabread[oa]s?|enfadad[oa]s?|quemad[oa]s?)|hasta (?:las narices|el gorro|la coronilla|los huevos)|(?:es|qu[eé]) (?:una )?verg[uü]enza(?! ajena)|inadmisible|inaceptable|indignante|(?:tercera|cuarta|quinta) vez (?:que|q) (?:\p{L}+ ){0,2}(?:escribo|pregunto|pido|llamo|reclamo|contacto|insisto)|(?:je suis|on est|nous sommes) (?:tr[eè]s |vraiment )?(?:furieu(?:x|se)s?|[ée]nerv[ée]e?s?|excéd[ée]e?s?|en col[eè]re|hors de moi)|j en ai (?:marre|ras le bol)|ras le bol|c est (?:une honte|inadmissible|inacceptable|scandaleux)|inadmissible|scandaleu(?:x|se)|(?:troisi[eè]me|quatri[eè]me) fois (?:que )?(?:\p{L}+ ){0,2}(?:[ée]cris|demande|relance|contacte|appelle)/u,
);

const ANGER =
  /\b(?:furious|angry|livid|outraged|outrageous|unacceptable|ridiculous|disgusted|disgusting|appalled|fed up|sick of|worst|pathetic|shameful|disgrace|infuriat\w*|beyond frustrated|(?:im|i am|i m) done being (?:patient|nice|polite|understanding)|(?:lost|losing|out of|run out of|running out of) (?:my |all )?patience|(?:third|fourth|fifth|3rd|4th|5th) time (?:(?:im|i am|i m) (?:writing|asking|contacting|messaging|emailing|chasing)|i (?:have|ve) (?:written|asked|contacted|messaged|emailed)))\b/;

/** Mostly capital letters, over at least `min` letters. */
export function inCapitals(text: string, min = 2): boolean {
  const letters = text.replace(/[^A-Za-z]/g, '');
  const upper = letters.replace(/[^A-Z]/g, '').length;
  return letters.length >= min && upper / letters.length > 0.6;
}

/**
 * A message in capitals or with stacked marks ("!!!", "??") reads as shouting; capitals do not
 * from a shopper who writes everything in them (`capitalsHabit`), as many older people text.
 */
function shouting(text: string, capitalsHabit: boolean): boolean {
  return (!capitalsHabit && inCapitals(text, 12)) || /[!?]{3,}/.test(text);
}

/**
 * A shopper who says they need things explained plainly: their age, poor eyesight, not being at
 * home with technology, not knowing how it works. A bare reply leaves them behind.
 */
const STRUGGLING = new RegExp(
  [
    String.raw`\b(?:i am|im|i m) (?:now )?(?:[6-9]\d|1\d\d)\b(?! (?:minutes?|mins?|hours?|days?|weeks?|months?|miles?|km|kilometers?|percent|pounds|lbs|kg|cm|inches|feet|ft|dollars)\b)|\b(?:age|aged) (?:[6-9]\d)\b|\b(?:[6-9]\d) years old\b`,
    String.raw`\b(?:i am|im|i m) (?:an? )?(?:older|elderly|senior|old|retired|pensioner)\b`,
    String.raw`\bnot (?:very |so |too |that |really )?(?:good|great|familiar|confident|comfortable) (?:with|at) (?:computers?|technology|tech|phones?|the internet|online|emails?|apps?|all (?:of )?this|this|these things)\b`,
    String.raw`\b(?:my )?eyesight (?:is|isnt|has|was|not)\b|\bcant see (?:very |so )?well\b`,
    String.raw`\b(?:in|use|with) (?:simple|plain|easy) (?:words|terms|english|language)\b`,
    String.raw`\b(?:dont|do not) (?:really )?(?:know|understand) how (?:this|it|these|that|any of (?:this|it)|to do (?:this|that|it)) (?:works?|all works)?\b`,
  ].join('|'),
);

/** The shopper says they need things explained plainly (see STRUGGLING). */
export function struggles(text: string): boolean {
  return STRUGGLING.test(spacedWords(text));
}

/** The shopper's emotional state, when the message shows one that a reply must respect. */
export function shopperState(
  text: string,
  capitalsHabit = false,
): 'grief' | 'distress' | 'anger' | 'harm' | null {
  const n = spacedWords(text);
  if (GRIEF.test(n) || GRIEF_ELSEWHERE.test(n) || GRIEF_GERMAN.test(n) || GRIEF_PORTUGUESE.test(n))
    return 'grief';
  if (harmIn(n)) return 'harm';
  // A stay in care that is no product's harm is still a hard time.
  if (
    DISTRESS.test(n) ||
    DISTRESS_ELSEWHERE.test(n) ||
    DISTRESS_GERMAN.test(n) ||
    DISTRESS_PORTUGUESE.test(n) ||
    CARE_SOUGHT.test(n) ||
    WATER_SCARE.test(n)
  )
    return 'distress';
  if (ANGER.test(n) || ANGER_ELSEWHERE.test(n) || ANGER_GERMAN.test(n) || ANGER_PORTUGUESE.test(n))
    return 'anger';
  if (shouting(text, capitalsHabit)) return 'anger';
  return null;
}

const FRUSTRATION = new RegExp(
  [
    String.raw`\b(?:seriously|unbelievable|ridiculous|whatever|useless|pointless|waste of (?:my )?time|not impressed|not helpful|unhelpful|are you (?:even )?(?:reading|listening|serious|joking|kidding)|did you (?:even )?read|you (?:didnt|did not|dont) (?:read|listen|understand)|read (?:my|the) (?:first )?(?:message|email|question|text) again|read my (?:message|text)|thats not what i (?:asked|meant|said|want)|not what i (?:asked|meant)|not my question|i (?:didnt|did not) ask|is (?:this|that) a joke|you must be joking|unreal|ugh|smh|wtf|omg|wow|forget it|never ?mind|i give up|i(?:ll| will) (?:just )?(?:call|go elsewhere|shop elsewhere|figure it out|ask (?:someone|my)|use)|not (?:good|ok|okay|acceptable) enough|so that(?:s| is) a no|great\b.{0,20}\b(?:thanks for nothing|very helpful)|thanks for nothing|simple question|yes or no)\b`,
    String.raw`\bok whatever\b|\bthanks anyway\b|\bthank you anyway\b`,
    // They only wanted an answer: "I just needed to know when…", "is there no FAQ for this?"
    String.raw`\b(?:i )?(?:just|only|simply) (?:wanted|needed|want|need|like|liked|wished|wish) (?:to know|an answer|a yes or no|the (?:number|date|price|answer|figure|info|details?))\b|\b(?:only|just) to (?:know|ask)\b|\b(?:i )?(?:just|only|simply) (?:ask|asked|asking) (?:which|what|how|when|where|if|whether|about)\b|\b(?:hoped|hoping) for a (?:quick|simple|straight) (?:yes or no|answer)\b|\bis there (?:really )?no way to\b|\bsimple (?:\w+ )?question\b|\bcant (?:just )?(?:sit around|wait around|wait (?:days|all day|that long))\b|\bis (?:there|this) (?:no|not) (?:faq|page|info|information|written|listed|on (?:the|your) (?:site|website))\b|\bcant you just (?:tell|answer|say)\b`,
  ].join('|'),
);

const THANKED = /\b(?:thanks|thank you|ty|perfect|awesome|appreciate\w*|lovely|brilliant)\b/;

/** The shopper owns the mistake: "OMG it was there, sorry", "my bad, found it". */
const OWN_MISTAKE =
  /\b(?:my bad|my mistake|my fault|silly me|found it|(?:it|they) (?:was|were) there|(?:never mind|nevermind),? (?:i )?(?:found|got|see) (?:it|them))\b/;

/**
 * The same in French and Spanish: "c'est pas sérieux", "t'as lu ?", "y a pas de réponse
 * simple ?", "no sirve", "¿no leíste?", "pérdida de tiempo".
 */
const FRUSTRATION_ELSEWHERE = wholeWords(
  /(?:c|ce n) est pas s[eé]rieux|n importe quoi|perte de temps|aucune aide|(?:t as|tu as|vous avez) (?:lu|bien lu)|vous lisez (?:mes messages|ce que)|(?:y a|il n y a|n y a t il) pas (?:de |une )?r[eé]ponse (?:simple|rapide|claire)|no sirve|no es serio|qu[eé] poca seriedad|p[eé]rdida de tiempo|no le[ií]ste|(?:no )?(?:hay|tienen) una respuesta (?:simple|r[aá]pida|clara)/u,
);

/**
 * The same in German: "na super", "super hilfreich", "soll das ein Witz sein", "lesen Sie meine
 * Nachricht", "wann ist später?", "bringt mir nichts".
 */
const FRUSTRATION_GERMAN = wholeWords(
  /na (?:super|toll|prima|klasse)|(?:super|echt|sehr|wirklich) hilfreich|ernsthaft\?|im ernst|soll das ein witz sein|(?:sie|du|ihr) (?:lesen|liest|lest|haben|hast|habt) (?:\p{L}+ ){0,2}(?:nicht|gar nicht) (?:gelesen|richtig gelesen|zugeh[oö]rt)|(?:lesen sie|lies|lest) (?:doch |bitte )*meine nachricht|zeitverschwendung|bringt (?:mir )?(?:nichts|nix)|hilft mir (?:nicht|null|gar nicht|kein st[uü]ck)|unbrauchbar|wann ist sp[aä]ter|immer noch nicht|vergiss es/u,
);

/**
 * The same in Portuguese: "sério?", "que absurdo", "não ajudou", "vc leu?", "isso não é resposta",
 * "aff", "só queria saber", "pergunta simples", "nada ainda".
 */
const FRUSTRATION_PORTUGUESE = wholeWords(
  /s[eé]rio|absurdo|palha[cç]ada|perda de tempo|n[aã]o (?:ajudou|ajuda|adianta|serve|resolve|resolveu)(?: nada| em nada)?|n[aã]o tem gra[cç]a|voc[eê]s? (?:leu|leram|t[aá] lendo|est[aá] lendo)|voc[eê]s? n[aã]o (?:leu|leram|l[eê]|entendeu|entende)|isso n[aã]o (?:[eé]|eh) resposta|(?:q|que) beleza|af+s?|afe|pf+|(?:pergunta|d[uú]vida) (?:simples|b[aá]sica)|s[oó] (?:queria|quero|preciso|precisava) saber|sim ou n[aã]o|nada ainda|at[eé] agora nada|ainda nada|(?:e|ent[aã]o) (?:voc[eê]s? )?n[aã]o (?:vai|v[aã]o) fazer nada/u,
);
const THANKED_PORTUGUESE = wholeWords(/obrigad[oa]|valeu|agrade[cç]o|brigad[oa]/u);

/** The shopper is annoyed with the agent's answers or gives up on them. */
export function frustrated(text: string): boolean {
  const n = spacedWords(text);
  const thanked = THANKED.test(n) || THANKED_PORTUGUESE.test(n);
  const grudging = /\b(?:anyway|for nothing|mesmo assim|por nada)\b/.test(n);
  if (thanked && !grudging && !text.includes('?')) return false;
  if (OWN_MISTAKE.test(n)) return false;
  return (
    FRUSTRATION.test(n) ||
    FRUSTRATION_ELSEWHERE.test(n) ||
    FRUSTRATION_GERMAN.test(n) ||
    FRUSTRATION_PORTUGUESE.test(n) ||
    /\?{2,}|\?!|!\?/.test(text) ||
    /^\s*\?+\s*$/.test(text)
  );
}

const REPEATED = new RegExp(
  [
    // French and Spanish: "c'est dans mon premier message", "je l'ai déjà dit", "ya te lo dije".
    String.raw`\b(?:cest|c est|tout est|cetait|c[ée]tait) (?:\w+ )?dans mon (?:premier |dernier |pr[eé]c[eé]dent )?(?:message|mail|email|courriel)\b|\bje (?:vous )?(?:lai|les ai|vous ai|l ai) (?:deja|d[eé]j[aà])|\bcomme je (?:vous )?(?:lai|l ai) (?:dit|[eé]crit|indiqu)|\b(?:re)?lise[zs]? (?:bien )?mon (?:premier |dernier )?(?:message|mail|email|courriel)\b|\btout y est\b|\b(?:tout )?(?:est|[eé]tait|cest|c est) (?:d ?s|dans) (?:le|mon) (?:1er|premier|dernier) (?:sms|texto|message|mail|courriel)\b|\bcf (?:mon|le) (?:1er |premier |dernier )?(?:sms|texto|message|mail|courriel)\b|\bon tourne en rond\b|\bcomme (?:d[eé]j[aà] |deja )?(?:pr[eé]cis[eé]|indiqu[eé]|mentionn[eé]|sp[eé]cifi[eé])(?![a-zà-ÿ])(?! (?:sur|par|dans (?:la|le|les|votre|vos)|[aà] la|en magasin))|\b(?:deuxi[eè]me|troisi[eè]me|2e|3e|2eme|3eme) fois que (?:j [eé]cris|je (?:vous )?(?:dis|[eé]cris|r[eé]p[eè]te|donne))\b|\b(?:lire|lisez|relire|relisez) (?:les|mes|mon) (?:e ?mails?|messages?|courriels?) (?:en entier|jusqu au bout)\b`,
    String.raw`\bya (?:te |se |le |les )?(?:lo |la |los )?(?:dije|di|mand[eé]|envi[eé]|puse|escrib[ií])\b|\bcomo (?:te |le )?(?:dije|escrib[ií])\b|\b(?:est[aá]|estaba|va|iba) (?:todo )?en (?:mi|el) (?:primer |1er |[uú]ltimo )?(?:mensaje|correo|whatsapp|sms)\b|\b(?:estamos dando|damos) vueltas\b|\bcomo (?:ya )?(?:indiqu[eé]|mencion[eé]|especifiqu[eé]|expliqu[eé]|puse)(?![a-zà-ÿ])|\b(?:segunda|tercera) vez que (?:lo )?(?:escribo|digo|repito|mando)\b|\b(?:lee|lea|lean|leer) (?:bien )?mi (?:primer |[uú]ltimo )?(?:mensaje|correo)\b`,
    String.raw`\b(?:already|just) (?:told|gave|sent|said|provided|wrote|write|give|say|send|mentioned|answered|put|typed|shared|did)\b`,
    String.raw`\b(?:as|like) i (?:said|told you|mentioned|wrote|explained|already said)\b`,
    String.raw`\b(?:in|see|read) my (?:first|last|previous|earlier|original|1st) (?:message|email|text|reply|letter|note)\b`,
    String.raw`\bi (?:gave|told|typed|listed|enclosed) you (?:the|my|it|that|this|those|them|all|everything)\b`,
    String.raw`\b(?:enclosed|included|attached|put|listed) (?:all of )?(?:it|them|that|those|everything|all) (?:in|with) my (?:first |last |previous |earlier |original )?(?:message|email|text|letter|note)\b`,
    String.raw`\b(?:in|see) (?:my )?(?:message|email|text) (?:above|below)\b`,
    String.raw`\b(?:second|third|fourth|fifth|2nd|3rd|4th) time\b|\b(?:twice|three times|again and again|over and over)\b|\b(?:two|three|2|3) times already\b|\balready (?:two|three|2|3) times\b`,
    String.raw`^ i (?:told you|said)\b|\b(?:done|tried|did) (?:that|this|it)(?: \d+ times)? already\b|\balready (?:done|tried) (?:that|this|it)\b`,
    String.raw`\b(?:going|go|went|goes|running|run) (?:round |around )?in circles\b|\brepeat(?:ing)? myself\b`,
    // "see above", "scroll up": it is in what they wrote before.
    String.raw`^ (?:\w+ )?(?:see|read|look|check) (?:up )?above\b|\bscroll up\b|\b(?:its|it is|thats|that is|all|everything) (?:\w+ )?above $`,
    String.raw`\bi (?:literally|just) (?:said|told|put|wrote|sent)\b`,
    // "yanagiba, 270 mm. I wrote it before.", "2 its right there"
    String.raw`\b(?:i|we) (?:wrote|said|told you|mentioned|gave|sent|put) (?:it |that |this |you |them )?(?:before|above|earlier)\b|\b(?:its|it is|thats|that is) right there\b`,
    String.raw`\bi (?:put|included|listed|gave|wrote|mentioned|sent) (?:you )?(?:all (?:of )?(?:that|this|those|it)|(?:that|this|those|it) all|everything)\b`,
    String.raw`\bread my (?:message|text|email)\b|\bhere (?:they|it) (?:are|is) again\b`,
    String.raw`\b(?:its|it is|thats|that is|that was|it was|this is|they are|theyre|(?:all|both) (?:\w+ )?(?:are|were)|all of (?:this|that|it) is) (?:all )?in my (?:first |last |previous |earlier |original )?(?:message|email|mail|text|reply)\b`,
  ].join('|'),
);

/**
 * The same in German: "hab ich doch schon geschrieben", "steht in meiner ersten Nachricht", "wie
 * gesagt", "zum dritten Mal", "wir drehen uns im Kreis".
 */
const REPEATED_GERMAN = wholeWords(
  /(?:hab|habe|hatte|haben) (?:ich |wir )?(?:\p{L}+ ){0,2}(?:doch |schon |bereits |oben )+(?:geschrieben|gesagt|angegeben|geschickt|erw[aä]hnt|mitgeteilt|genannt)|steht (?:doch )?(?:\p{L}+ ){0,2}(?:oben|in meiner (?:ersten |letzten |vorherigen )?(?:nachricht|mail|e mail))|wie (?:schon |bereits )?(?:gesagt|geschrieben|erw[aä]hnt)|zum (?:zweiten|dritten|vierten|x ten|xten) mal|(?:drehen|dreht) (?:uns|sich) im kreis|schon (?:zwei|drei|2|3) ?mal/u,
);

/**
 * The same in Portuguese: "já te passei", "já falei", "como eu disse", "tá na minha primeira
 * mensagem", "terceira vez que…", "já tentei isso" (not "já recebi", news of a delivery, nor "já
 * conferi", a step tried, not a detail given again).
 */
const REPEATED_PORTUGUESE = wholeWords(
  /j[aá] (?:te |lhe |tinha |havia |tinha te )?(?:passei|falei|disse|mandei|enviei|informei|coloquei|escrevi|expliquei|respondi|perguntei|tentei (?:isso|isso a[ií]|de tudo)|fiz isso)|como (?:eu )?(?:j[aá] )?(?:te |lhe )?(?:disse|falei|escrevi|expliquei|mencionei|informei)|(?:t[aá]|est[aá]|ta|esta) (?:tudo )?(?:na|em) (?:minha )?(?:primeira|[uú]ltima|1a|1ª) (?:mensagem|msg)|(?:segunda|terceira|quarta|2a|3a|4a|2ª|3ª|4ª) vez (?:que|q)|(?:duas|tr[eê]s|2|3) vezes (?:j[aá]|seguidas)|j[aá] (?:\p{L}+ )?(?:duas|tr[eê]s|2|3) vezes|(?:andando|rodando) em c[ií]rculos/u,
);

/** The shopper says they already gave what the agent asks for again. */
export function saysRepeated(text: string): boolean {
  const n = spacedWords(text);
  return REPEATED.test(n) || REPEATED_GERMAN.test(n) || REPEATED_PORTUGUESE.test(n);
}

const SITUATION_PATTERNS = {
  harm: [HARM, CARE_SOUGHT, HARM_ELSEWHERE, HARM_GERMAN, HARM_PORTUGUESE, NEAR_MISS],
  legal: [LEGAL, LEGAL_ELSEWHERE, LEGAL_GERMAN, LEGAL_PORTUGUESE],
  fraud: [FRAUD, FRAUD_ELSEWHERE, FRAUD_GERMAN, FRAUD_PORTUGUESE],
} as const;

/**
 * The words of a message that name a situation (e.g. "tipped over", "hives", "lawyer"), as
 * the patterns read them: the vocabulary of the situation, never the rest of the message.
 */
export function situationPhrases(text: string, kind: keyof typeof SITUATION_PATTERNS): string[] {
  const n = spacedWords(text);
  const phrases = SITUATION_PATTERNS[kind]
    .flatMap((pattern) => [...n.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))])
    .map((m) => m[0].trim())
    .filter((phrase) => phrase.split(' ').length <= 4);
  return kind === 'harm' && reportsSymptom(n) ? [...phrases, ...symptomPhrases(n)] : phrases;
}

/** A reported symptom as its two words, "sore eye": nothing else of the message. */
function symptomPhrases(n: string): string[] {
  const pair = new RegExp(BODY_SYMPTOM.source, 'g');
  const named = [...n.matchAll(pair)].map((m) => `${m[2] ?? m[3]} ${m[1] ?? m[4]}`);
  const it = BODY_THEN_IT.exec(n);
  return it ? [...named, `${it[2]} ${it[1]}`] : named;
}
