import type { NluResult } from "../nlu";
import { PHRASE_LANGUAGES, phrase } from "../responder/phrases";
import { looksLikeAddress } from "../tools/mailing-address";
import { namedItems, orderAspectAsked, refersToOrder, yesNo } from "./acts";
import { type DialogueState, FLOW_INTENTS, type Flow, type FlowKind } from "./state";

/**
 * What one shopper message means, given the dialogue state: the planner of the offline assistant (and the
 * consent gate of the online one). Pure: no database, no clock; the responder carries the plan out.
 *
 * The rules, in order: a person asked for is a handoff; a yes/no answers the question pending, and only
 * that; a message that asks for something to be done with an order starts that flow; otherwise it fills
 * the slot the pending question asked for; a follow-up about the order under discussion asks for one detail
 * of it; everything else is a question answered from the catalogue or the knowledge base.
 */

export type Plan =
  | { kind: "handoff" }
  /** Carry the flow forward: ask for what is missing, show what will happen, or (confirmed) request it. */
  | { kind: "flow"; flow: Flow; confirmed: boolean }
  /** "No" to a confirmation or to a question of a flow: nothing is requested. */
  | { kind: "flow_declined"; flow: Flow }
  | { kind: "offer_declined" }
  /** A yes or no with nothing pending. */
  | { kind: "stray_answer" }
  | { kind: "greeting" }
  | { kind: "thanks" }
  | { kind: "abuse" }
  | { kind: "product" }
  | { kind: "question" };

export interface PlanSignals {
  loggedIn: boolean;
  /** The message asks about a product attribute (material, waterproof, sizes…) or names a product. */
  aboutProduct: boolean;
  /** Insults aimed at the assistant or the shop. */
  abusive: boolean;
}

/** Intents whose answer is an order of the shopper's: they start a flow when the message is about an order. */
const FLOW_OF_INTENT: Record<string, FlowKind> = {
  track_order: "status",
  track_refund: "refunds",
  get_refund: "return",
  cancel_order: "cancel",
  change_shipping_address: "address",
};

/**
 * Actions change orders, so acting needs the shopper to have said so in words (in any of the four
 * languages), not only a classifier's guess: "please return order #1001" must never become a cancellation.
 */
const ACTION_CUES: Partial<Record<FlowKind, RegExp>> = {
  cancel: /(cancel|annul|storn|anular)/i,
  return: /(refund|return|money back|send (it|them|this) back|rembours|retour|renvoy|erstatt|rücksend|zurück|reembols|devol)/i,
  address: /(address|adresse|direcci|anschrift|\bapt\b|apartment|appartement|wohnung|ship (it )?to|deliver (it )?to)/i,
};

