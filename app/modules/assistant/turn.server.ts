import type { PrismaClient } from "@prisma/client";
import { type KnowledgeMatch, searchKnowledge } from "~/modules/knowledge";
import { decideEscalation, type EscalationDecision } from "~/modules/routing";
import { checkReply, detectPromptInjection } from "./guardrails";
import { createStreamGate } from "./stream-gate";
import { ChatModelError, type ChatMessage, type ChatModel } from "./llm/types";
import { analyzeMessage, type NluResult } from "./nlu";
import { maskPii } from "./pii";
import { buildSystemPrompt } from "./prompts";
import { composeOfflineReply, looksLikeAddress, MIN_INTENT_CONFIDENCE, ORDER_INTENTS, type ReplyDraft, type TurnMemory } from "./responder/offline.server";
import { hasPhrases, languageList, type PhraseLanguage, phrase } from "./responder/phrases";
import { type AssistantProfile, catalogueTitles } from "./settings.server";
import type { ToolContext } from "./tools/context";
import { runToolCall, TOOL_SPECS, type ToolRun } from "./tools/registry.server";

/**
 * One assistant turn: understand → remember → retrieve → act (tools) → generate → check. Storage, streaming
 * to the shopper and the handoff itself belong to the conversations module, which calls this.
 */

export interface HistoryMessage {
  author: "shopper" | "assistant" | "staff" | "system";
  body: string;
}

export interface AssistantTurnInput {
  db: PrismaClient;
  profile: AssistantProfile;
  conversation: { id: string; customerId: string | null; verifiedOrderIds: string[]; language: string };
  text: string;
  /** Public messages before this one, oldest first. */
  history: HistoryMessage[];
  memory: TurnMemory;
  /** Unanswered turns in a row before this one. */
  failedTurns: number;
  chatModel?: ChatModel;
  onDelta?: (text: string) => void;
  /** Called when streamed model text is abandoned (the offline reply replaces it). */
  onReset?: () => void;
  now: Date;
  actor?: string;
}

export interface AssistantTurnResult {
  draft: ReplyDraft;
  nlu: NluResult;
  /** The intent acted on, after conversation memory (e.g. a follow-up about the order under discussion). */
  intent: string;
  replyLanguage: string;
  provider: "openai" | "offline";
  /** Why the chat model's answer was not used. */
  fallback?: { kind: string; detail: string };
  injectionSuspected: boolean;
  escalation: EscalationDecision;
}

