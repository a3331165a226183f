import { phrase } from "~/modules/assistant";
import { STAFF } from "../seed-data";
import { DAY, HOUR, MINUTE } from "./calendar";
import type { GenCustomer, GenOrder } from "./model";
import { Rng } from "./random";

/**
 * Ninety days of past support conversations for the demo's dashboard: HISTORY_CONVERSATIONS of them in English,
 * French, German and Spanish, most answered by the assistant (some with a thanks, some rated), some coming back
 * within three days, some the assistant could not answer, some handed off and answered by the team (with
 * realistic first response times over the day), some taken over by staff, and pre-purchase questions a few hours
 * before the customer's real order (revenue influenced). All of them are over: resolved or closed, so the inbox's
 * open views keep showing only the live conversations.
 *
 * Deterministic: one seeded generator, a fixed number of conversations, every time relative to `now`.
 */

export const HISTORY_CONVERSATIONS = 1_260;
export const HISTORY_DAYS = 90;
/** The demo shop is in Los Angeles; history keeps its local day (UTC−8, DST ignored for a plausible clock). */
const LOCAL_OFFSET = 8 * HOUR;

type Language = "en" | "fr" | "de" | "es";
type Author = "shopper" | "assistant" | "staff";

export interface HistoryMessage {
  author: Author;
  body: string;
  at: number;
  intent?: string;
  staffEmail?: string;
  /** Reply metadata as the turn pipeline stores it (e.g. the unanswered flag). */
  metadata?: Record<string, unknown>;
}

export interface HistoryConversation {
  index: number;
  customer: GenCustomer | null;
  shopperName: string | null;
  shopperEmail: string | null;
  language: Language;
  intent: string;
  status: "resolved" | "closed";
  priority: "normal" | "high";
  handledByHuman: boolean;
  assigneeEmail: string | null;
  escalatedAt: number | null;
  escalationReason: string | null;
  resolvedAt: number | null;
  csatScore: number | null;
  csatComment: string | null;
  sentiment: number;
  messages: HistoryMessage[];
}

type Texts = Record<Language, string[]>;