/** Questions about how things work, not requests about an order: "is there a fee if I cancel?". */
const POLICY_QUESTION = /\b(is there|are there|do you|does it|how (long|much|many)|what is|what's|what are|policy|fee|fees|charge|cost|can i|y a-t-il|est-ce que|combien|politique|frais|gibt es|wie (lange|viel)|gebühr|kosten|richtlinie|hay|cuánto|cuanto|política|politica|tarifa|comisión|comision)\b/i;
const WANTS_IT_DONE = /\b(want|would like|'d like|need|wish|please|i'd|je veux|je voudrais|j'aimerais|merci de|ich möchte|ich will|bitte|quiero|quisiera|necesito|por favor)\b/i;
const SPECIFIC_ORDER = /\b(my|mine|this|that|the) (order|package|parcel|purchase|item|items|jacket|shirt|tee|shoes)\b|\b(ma|mon|mes|cette|ce) (commande|colis|article)|\b(meine|mein|meinen|diese|dieses) (bestellung|paket|artikel)|\b(mi|mis|este|esta) (pedido|paquete|compra|artículo)/i;

const INFO_REQUEST = /\b(policy|policies|know|how (do|does|can|long|much|many)|what (is|are|'s)|explain|tell me about|info(rmation)?|savoir|politique|wissen|richtlinie|saber|pol[íi]tica)\b/i;

/** The quick-reply chips the assistant offers, as the shopper sends them back. */
const CHIP_FLOWS = new Map<string, FlowKind>(
  PHRASE_LANGUAGES.flatMap((language) => [
    [phrase(language, "quickReturn").toLowerCase(), "return"],
    [phrase(language, "quickTrack").toLowerCase(), "status"],
  ]),
);

const STATUS_CUE = /\b(where is|where's|status|track|show me|look up|what happened to|où est|où en est|suivi|montre|wo ist|wo bleibt|status|zeig|dónde está|donde esta|estado|muéstrame|muestrame|seguimiento)\b/i;
const HUMAN_REQUEST = /\b(human|real person|an agent|agent please|representative|someone real|talk to (a |someone|somebody|a real )?(person|human|someone)|speak (to|with) (a |someone|somebody)?(person|human|someone)|un humain|une personne|un conseiller|parler à quelqu'un|mensch|mitarbeiter(in)?|einer person|persona real|un humano|un agente|hablar con alguien)\b/i;
const GREETING_START = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|bonjour|bonsoir|salut|hallo|guten (tag|morgen|abend)|servus|hola|buen[oa]s (d[ií]as|tardes|noches))\b/i;
const THANKS = /^\s*(thanks?|thank you|thx|ty|merci|danke|vielen dank|gracias|cheers)\b[\s\S]{0,40}$/i;

/** Below this, the classifier's guess alone never starts a flow nor drops one. */
const CONFIDENT = 0.6;

export function planTurn(state: DialogueState, nlu: NluResult, text: string, signals: PlanSignals): Plan {
  const { flow, pending } = state;
  const orderNumber = nlu.entities.orderNumbers[0];
  const email = nlu.entities.emails[0];

  if (HUMAN_REQUEST.test(text)) return { kind: "handoff" };

  // A yes or no is read against the question pending before the classifier's guess: "yes please" is not a
  // request for a person just because the model saw politeness.
  const answer = yesNo(text);
  if (answer && pending === "human_offer") return answer === "yes" ? { kind: "handoff" } : { kind: "offer_declined" };
  if (answer && flow && pending) {
    if (answer === "no") return { kind: "flow_declined", flow };
    // "Yes" confirms only a confirmation; to any other question of the flow it is not an answer: ask again.
    return { kind: "flow", flow, confirmed: pending === "confirm" };
  }
  if (answer && !orderNumber && !email) return { kind: "stray_answer" };
  if (nlu.intent === "contact_human_agent" && nlu.confidence >= CONFIDENT) return { kind: "handoff" };

  const started = requestedFlow(nlu, text, state, signals);
  // The answer to the question pending comes first ("12 Alder Street…" is an address, whatever its numbers
  // look like), unless the shopper plainly asks for something else ("actually, cancel it", "where is #1003?").
  if (flow && pending && pending !== "confirm") {
    const filled = fillSlots(flow, pending, nlu, text);
    const switched = started !== undefined && started !== flow.kind && (namedAction(text) !== undefined || STATUS_CUE.test(text));
    if (filled && !switched) return { kind: "flow", flow: filled, confirmed: false };
  }
  if (started) {
    // A new request about the same order keeps what is known of it (the email for verification included).
    const sameOrder = !orderNumber || (flow?.orderName !== undefined && digits(flow.orderName) === digits(orderNumber));
    const orderName = orderNumber ?? (sameOrder && flow?.orderName ? flow.orderName : undefined) ?? (refersToOrder(text) || signals.loggedIn ? state.focusOrderName : undefined);
    return {
      kind: "flow",
      confirmed: false,
      flow: {
        kind: started,
        ...(orderName ? { orderName } : {}),
        ...((email ?? (sameOrder ? flow?.email : undefined)) ? { email: email ?? flow?.email } : {}),
        reason: text.slice(0, 500),
        ...(started === "address" && looksLikeAddress(text) ? { newAddress: text.slice(0, 500) } : {}),
        ...(started === "status" ? withAspect(text) : {}),
      },
    };
  }

  if (flow && pending === "confirm") {
    const changed = fillSlots(flow, pending, nlu, text);
    if (changed) return { kind: "flow", flow: changed, confirmed: false };
  }

  // "Is it waterproof?" about the product under discussion, even while an order is under discussion too.
  if (signals.aboutProduct && !nlu.entities.orderNumbers.length) return { kind: "product" };

  // "And when will it arrive?" right after talking about an order is about that order.
  if (state.focusOrderName && !orderNumber) {
    const aspect = orderAspectAsked(text);
    const orderish = nlu.intent in FLOW_OF_INTENT || nlu.intent === "delivery_period" || nlu.confidence < CONFIDENT;
    if ((aspect && (refersToOrder(text) || text.split(/\s+/).length <= 5)) || (orderish && refersToOrder(text) && !POLICY_QUESTION.test(text))) {
      return { kind: "flow", confirmed: false, flow: { kind: "status", orderName: state.focusOrderName, ...(aspect ? { aspect } : {}) } };
    }
  }

  // An order number or an email with nothing else to go on: the shopper wants to know about that order.
  if ((orderNumber || email) && (nlu.intent === "other" || nlu.confidence < CONFIDENT || nlu.intent in FLOW_OF_INTENT)) {
    return { kind: "flow", confirmed: false, flow: { kind: "status", ...(orderNumber ? { orderName: orderNumber } : {}), ...(email ? { email } : {}) } };
  }

  if (signals.abusive) return { kind: "abuse" };
  const details = Boolean(orderNumber || email);
  if (!details && THANKS.test(text)) return { kind: "thanks" };
  if (!details && isJustGreeting(text)) return { kind: "greeting" };
  return { kind: "question" };
}

/** "Hi!", "Hello, I have a question": a greeting with nothing else to act on ("Bonjour, où est ma commande ?" is not). */
function isJustGreeting(text: string): boolean {
  const match = text.match(GREETING_START);
  if (!match) return false;
  const rest = text
    .slice(match[0].length)
    .replace(/\b(there|everyone|team|all|i have a question|i've got a question|quick question|can you help( me)?|j'ai une question|ich habe eine frage|tengo una pregunta)\b/gi, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return rest.split(" ").filter(Boolean).length <= 1;
}

function digits(orderName: string): string {
  return orderName.replace(/\D/g, "");
}

function withAspect(text: string): Pick<Flow, "aspect"> {
  const aspect = orderAspectAsked(text);
  return aspect ? { aspect } : {};
}

/** The flow this message asks for, if it asks for something to be done with (or known about) an order. */
function requestedFlow(nlu: NluResult, text: string, state: DialogueState, signals: PlanSignals): FlowKind | undefined {
  const kind = FLOW_OF_INTENT[nlu.intent];
  const aboutAnOrder = nlu.entities.orderNumbers.length > 0 || SPECIFIC_ORDER.test(text) || (state.focusOrderName !== undefined && refersToOrder(text));
  const policyQuestion = POLICY_QUESTION.test(text) && !WANTS_IT_DONE.test(text) && nlu.entities.orderNumbers.length === 0;

  if (kind) {
    // "I'd like to return order #1042" read as tracking: the action the shopper asked for wins.
    const named = namedAction(text);
    if ((kind === "status" || kind === "refunds") && named && aboutAnOrder && WANTS_IT_DONE.test(text) && !policyQuestion) return named;
    const cue = ACTION_CUES[kind];
    if (cue && !cue.test(text)) {
      // The classifier guessed an action the shopper did not ask for; an action they did name wins.
      return named && aboutAnOrder && !policyQuestion ? named : aboutAnOrder && !policyQuestion ? "status" : undefined;
    }
    if (policyQuestion) return undefined;
    // Tracking needs an order to track; "where is my order?" from a logged-in shopper means their latest.
    if ((kind === "status" || kind === "refunds") && !aboutAnOrder && !signals.loggedIn && nlu.confidence < CONFIDENT) return undefined;
    if (kind !== "status" && kind !== "refunds" && nlu.confidence < 0.35 && !aboutAnOrder) return undefined;
    return kind;
  }
  // "Where is order #1003?" / "show me order #1006", whatever else the message says.
  if (nlu.entities.orderNumbers.length > 0 && STATUS_CUE.test(text) && !namedAction(text)) return "status";
  // The suggestion chips ("Start a return", "Track my order") say what they start, in every language.
  const chip = CHIP_FLOWS.get(text.trim().toLowerCase());
  if (chip) return chip;
  // A clear request for an action the classifier missed ("please return order #1001", "I want to return
  // something"): the flow asks which order. Wanting to know about it ("I'd like to know your return policy") is
  // a question.
  const named = namedAction(text);
  if (named && WANTS_IT_DONE.test(text) && !policyQuestion && (aboutAnOrder || !INFO_REQUEST.test(text))) return named;
  return undefined;
}

function namedAction(text: string): FlowKind | undefined {
  const named = (Object.keys(ACTION_CUES) as FlowKind[]).filter((kind) => ACTION_CUES[kind]!.test(text));
  return named.length === 1 ? named[0] : undefined;
}

/** The pending question's answer, if this message gives it; undefined when the shopper moved on. */
function fillSlots(flow: Flow, pending: NonNullable<DialogueState["pending"]>, nlu: NluResult, text: string): Flow | undefined {
  const orderNumber = nlu.entities.orderNumbers[0];
  const email = nlu.entities.emails[0];
  const movedOn = nlu.confidence >= CONFIDENT && !(nlu.intent in FLOW_OF_INTENT) && nlu.intent !== "other";
  switch (pending) {
    case "order":
    case "email": {
      // Numbers inside an email or a new address are not order numbers; a new number replaces the old one.
      if (!orderNumber && !email) return undefined;
      const sameOrder = !orderNumber || !flow.orderName || digits(orderNumber) === digits(flow.orderName);
      return { ...flow, ...(orderNumber ? { orderName: orderNumber } : {}), email: email ?? (sameOrder ? flow.email : undefined) };
    }
    case "items": {
      const items = namedItems(text, flow.choices ?? []);
      if (items.length > 0) return { ...flow, items };
      return movedOn ? undefined : { ...flow, items: [] };
    }
    case "address":
      if (looksLikeAddress(text)) return { ...flow, newAddress: text.slice(0, 500) };
      return movedOn ? undefined : flow;
    case "confirm": {
      // A change to what was about to be requested: other items, another address.
      const items = flow.kind === "return" ? namedItems(text, flow.choices ?? []) : [];
      if (items.length > 0) return { ...flow, items };
      if (flow.kind === "address" && looksLikeAddress(text)) return { ...flow, newAddress: text.slice(0, 500) };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The intent a plan acts on, for the conversation's record and the inbox. */
export function planIntent(plan: Plan, nlu: NluResult): string {
  switch (plan.kind) {
    case "handoff":
      return "contact_human_agent";
    case "flow":
    case "flow_declined":
      return FLOW_INTENTS[plan.flow.kind];
    case "greeting":
      return "greeting";
    case "thanks":
      return "thanks";
    case "product":
      return nlu.intent === "other" ? "product_question" : nlu.intent;
    case "stray_answer":
    case "offer_declined":
      // A bare yes or no says nothing about what the shopper wants.
      return "other";
    default:
      return nlu.intent;
  }
}