const FOLLOW_UP = /\b(it|its|it's|they|them|that|this one|the (order|package|parcel)|my (order|package|parcel)|arrive|arriving|delivered|come|coming|ship|shipped|il|elle|le colis|sie|es|das paket|lo|el paquete|llega)\b/i;
const FOLLOW_UP_INTENTS = new Set(["delivery_period", "delivery_options", "track_order", "other", "track_refund", "get_refund", "cancel_order", "change_shipping_address"]);
const GREETING_START = /^\s*(hi|hello|hey|good (morning|afternoon|evening)|bonjour|salut|hallo|hola)\b/i;
const THANKS = /^\s*(thanks?|thank you|thx|ty|merci|danke|gracias|cheers)\b[\s\S]{0,40}$/i;
const HUMAN_REQUEST = /\b(human|real person|agent|representative|someone real|talk to (a )?person|speak to (a )?person|un humain|une personne|conseiller|mensch|mitarbeiter|persona real|un agente)\b/i;

/**
 * Actions change orders, so acting needs the shopper to have said so (in any of the shop's languages), not
 * only a classifier's guess: "please return order #1001" must never become a cancellation.
 */
const ACTION_CUES: Record<string, RegExp> = {
  cancel_order: /(cancel|annul|storn|anular)/i,
  get_refund: /(refund|return|money back|send (it|them|this) back|rembours|retour|renvoy|erstatt|rücksend|zurück|reembols|devol)/i,
  change_shipping_address: /(address|adresse|direcci|\bapt\b|apartment|appartement|wohnung|piso|ship (it )?to|deliver (it )?to)/i,
};

export function guardActionIntent(intent: string, nlu: NluResult, text: string): string {
  const cue = ACTION_CUES[intent];
  if (!cue || cue.test(text)) return intent;
  const ranked = nlu.ranking.map((entry) => entry.intent).filter((candidate) => candidate !== intent);
  const said = ranked.find((candidate) => ACTION_CUES[candidate]?.test(text)) ?? Object.keys(ACTION_CUES).find((candidate) => ACTION_CUES[candidate]!.test(text));
  if (said) return said;
  const readOnly = ranked.find((candidate) => !ACTION_CUES[candidate]);
  return readOnly ?? (nlu.entities.orderNumbers.length > 0 ? "track_order" : "other");
}

/** "I'd like to…", "can you…": the shopper asks for something to be done. */
const REQUEST = /(want|would like|'d like|need|wish|please|can i|could i|can you|could you|help me|je veux|je voudrais|j'aimerais|ich möchte|ich will|bitte|quiero|quisiera|necesito)/i;
/** Intents a clear request for an action on an order can override (the classifier's near misses). */
const REDIRECTABLE = new Set(["track_order", "other", "check_refund_policy", "complaint", "product_question", "delivery_period"]);

/**
 * The offline intent model is trained on English. For the other languages the assistant answers in, these
 * cues (checked in order) name the intents that matter most.
 */
const LANGUAGE_CUES: [intent: string, cue: RegExp][] = [
  ["contact_human_agent", /\b(humain|une personne|un conseiller|mensch|mitarbeiter(in)?|einer person|persona real|humano|un agente)\b/i],
  ["cancel_order", /(annul|stornier|cancelar|anular)/i],
  ["get_refund", /(rembours|retourner|renvoyer|rückerstatt|erstatt|zurückschick|zurückgeb|rücksend|reembols|devolver|devoluci)/i],
  ["change_shipping_address", /(adresse|direcci[oó]n|anschrift)/i],
  ["track_order", /(o[uù] (en )?est|suivi|suivre|ma commande|mon colis|wo ist|wo bleibt|sendungsverfolgung|meine bestellung|mein paket|d[oó]nde est[aá]|seguimiento|rastrear|mi pedido|mi paquete)/i],
  ["delivery_options", /(livraison|lieferung|versand|env[ií]o|entrega)/i],
  ["greeting", /^\s*(bonjour|bonsoir|salut|hallo|guten (tag|morgen|abend)|servus|hola|buen[oa]s (d[ií]as|tardes|noches))\b/i],
];

function intentFromLanguageCues(nlu: NluResult, text: string): string | undefined {
  // The English model's confidence means little on other languages, so a matching cue wins.
  if (nlu.language === "en" || !nlu.languageReliable) return undefined;
  return LANGUAGE_CUES.find(([, cue]) => cue.test(text))?.[0];
}

/** Which intent to act on, given what the conversation was doing. */
export function resolveIntent(nlu: NluResult, text: string, memory: TurnMemory): string {
  const cued = intentFromLanguageCues(nlu, text);
  if (cued) nlu = { ...nlu, intent: cued, confidence: Math.max(nlu.confidence, 0.6) };
  const guarded = guardActionIntent(nlu.intent, nlu, text);
  if (guarded !== nlu.intent) nlu = { ...nlu, intent: guarded };
  // "I want to return it" about the order under discussion, or "please return order #1001": an action.
  const requested = Object.keys(ACTION_CUES).filter((candidate) => ACTION_CUES[candidate]!.test(text));
  const aboutAnOrder = nlu.entities.orderNumbers.length > 0 || (memory.focusOrderName !== undefined && FOLLOW_UP.test(text));
  if (requested.length === 1 && REDIRECTABLE.has(nlu.intent) && aboutAnOrder && REQUEST.test(text)) return requested[0]!;
  if (HUMAN_REQUEST.test(text) && (nlu.intent === "contact_human_agent" || nlu.intent === "contact_customer_service" || nlu.confidence < 0.6)) return "contact_human_agent";
  if (THANKS.test(text) && nlu.entities.orderNumbers.length === 0) return "thanks";
  const providesDetails = nlu.entities.orderNumbers.length > 0 || nlu.entities.emails.length > 0;
  // "Hi! I have a question": a short hello the classifier is unsure about is a greeting.
  if (GREETING_START.test(text) && text.split(/\s+/).length <= 6 && nlu.confidence < 0.6 && !providesDetails) return "greeting";
  // The assistant asked for verification or an address: this message completes that request, unless the
  // shopper clearly moved on to something else.
  // A new address is the answer itself, whatever the classifier makes of its numbers.
  if (memory.awaiting?.kind === "address" && looksLikeAddress(text)) return memory.awaiting.intent;
  if (memory.awaiting && providesDetails && !ORDER_INTENTS.has(nlu.intent)) return memory.awaiting.intent;
  if (memory.awaiting && providesDetails && nlu.confidence < 0.6) return memory.awaiting.intent;
  // "and when will it arrive?" right after talking about an order is about that order.
  const unsure = nlu.confidence < MIN_INTENT_CONFIDENCE;
  if (memory.focusOrderName && nlu.entities.orderNumbers.length === 0 && (FOLLOW_UP_INTENTS.has(nlu.intent) || unsure) && FOLLOW_UP.test(text)) {
    return ORDER_INTENTS.has(nlu.intent) ? nlu.intent : "track_order";
  }
  const explicitAction = ACTION_CUES[nlu.intent]?.test(text) ?? false;
  if (providesDetails && !explicitAction && (nlu.intent === "other" || nlu.confidence < MIN_INTENT_CONFIDENCE)) return "track_order";
  // "Can I change my order?" is a question for the help center; a new address in it is an address change.
  if (nlu.intent === "change_order" && ACTION_CUES.change_shipping_address!.test(text)) return "change_shipping_address";
  return nlu.intent;
}

/** The language to answer in: the shopper's when the shop supports it, otherwise the shop's, saying so. */
export function chooseReplyLanguage(nlu: NluResult, conversationLanguage: string, profile: AssistantProfile, llm: boolean): { language: string; unsupported?: string } {
  const shopLanguages = profile.shop.locales.map((locale) => locale.slice(0, 2));
  const detected = nlu.languageReliable ? nlu.language : conversationLanguage;
  if (llm) return { language: detected };
  if (shopLanguages.includes(detected) && hasPhrases(detected)) return { language: detected };
  const fallback = shopLanguages.find((code) => hasPhrases(code)) ?? "en";
  return nlu.languageReliable && !shopLanguages.includes(detected) ? { language: fallback, unsupported: detected } : { language: hasPhrases(conversationLanguage) ? conversationLanguage : fallback };
}

function memoryOrderRef(nlu: NluResult, memory: TurnMemory, text: string) {
  // Numbers inside a new address (house number, postcode) are not order numbers.
  const addressReply = memory.awaiting?.kind === "address" && memory.awaiting.orderName && looksLikeAddress(text);
  return { orderNumber: addressReply ? memory.awaiting!.orderName : nlu.entities.orderNumbers[0], email: nlu.entities.emails[0] ?? memory.awaiting?.email };
}

async function retrieve(input: AssistantTurnInput, query: string, language: string): Promise<KnowledgeMatch[]> {
  const search = (q: string, lang: string | undefined) => searchKnowledge({ shopId: input.profile.shop.id, query: q, language: lang, limit: 8 });
  try {
    const inLanguage = await search(query, language);
    if (inLanguage.length > 0 || language === input.profile.shop.primaryLocale) return inLanguage;
    return await search(query, undefined);
  } catch (error) {
    // Knowledge is an aid, not a requirement: the reply says it could not find an answer.
    console.warn(`[assistant] knowledge search failed: ${maskPii(String(error))}`);
    return [];
  }
}

export async function runAssistantTurn(input: AssistantTurnInput): Promise<AssistantTurnResult> {
  const { profile } = input;
  const shopperHistory = input.history.filter((message) => message.author === "shopper").map((message) => message.body);
  const nlu = analyzeMessage(input.text, {
    orderNamePrefix: profile.shop.orderNamePrefix,
    products: await catalogueTitles(input.db, profile.shop.id),
    history: shopperHistory.slice(-5),
    shopLanguages: profile.shop.locales,
  });
  const intent = resolveIntent(nlu, input.text, input.memory);
  const injectionSuspected = detectPromptInjection(input.text);
  const { language: replyLanguage, unsupported } = chooseReplyLanguage(nlu, input.conversation.language, profile, Boolean(input.chatModel));

  const ctx: ToolContext = {
    db: input.db,
    profile,
    conversation: { id: input.conversation.id, customerId: input.conversation.customerId, verifiedOrderIds: [...input.conversation.verifiedOrderIds] },
    actor: input.actor ?? "assistant",
    now: input.now,
  };

  const needsKnowledge = Boolean(input.chatModel) || !ORDER_INTENTS.has(intent);
  const knowledge = needsKnowledge && !["greeting", "thanks", "contact_human_agent"].includes(intent) ? await retrieve(input, input.text, replyLanguage) : [];
  const ref = memoryOrderRef(nlu, input.memory, input.text);

  let draft: ReplyDraft | undefined;
  let provider: AssistantTurnResult["provider"] = "offline";
  let fallback: AssistantTurnResult["fallback"];

  if (input.chatModel && intent !== "contact_human_agent") {
    const runs: ToolRun[] = [];
    const grounding = () => [
      ...knowledge.map((match) => `${match.title}\n${match.content}`),
      ...runs.map((run) => JSON.stringify(run.outcome.ok ? run.outcome.data : { error: run.outcome.message })),
      profile.settings.greeting,
      profile.settings.returnConditions,
      `${profile.settings.returnWindowDays} days`,
    ];
    const gate = createStreamGate(input.onDelta, (text) => checkReply(text, grounding(), profile.settings.neverSay).ok);
    try {
      const messages: ChatMessage[] = [
        ...input.history
          .filter((message) => message.author === "shopper" || message.author === "assistant" || message.author === "staff")
          .slice(-12)
          .map((message): ChatMessage => ({ role: message.author === "shopper" ? "user" : "assistant", content: message.body })),
        { role: "user", content: input.text },
      ];
      const verifiedNames = input.conversation.verifiedOrderIds.length
        ? (await input.db.order.findMany({ where: { shopId: profile.shop.id, id: { in: input.conversation.verifiedOrderIds } }, select: { name: true } })).map((o) => o.name)
        : [];
      const result = await input.chatModel.generate({
        system: buildSystemPrompt({ profile, replyLanguage, knowledge: knowledge.slice(0, 5), verifiedOrders: verifiedNames, loggedIn: Boolean(input.conversation.customerId), injectionSuspected }),
        messages,
        tools: TOOL_SPECS,
        executeTool: (call) => runToolCall(ctx, call, [...shopperHistory, input.text].join("\n"), (run) => runs.push(run)),
        onDelta: (delta) => gate.push(delta),
      });
      const check = checkReply(result.text, [...grounding(), ...result.toolCalls.map((call) => call.result)], profile.settings.neverSay);
      if (check.ok) {
        gate.flush();
        const escalationRun = runs.find((run) => run.escalation);
        const focus = runs.map((run) => (run.outcome.ok ? (run.outcome.data as { name?: string; orderName?: string }) : undefined)).find((data) => data?.name ?? data?.orderName);
        const orderCardRun = runs.find((run) => run.name === "lookup_order" && run.outcome.ok);
        draft = {
          text: result.text,
          citations: citedPassages(result.text, knowledge),
          quickReplies: [],
          orderCard: orderCardRun?.outcome.ok ? (orderCardRun.outcome.data as ReplyDraft["orderCard"]) : undefined,
          memory: { focusOrderName: focus?.name ?? focus?.orderName ?? input.memory.focusOrderName },
          answered: true,
          escalate: escalationRun ? { reason: "requested", detail: escalationRun.escalation!.reason } : undefined,
          toolRuns: runs,
        };
        provider = "openai";
      } else {
        fallback = { kind: "guardrail", detail: check.violations.join("; ") };
      }
    } catch (error) {
      const kind = error instanceof ChatModelError ? error.kind : "unknown";
      fallback = { kind, detail: maskPii(error instanceof Error ? error.message : String(error)).slice(0, 300) };
    }
    // Streamed text is withdrawn; tools the model already ran stay done (they are idempotent) and the offline
    // reply reads their state afresh.
    if (!draft && gate.released) input.onReset?.();
  }

  if (!draft) {
    const language = (hasPhrases(replyLanguage) ? replyLanguage : "en") as PhraseLanguage;
    draft = await composeOfflineReply({ ctx, language, intent, confidence: nlu.confidence, text: input.text, orderNumber: ref.orderNumber, email: ref.email, knowledge, products: nlu.entities.products, memory: input.memory });
    if (injectionSuspected && ORDER_INTENTS.has(intent) && draft.toolRuns.every((run) => !run.ok)) draft.text = `${phrase(language, "injectionNotice")} ${draft.text}`.trim();
    if (unsupported) draft.text = `${draft.text} ${phrase(language, "languageNote", { languages: languageList(profile.shop.locales.filter(hasPhrases), language) })}`.trim();
  }

  const failedTurns = draft.answered ? 0 : input.failedTurns + 1;
  const escalation: EscalationDecision = draft.escalate
    ? { escalate: true, reason: draft.escalate.reason, detail: draft.escalate.detail }
    : decideEscalation(profile.settings.escalation, {
        text: input.text,
        askedForHuman: intent === "contact_human_agent",
        frustration: nlu.sentiment.frustration,
        failedTurns,
      });

  // Repeated failures on messages the assistant could not even classify are a low-confidence handoff.
  if (escalation.reason === "repeated_failure" && nlu.confidence < MIN_INTENT_CONFIDENCE) {
    escalation.reason = "low_confidence";
    escalation.detail = `${escalation.detail} The last message was not understood (intent confidence ${nlu.confidence.toFixed(2)}).`;
  }

  return { draft, nlu, intent, replyLanguage, provider, fallback, injectionSuspected, escalation };
}

function citedPassages(text: string, knowledge: KnowledgeMatch[]) {
  const cited = new Set([...text.matchAll(/\[(\d{1,2})\]/g)].map((match) => Number(match[1]) - 1));
  return knowledge.filter((_, index) => cited.has(index)).map((match) => ({ sourceId: match.sourceId, chunkId: match.chunkId, title: match.title }));
}