/** What shoppers ask, by intent, with what the assistant answers. */
const TOPICS: { intent: string; weight: number; ask: Texts; answer: Texts }[] = [
  {
    intent: "track_order",
    weight: 30,
    ask: {
      en: ["Where is my order {order}?", "Hi, when will my order {order} arrive?", "Can you check the status of {order}?"],
      fr: ["Où en est ma commande {order} ?", "Quand vais-je recevoir ma commande {order} ?"],
      de: ["Wo ist meine Bestellung {order}?", "Wann kommt meine Bestellung {order} an?"],
      es: ["¿Dónde está mi pedido {order}?", "¿Cuándo llegará mi pedido {order}?"],
    },
    answer: {
      en: ["Your order {order} is on its way with UPS and should arrive within 2 business days. Here is the tracking link."],
      fr: ["Votre commande {order} est en route avec UPS et devrait arriver sous 2 jours ouvrés. Voici le lien de suivi."],
      de: ["Ihre Bestellung {order} ist mit UPS unterwegs und sollte in 2 Werktagen ankommen. Hier ist der Sendungsverfolgungslink."],
      es: ["Tu pedido {order} está en camino con UPS y debería llegar en 2 días hábiles. Aquí tienes el enlace de seguimiento."],
    },
  },
  {
    intent: "get_refund",
    weight: 14,
    ask: {
      en: ["I'd like to return the boots from {order}, they are too small.", "How do I return something from {order}?"],
      fr: ["Je voudrais retourner un article de la commande {order}.", "Comment faire un retour ?"],
      de: ["Ich möchte etwas aus der Bestellung {order} zurückschicken.", "Wie funktioniert die Rücksendung?"],
      es: ["Quiero devolver un artículo del pedido {order}.", "¿Cómo hago una devolución?"],
    },
    answer: {
      en: ["You can return unused items within 30 days of delivery. I've started the return for {order}; the prepaid label is on its way by e-mail."],
      fr: ["Vous pouvez retourner les articles non utilisés sous 30 jours. J'ai lancé le retour pour {order} ; l'étiquette arrive par e-mail."],
      de: ["Unbenutzte Artikel können Sie innerhalb von 30 Tagen zurückgeben. Ich habe die Rücksendung für {order} gestartet; das Etikett kommt per E-Mail."],
      es: ["Puedes devolver artículos sin usar en 30 días. He iniciado la devolución de {order}; la etiqueta llegará por correo."],
    },
  },
  {
    intent: "delivery_options",
    weight: 12,
    ask: {
      en: ["How much is shipping to Canada?", "Do you offer express shipping?", "Is shipping free over $75?"],
      fr: ["Combien coûte la livraison au Canada ?", "Proposez-vous la livraison express ?"],
      de: ["Was kostet der Versand nach Kanada?", "Gibt es Expressversand?"],
      es: ["¿Cuánto cuesta el envío a Canadá?", "¿Tienen envío exprés?"],
    },
    answer: {
      en: ["Standard shipping in the US is free over $75; Canada is $19.95, and express delivery is $29.95 (1–2 business days)."],
      fr: ["La livraison standard aux États-Unis est offerte dès 75 $ ; le Canada coûte 19,95 $ et l'express 29,95 $."],
      de: ["Der Standardversand in den USA ist ab 75 $ kostenlos; Kanada kostet 19,95 $, Express 29,95 $."],
      es: ["El envío estándar en EE. UU. es gratis desde 75 $; a Canadá cuesta 19,95 $ y el exprés 29,95 $."],
    },
  },
  {
    intent: "product_question",
    weight: 14,
    ask: {
      en: ["Is the Cascade rain shell fully waterproof?", "Does the Ridgeback boot run true to size?", "Is the Summit parka warm enough for skiing?"],
      fr: ["La veste Cascade est-elle vraiment imperméable ?", "La chaussure Ridgeback taille-t-elle normalement ?"],
      de: ["Ist die Cascade Regenjacke komplett wasserdicht?", "Fällt der Ridgeback Schuh normal aus?"],
      es: ["¿La chaqueta Cascade es totalmente impermeable?", "¿La bota Ridgeback tiene la talla normal?"],
    },
    answer: {
      en: ["Yes: it has a 2.5-layer waterproof membrane with taped seams (20,000 mm). Most customers take their usual size."],
      fr: ["Oui : membrane imperméable 2,5 couches et coutures étanchées. La plupart des clients prennent leur taille habituelle."],
      de: ["Ja: 2,5-Lagen-Membran mit verschweißten Nähten. Die meisten nehmen ihre normale Größe."],
      es: ["Sí: membrana impermeable de 2,5 capas con costuras selladas. La mayoría elige su talla habitual."],
    },
  },
  {
    intent: "cancel_order",
    weight: 6,
    ask: {
      en: ["Please cancel my order {order}.", "Can I still cancel {order}?"],
      fr: ["Pouvez-vous annuler ma commande {order} ?"],
      de: ["Bitte stornieren Sie meine Bestellung {order}."],
      es: ["¿Pueden cancelar mi pedido {order}?"],
    },
    answer: {
      en: ["Order {order} hasn't shipped yet, so I've cancelled it. The refund goes back to your card within 5–10 business days."],
      fr: ["La commande {order} n'était pas encore expédiée : elle est annulée, le remboursement arrive sous 5 à 10 jours ouvrés."],
      de: ["Die Bestellung {order} war noch nicht versandt und ist storniert; die Erstattung kommt in 5–10 Werktagen."],
      es: ["El pedido {order} aún no se había enviado, así que lo he cancelado. El reembolso llegará en 5–10 días hábiles."],
    },
  },
  {
    intent: "change_shipping_address",
    weight: 5,
    ask: {
      en: ["I need to change the shipping address on {order}.", "Can you add my apartment number to {order}?"],
      fr: ["Je dois changer l'adresse de livraison de {order}."],
      de: ["Ich muss die Lieferadresse von {order} ändern."],
      es: ["Necesito cambiar la dirección de envío de {order}."],
    },
    answer: {
      en: ["I've asked the team to update the address on {order} before it ships; you'll get a confirmation by e-mail."],
      fr: ["J'ai demandé à l'équipe de modifier l'adresse de {order} avant l'expédition ; vous recevrez une confirmation."],
      de: ["Ich habe das Team gebeten, die Adresse von {order} vor dem Versand zu ändern; Sie bekommen eine Bestätigung."],
      es: ["He pedido al equipo que cambie la dirección de {order} antes del envío; recibirás una confirmación."],
    },
  },
  {
    intent: "check_payment_methods",
    weight: 5,
    ask: {
      en: ["Can I pay with PayPal?", "Do you take Apple Pay?"],
      fr: ["Puis-je payer avec PayPal ?"],
      de: ["Kann ich mit PayPal bezahlen?"],
      es: ["¿Puedo pagar con PayPal?"],
    },
    answer: {
      en: ["We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and Shop Pay."],
      fr: ["Nous acceptons Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay et Shop Pay."],
      de: ["Wir akzeptieren Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay und Shop Pay."],
      es: ["Aceptamos Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay y Shop Pay."],
    },
  },
  {
    intent: "track_refund",
    weight: 6,
    ask: {
      en: ["When will I get my refund for {order}?", "I returned {order} a week ago, where is my refund?"],
      fr: ["Quand vais-je recevoir mon remboursement pour {order} ?"],
      de: ["Wann bekomme ich meine Erstattung für {order}?"],
      es: ["¿Cuándo recibiré el reembolso de {order}?"],
    },
    answer: {
      en: ["Your return for {order} arrived on Tuesday and the refund was issued; banks usually show it within 5–10 business days."],
      fr: ["Votre retour pour {order} est arrivé et le remboursement est émis ; comptez 5 à 10 jours ouvrés."],
      de: ["Ihre Rücksendung für {order} ist angekommen und erstattet; die Bank zeigt es meist nach 5–10 Werktagen."],
      es: ["Tu devolución de {order} llegó y el reembolso está emitido; el banco suele mostrarlo en 5–10 días hábiles."],
    },
  },
  {
    intent: "complaint",
    weight: 4,
    ask: {
      en: ["My tent arrived with a broken pole. This is really disappointing.", "The zipper on my jacket broke after one week!"],
      fr: ["Ma tente est arrivée avec un arceau cassé, c'est très décevant."],
      de: ["Mein Zelt kam mit gebrochenem Gestänge an. Sehr enttäuschend!"],
      es: ["Mi tienda llegó con una varilla rota. Muy decepcionante."],
    },
    answer: {
      en: ["I'm sorry about that. I'm passing this to our team so they can send a replacement right away."],
      fr: ["Je suis désolé. Je transmets à notre équipe pour un remplacement rapide."],
      de: ["Das tut mir leid. Ich gebe das an unser Team weiter, damit es schnell Ersatz schickt."],
      es: ["Lo siento mucho. Paso el caso a nuestro equipo para enviarte un reemplazo."],
    },
  },
];

/** Questions the demo help center has no answer for: the dashboard's "unanswered questions". */
const UNANSWERED: { intent: string; ask: Texts }[] = [
  {
    intent: "delivery_options",
    ask: {
      en: ["Do you ship to Iceland?", "Can you ship an order to Iceland?", "shipping to iceland?"],
      fr: ["Livrez-vous en Islande ?"],
      de: ["Liefern Sie nach Island?"],
      es: ["¿Hacen envíos a Islandia?"],
    },
  },
  {
    intent: "check_payment_methods",
    ask: { en: ["Can I pay with Bitcoin?", "Do you accept crypto payments like Bitcoin?"], fr: ["Puis-je payer en Bitcoin ?"], de: ["Kann ich mit Bitcoin bezahlen?"], es: ["¿Puedo pagar con Bitcoin?"] },
  },
  {
    intent: "other",
    ask: { en: ["Do you have a student discount?", "Is there a discount for students?"], fr: ["Avez-vous une réduction étudiante ?"], de: ["Gibt es einen Studentenrabatt?"], es: ["¿Tienen descuento para estudiantes?"] },
  },
  {
    intent: "delivery_options",
    ask: { en: ["Can I pick up my order at your Portland warehouse?", "Is local pickup in Portland possible?"], fr: ["Puis-je retirer ma commande à Portland ?"], de: ["Kann ich meine Bestellung in Portland abholen?"], es: ["¿Puedo recoger mi pedido en Portland?"] },
  },
  {
    intent: "other",
    ask: { en: ["Do you have a loyalty or rewards program?"], fr: ["Avez-vous un programme de fidélité ?"], de: ["Gibt es ein Treueprogramm?"], es: ["¿Tienen programa de fidelidad?"] },
  },
];

const THANKS: Texts = {
  en: ["Thanks!", "Great, thank you!", "Perfect, thanks so much", "ok thanks", "Thank you!"],
  fr: ["Merci !", "Parfait, merci beaucoup"],
  de: ["Danke!", "Super, vielen Dank"],
  es: ["¡Gracias!", "Perfecto, muchas gracias"],
};
const FOLLOW_UP: Texts = {
  en: ["And how long does that usually take?", "Can I also get a different size?", "Does that include the shipping cost?"],
  fr: ["Et combien de temps cela prend-il ?"],
  de: ["Und wie lange dauert das normalerweise?"],
  es: ["¿Y cuánto tarda normalmente?"],
};
const FOLLOW_UP_ANSWER: Texts = {
  en: ["Usually 3–5 business days once it leaves our warehouse in Portland."],
  fr: ["En général 3 à 5 jours ouvrés après le départ de notre entrepôt."],
  de: ["Meist 3–5 Werktage ab unserem Lager in Portland."],
  es: ["Normalmente de 3 a 5 días hábiles desde nuestro almacén."],
};
const CAME_BACK: Texts = {
  en: ["It still hasn't arrived and the tracking hasn't moved.", "I'm back: the label you sent doesn't work.", "Still no refund on my card."],
  fr: ["Toujours rien reçu, le suivi ne bouge pas."],
  de: ["Immer noch nichts angekommen, die Sendungsverfolgung steht still."],
  es: ["Todavía no ha llegado y el seguimiento no se mueve."],
};
const ASK_PERSON: Texts = {
  en: ["Can I talk to a person please?", "I'd like to speak to someone from your team."],
  fr: ["Puis-je parler à quelqu'un ?"],
  de: ["Kann ich bitte mit einem Menschen sprechen?"],
  es: ["¿Puedo hablar con una persona?"],
};
const HANDOFF: Record<Language, string> = {
  en: "I've passed this to our support team; someone will reply here, usually within one business day.",
  fr: "J'ai transmis votre demande à notre équipe ; quelqu'un vous répondra ici, généralement sous un jour ouvré.",
  de: "Ich habe das an unser Support-Team weitergegeben; jemand antwortet hier, meist innerhalb eines Werktags.",
  es: "He pasado tu consulta a nuestro equipo; alguien te responderá aquí, normalmente en un día hábil.",
};
const STAFF_REPLY: Texts = {
  en: ["Hi! I checked with the warehouse and sorted it out. You'll get an e-mail confirmation shortly.", "Thanks for your patience. I've sent a replacement with express shipping at no cost."],
  fr: ["Bonjour ! J'ai vérifié avec l'entrepôt et c'est réglé. Vous recevrez une confirmation par e-mail."],
  de: ["Hallo! Ich habe mit dem Lager gesprochen und alles geklärt. Sie bekommen gleich eine Bestätigung per E-Mail."],
  es: ["¡Hola! He hablado con el almacén y ya está resuelto. Recibirás una confirmación por correo."],
};
const CSAT_COMMENTS = ["Quick and helpful!", "Sorted in minutes, thanks.", "Took a while but solved.", "Still waiting on the replacement.", "Great service."];

const pickText = (rng: Rng, texts: Texts, language: Language) => rng.pick(texts[language].length > 0 ? texts[language] : texts.en);
const fill = (text: string, order: string) => text.replace(/\{order\}/g, order);

/** First response times of the team: mostly minutes to an hour or two, a tail into the next business day. */
function staffDelay(rng: Rng): number {
  const roll = rng.next();
  if (roll < 0.45) return rng.int(2, 25) * MINUTE;
  if (roll < 0.8) return rng.int(25, 150) * MINUTE;
  if (roll < 0.95) return rng.int(150, 600) * MINUTE;
  return rng.int(10, 20) * HOUR;
}

/**
 * A shopper's rating: mostly 4–5, lower the longer they waited for the team, the worse their mood, and when the
 * assistant had no answer, as real ratings go (the CSAT prediction learns from it). One draw, whatever the weights.
 */
function rating(rng: Rng, conversation: HistoryConversation, staff: boolean): number {
  const reply = conversation.messages.find((message) => message.author === "staff");
  const waited = reply ? reply.at - (conversation.escalatedAt ?? conversation.messages[0]!.at) : 0;
  const unanswered = conversation.messages.some((message) => message.metadata?.unanswered !== undefined);
  const trouble = (staff ? 0.4 : 0) + Math.min(2, waited / (2 * HOUR)) + 1.5 * Math.max(0, -conversation.sentiment) + (unanswered ? 1 : 0);
  const weights: Record<number, number> = {
    5: 60 * Math.exp(-0.8 * trouble),
    4: 28 * Math.exp(-0.2 * trouble),
    3: 8 * Math.exp(0.5 * trouble),
    2: 3 * Math.exp(0.9 * trouble),
    1: Math.exp(1.2 * trouble),
  };
  return rng.weighted([5, 4, 3, 2, 1], (score) => weights[score]!);
}

export interface HistoryContext {
  now: number;
  customers: GenCustomer[];
  orders: GenOrder[];
  /** Whether a customer has a Shopify account (a logged-in shopper) rather than being a guest. */
  hasAccount: (customer: GenCustomer) => boolean;
}

/** Customers (by e-mail, from the end of the alphabet) left without past conversations for the browser tests. */
const RESERVED_CUSTOMERS = 40;

/** The demo's past conversations at `now` (every message before it). */
export function buildConversationHistory({ now, customers, orders, hasAccount }: HistoryContext): HistoryConversation[] {
  const rng = new Rng(0x5eed_a11a);
  const latest = now - 5 * MINUTE;
  // The customers last in the alphabet keep no past conversations: the browser tests shop as them
  // (tests/e2e/support/demo-customer.ts), each needing a customer who has not chatted yet.
  const reserved = new Set([...customers].sort((a, b) => b.email.localeCompare(a.email)).slice(0, RESERVED_CUSTOMERS));
  const recentOrders = orders.filter((order) => order.status !== "cancelled" && order.placedAt > now - HISTORY_DAYS * DAY + DAY && order.placedAt < latest && !reserved.has(order.customer));
  const accounts = customers.filter((customer) => hasAccount(customer) && !reserved.has(customer));
  const ordersOf = new Map<GenCustomer, GenOrder[]>();
  for (const order of [...orders].sort((a, b) => a.placedAt - b.placedAt)) ordersOf.set(order.customer, [...(ordersOf.get(order.customer) ?? []), order]);
  const days = Array.from({ length: HISTORY_DAYS }, (_, index) => index + 1);
  const dayWeights = new Map(days.map((offset) => [offset, (1 + (HISTORY_DAYS - offset) * 0.006) * ([0, 6].includes(new Date(now - offset * DAY).getUTCDay()) ? 0.75 : 1)]));
  const staff = STAFF.filter((member) => member.role !== "owner").map((member) => member.email);
  const out: HistoryConversation[] = [];

  for (let index = 0; index < HISTORY_CONVERSATIONS; index++) {
    const language = rng.weighted(["en", "fr", "de", "es"] as const, (code) => ({ en: 70, fr: 11, de: 11, es: 8 })[code]);
    const kind = rng.weighted(["automated", "followUp", "cameBack", "unanswered", "handoff", "takeover", "prePurchase"] as const, (value) =>
      ({ automated: 48, followUp: 8, cameBack: 6, unanswered: 8, handoff: 19, takeover: 4, prePurchase: 7 })[value],
    );
    // When: more recent days a little busier, weekends quieter; local hours 7:00–22:59, busiest late morning and evening.
    const day = rng.weighted(days, (offset) => dayWeights.get(offset)!);
    const hour = rng.weighted([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22], (h) => (h >= 10 && h <= 13 ? 3 : h >= 19 && h <= 21 ? 2.5 : 1.5));
    let start = now - day * DAY + hour * HOUR + LOCAL_OFFSET + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000;

    // Who: logged-in customers, or guests who left an e-mail (or none).
    const loggedIn = rng.chance(0.55) && accounts.length > 0;
    let customer: GenCustomer | null = loggedIn ? rng.pick(accounts) : null;
    let order = customer ? (ordersOf.get(customer) ?? []).filter((candidate) => candidate.placedAt < start).at(-1) : undefined;
    // A pre-purchase question a few hours before a real order: that order counts as influenced.
    const purchase = kind === "prePurchase" && recentOrders.length > 0 ? rng.pick(recentOrders) : undefined;
    if (purchase) {
      start = purchase.placedAt - rng.int(1, 20) * HOUR - rng.int(0, 59) * MINUTE;
      customer = purchase.customer;
      order = undefined;
    }
    if (start >= latest - 2 * MINUTE) start = latest - rng.int(30, 180) * MINUTE;
    const guestEmail = !customer && rng.chance(0.7) ? `shopper${index}@example.${rng.pick(["com", "net", "org"])}` : null;
    const shopperEmail = customer?.email ?? guestEmail;
    const shopperName = customer ? `${customer.firstName} ${customer.lastName}` : null;
    const orderName = order?.name ?? `#${1001 + rng.int(0, 599)}`;

    const messages: HistoryMessage[] = [];
    let at = start;
    const say = (author: Author, body: string, delay: number, extra: Partial<HistoryMessage> = {}) => {
      at += delay;
      if (at >= latest) return false;
      messages.push({ author, body, at, ...extra });
      return true;
    };
    const conversation: HistoryConversation = {
      index,
      customer: purchase ? purchase.customer : customer,
      shopperName,
      shopperEmail,
      language,
      intent: "",
      status: "resolved",
      priority: "normal",
      handledByHuman: false,
      assigneeEmail: null,
      escalatedAt: null,
      escalationReason: null,
      resolvedAt: null,
      csatScore: null,
      csatComment: null,
      sentiment: Math.round(rng.float(0.05, 0.6) * 100) / 100,
      messages,
    };

    if (kind === "unanswered") {
      const question = rng.pick(UNANSWERED);
      conversation.intent = question.intent;
      say("shopper", pickText(rng, question.ask, language), 0, { intent: question.intent });
      say("assistant", `${phrase(language, "notFound")} ${phrase(language, "offerHuman")}`, rng.int(2, 6) * 1000, { metadata: { unanswered: { reason: "no_good_match" } } });
      conversation.sentiment = Math.round(rng.float(-0.3, 0.2) * 100) / 100;
      if (rng.chance(0.45)) handOff(rng, conversation, say, language, "repeated_failure", staff);
      else finishAutomated(rng, conversation, say, language);
      out.push(conversation);
      continue;
    }

    const topic = purchase ? TOPICS.find((candidate) => candidate.intent === "product_question")! : rng.weighted(TOPICS, (candidate) => candidate.weight);
    conversation.intent = topic.intent;
    say("shopper", fill(pickText(rng, topic.ask, language), orderName), 0, { intent: topic.intent });
    say("assistant", fill(pickText(rng, topic.answer, language), orderName), rng.int(2, 7) * 1000);

    if (kind === "handoff" || topic.intent === "complaint") {
      const requested = rng.chance(0.6);
      if (requested) say("shopper", pickText(rng, ASK_PERSON, language), rng.int(20, 180) * 1000, { intent: "contact_human_agent" });
      conversation.sentiment = Math.round(rng.float(-0.8, 0) * 100) / 100;
      handOff(rng, conversation, say, language, topic.intent === "complaint" ? "frustration" : requested ? "requested" : "low_confidence", staff);
    } else if (kind === "takeover") {
      // A team member saw the chat and stepped in without a handoff.
      conversation.handledByHuman = true;
      conversation.assigneeEmail = rng.pick(staff);
      say("staff", pickText(rng, STAFF_REPLY, language), rng.int(3, 30) * MINUTE, { staffEmail: conversation.assigneeEmail });
      if (rng.chance(0.6)) say("shopper", pickText(rng, THANKS, language), rng.int(1, 20) * MINUTE);
      conversation.resolvedAt = at + rng.int(2, 30) * MINUTE;
      if (rng.chance(0.3)) conversation.csatScore = rating(rng, conversation, true);
    } else if (kind === "cameBack") {
      // The shopper comes back to the same chat 2–60 hours later: not automated.
      if (say("shopper", pickText(rng, CAME_BACK, language), rng.int(2, 60) * HOUR + rng.int(0, 59) * MINUTE, { intent: topic.intent })) {
        say("assistant", fill(pickText(rng, topic.answer, language), orderName), rng.int(2, 6) * 1000);
        conversation.sentiment = Math.round(rng.float(-0.6, 0.1) * 100) / 100;
        if (rng.chance(0.4)) {
          handOff(rng, conversation, say, language, "requested", staff);
          out.push(conversation);
          continue;
        }
      }
      conversation.resolvedAt = at;
    } else {
      if (kind === "followUp" && say("shopper", pickText(rng, FOLLOW_UP, language), rng.int(20, 240) * 1000)) {
        say("assistant", pickText(rng, FOLLOW_UP_ANSWER, language), rng.int(2, 6) * 1000);
      }
      finishAutomated(rng, conversation, say, language);
    }
    out.push(conversation);
  }
  return out;
}

type Say = (author: Author, body: string, delay: number, extra?: Partial<HistoryMessage>) => boolean;

/** Thanks now and then, a rating sometimes; resolved at the assistant's answer (or the rating). */
function finishAutomated(rng: Rng, conversation: HistoryConversation, say: Say, language: Language) {
  const answeredAt = conversation.messages.at(-1)!.at;
  if (rng.chance(0.35)) say("shopper", pickText(rng, THANKS, language), rng.int(15, 120) * 1000);
  conversation.resolvedAt = answeredAt;
  if (rng.chance(0.22)) {
    conversation.csatScore = rating(rng, conversation, false);
    conversation.resolvedAt = conversation.messages.at(-1)!.at + rng.int(1, 5) * MINUTE;
    if (rng.chance(0.3)) conversation.csatComment = rng.pick(CSAT_COMMENTS);
  }
  if (rng.chance(0.15)) conversation.status = "closed";
}

/** The assistant hands off; a team member answers after a realistic delay and resolves it. */
function handOff(rng: Rng, conversation: HistoryConversation, say: Say, language: Language, reason: string, staff: string[]) {
  if (!say("assistant", HANDOFF[language], rng.int(2, 5) * 1000)) return;
  conversation.escalatedAt = conversation.messages.at(-1)!.at;
  conversation.escalationReason = reason;
  conversation.priority = reason === "frustration" || rng.chance(0.2) ? "high" : "normal";
  conversation.handledByHuman = true;
  conversation.assigneeEmail = rng.pick(staff);
  const staffEmail = conversation.assigneeEmail;
  if (!say("staff", pickText(rng, STAFF_REPLY, language), staffDelay(rng), { staffEmail })) {
    // Still waiting at the end of the history: the team closed it with a note to write back by e-mail.
    conversation.status = "closed";
    conversation.resolvedAt = conversation.escalatedAt + 10 * MINUTE;
    return;
  }
  if (rng.chance(0.7)) say("shopper", pickText(rng, THANKS, language), rng.int(2, 40) * MINUTE);
  conversation.resolvedAt = conversation.messages.at(-1)!.at + rng.int(2, 60) * MINUTE;
  if (rng.chance(0.35)) {
    conversation.csatScore = rating(rng, conversation, true);
    if (rng.chance(0.35)) conversation.csatComment = rng.pick(CSAT_COMMENTS);
  }
  if (rng.chance(0.1)) conversation.status = "closed";
}
