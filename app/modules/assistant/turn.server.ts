import type { PrismaClient } from "@prisma/client";
import { type KnowledgeMatch, searchKnowledge } from "~/modules/knowledge";
import { decideEscalation, type EscalationDecision } from "~/modules/routing";
import { checkReply, createReplyChecker, detectPromptInjection } from "./guardrails";
import { createStreamGate } from "./stream-gate";
import { ChatModelError, type ChatMessage, type ChatModel } from "./llm/types";
import { productAttributeAsked } from "./catalogue/attributes";
import { analyzeMessage, detectLanguage, type NluResult, SUPPORTED_LANGUAGES } from "./nlu";
import { NAMED_PRODUCT_SCORE } from "./nlu/entities";
import { maskPii } from "./pii";
import { buildSystemPrompt } from "./prompts";
import { isOffTopic, refersToProduct } from "./dialogue/acts";
import { type Plan, planIntent, planTurn } from "./dialogue/plan";
import { readDialogueState } from "./dialogue/state";
import { ANSWER_THRESHOLD, followUpQuestion, selectAnswer } from "./responder/knowledge-answer";
import { composeOfflineReply, MIN_INTENT_CONFIDENCE, notForTheShop, type ReplyDraft, requestedActionText, type UnansweredReason } from "./responder/offline.server";
import { hasPhrases, languageList, type PhraseLanguage, phrase } from "./responder/phrases";
import { type AssistantProfile, catalogueTitles } from "./settings.server";
import type { ToolContext } from "./tools/context";
import { lookupOrderForModel, runToolCall, TOOL_SPECS, type ToolRun } from "./tools/registry.server";

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
  /** The dialogue state the previous assistant turn stored (./dialogue/state.ts); read tolerantly. */
  memory: unknown;
  /** Unanswered turns in a row before this one. */
  failedTurns: number;
  chatModel?: ChatModel;
  onDelta?: (text: string) => void;
  /** Called when streamed model text is abandoned (the offline reply replaces it). */
  onReset?: () => void;
  /** Called once the message is understood (before retrieval), with the intent the turn acts on. */
  onUnderstood?: (understanding: { intent: string; confidence: number }) => void;
  now: Date;
  actor?: string;
  /** Retrieval already started for this message (prefetchKnowledge); used when the turn asks the same question. */
  prefetchedKnowledge?: KnowledgePrefetch;
  /**
   * Settles once the shopper's message is stored. The turn reads (NLU, retrieval) while the message is being
   * written, but waits for it before calling the model or any tool, so nothing acts on a message that was lost.
   */
  messageStored?: Promise<unknown>;
}

export interface AssistantTurnResult {
  draft: ReplyDraft;
  nlu: NluResult;
  /** The intent acted on, after the dialogue state (e.g. a follow-up about the order under discussion). */
  intent: string;
  plan: Plan;
  replyLanguage: string;
  provider: "openai" | "offline";
  /** Why the chat model's answer was not used. */
  fallback?: { kind: string; detail: string };
  injectionSuspected: boolean;
  escalation: EscalationDecision;
}

/**
 * The language to answer in: the shopper's when the assistant speaks it (en, fr, de, es), whatever the
 * shop's storefront languages; otherwise the conversation's or the shop's, saying so. A merchant who limits
 * the reply languages gets only those, with a model too: the conversation's when allowed, else the shop's
 * primary allowed one.
 */
export function chooseReplyLanguage(nlu: NluResult, conversationLanguage: string, profile: AssistantProfile, llm: boolean): { language: string; unsupported?: string } {
  const detected = nlu.languageReliable ? nlu.language : conversationLanguage;
  const allowed = profile.settings.replyLanguages;
  if (allowed.length > 0) {
    if (allowed.includes(detected)) return { language: detected };
    const fallback = allowed.includes(conversationLanguage) ? conversationLanguage : allowed[0]!;
    return nlu.languageReliable ? { language: fallback, unsupported: detected } : { language: fallback };
  }
  if (llm || hasPhrases(detected)) return { language: detected };
  const fallback = hasPhrases(conversationLanguage) ? conversationLanguage : (profile.shop.locales.map((locale) => locale.slice(0, 2)).find((code) => hasPhrases(code)) ?? "en");
  return nlu.languageReliable ? { language: fallback, unsupported: detected } : { language: fallback };
}

/** The languages a "which languages I speak" note names: the merchant's allowed ones, else the storefront's. */
function spokenLanguages(profile: AssistantProfile): string[] {
  return profile.settings.replyLanguages.length > 0 ? profile.settings.replyLanguages : profile.shop.locales.filter(hasPhrases);
}

const RETRIEVED_PASSAGES = 8;

export interface KnowledgePrefetch {
  query: string;
  queryLanguage: string;
  matches: Promise<KnowledgeMatch[]>;
}

/**
 * Starts retrieval for a shopper's message before the conversation is read: with a chat model nearly every turn
 * retrieves, and the search is the longest wait before the model's first request. It searches the message as
 * written in the language it is reliably in; the turn uses it only when it asks exactly that (not a follow-up
 * rebuilt from the previous question, not a language taken from the conversation), else it searches again.
 */
export function prefetchKnowledge(profile: AssistantProfile, text: string): KnowledgePrefetch | undefined {
  const language = detectLanguage(text, { candidates: [...SUPPORTED_LANGUAGES, ...profile.shop.locales] });
  if (!language.reliable) return undefined;
  const matches = searchKnowledge({ shopId: profile.shop.id, query: text, queryLanguage: language.language, limit: RETRIEVED_PASSAGES });
  matches.catch(() => undefined);
  return { query: text, queryLanguage: language.language, matches };
}

async function retrieve(input: AssistantTurnInput, query: string, queryLanguage: string): Promise<KnowledgeMatch[]> {
  const prefetched = input.prefetchedKnowledge;
  // Articles in every language: the query is expanded across languages, and answer selection prefers a passage
  // in the shopper's language when it answers as well.
  try {
    if (prefetched && prefetched.query === query && prefetched.queryLanguage === queryLanguage) return await prefetched.matches;
    return await searchKnowledge({ shopId: input.profile.shop.id, query, queryLanguage, limit: RETRIEVED_PASSAGES });
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
  const state = readDialogueState(input.memory);
  const loggedIn = Boolean(input.conversation.customerId);
  const plan = planTurn(state, nlu, input.text, {
    loggedIn,
    aboutProduct: aboutProduct(nlu, input.text, state),
    abusive: isAbusive(nlu),
  });
  const intent = planIntent(plan, nlu);
  input.onUnderstood?.({ intent, confidence: nlu.confidence });
  const injectionSuspected = detectPromptInjection(input.text);
  // An answer to the assistant's own question (an item name, an address, an email) is not a change of language. A
  // new request is: "Where is my order #1001?" after a German offer of a person is answered in English.
  const answersQuestion =
    plan.kind === "flow" && state.flow?.kind === plan.flow.kind && state.pending !== undefined && state.pending !== "confirm" && state.pending !== "human_offer";
  const chosen = chooseReplyLanguage(answersQuestion ? { ...nlu, languageReliable: false } : nlu, input.conversation.language, profile, Boolean(input.chatModel));
  // "Hola" alone is too short to detect, but says which language to greet in.
  const replyLanguage = (plan.kind === "greeting" && greetingLanguage(input.text, profile)) || chosen.language;
  const unsupported = replyLanguage === chosen.language ? chosen.unsupported : undefined;
  // "And to Germany?" after a shipping question: the question is the previous one, about Germany.
  const previousQuestion = shopperHistory.at(-1);
  const followUp = plan.kind === "question" && previousQuestion !== undefined && isElliptical(input.text);
  const queryLanguage = followUp ? "en" : nlu.languageReliable ? nlu.language : input.conversation.language;
  const question = followUp ? followUpQuestion(previousQuestion, input.text, nlu.languageReliable ? nlu.language : input.conversation.language) : input.text;

  const ctx: ToolContext = {
    db: input.db,
    profile,
    conversation: { id: input.conversation.id, customerId: input.conversation.customerId, verifiedOrderIds: [...input.conversation.verifiedOrderIds] },
    actor: input.actor ?? "assistant",
    now: input.now,
  };

  // Offline, a refund question before any order is named also gets the shop's refund timing.
  const generalRefundQuestion = plan.kind === "flow" && plan.flow.kind === "refunds" && !plan.flow.orderName && !loggedIn;
  const needsKnowledge = input.chatModel ? plan.kind !== "handoff" : plan.kind === "question" || plan.kind === "product" || generalRefundQuestion;
  const online = input.chatModel !== undefined && plan.kind !== "handoff";
  // The model is told which orders the shopper proved; read alongside retrieval, not after it.
  const verifiedNames =
    online && input.conversation.verifiedOrderIds.length
      ? input.db.order.findMany({ where: { shopId: profile.shop.id, id: { in: input.conversation.verifiedOrderIds } }, select: { name: true } }).then((rows) => rows.map((row) => row.name))
      : Promise.resolve([]);
  verifiedNames.catch(() => undefined);
  // An order question the shopper may ask without an email (logged in, or the order proven) needs the order: it is
  // read beside retrieval and handed to the model as its own lookup, so it answers in one round instead of asking
  // for the order and waiting for a second one. A read changes nothing, so it need not wait for the message's write.
  const orderLookup =
    online && plan.kind === "flow" && (plan.flow.kind === "status" || plan.flow.kind === "refunds") && (loggedIn || input.conversation.verifiedOrderIds.length > 0)
      ? lookupOrderForModel(ctx, plan.flow.orderName).catch((error: unknown) => {
          console.warn(`[assistant] order lookup for the model failed: ${maskPii(String(error))}`);
          return undefined;
        })
      : undefined;
  const knowledge = needsKnowledge ? await retrieve(input, question, queryLanguage) : [];
  // The shopper's message may still be being written. A chat model may start on the question meanwhile (its first
  // token is far off), but no tool runs and no word reaches the shopper until the message is stored; a failed
  // write stops the model. Offline replies are composed by tools, so they wait for it.
  let stored = input.messageStored === undefined;
  const messageStored = (input.messageStored ?? Promise.resolve()).then(() => {
    stored = true;
  });
  messageStored.catch(() => undefined);

  let draft: ReplyDraft | undefined;
  let provider: AssistantTurnResult["provider"] = "offline";
  let fallback: AssistantTurnResult["fallback"];

  if (input.chatModel && online) {
    const runs: ToolRun[] = [];
    const grounding = () => [
      ...knowledge.map((match) => `${match.title}\n${match.content}`),
      // The merchant's internal review reasons are not the model's to quote, so they ground nothing.
      ...runs.map((run) => JSON.stringify(run.outcome.ok ? run.outcome.data : { error: run.outcome.message }, (key, value) => (key === "reviewReason" ? undefined : value))),
      profile.settings.greeting,
      profile.settings.returnConditions,
      `${profile.settings.returnWindowDays} days`,
    ];
    // The gate checks the reply so far at every token; the grounding changes only when a tool has run.
    let checker: { runs: number; check: ReturnType<typeof createReplyChecker> } | undefined;
    const checkSoFar = (text: string) => {
      if (checker?.runs !== runs.length) checker = { runs: runs.length, check: createReplyChecker(grounding(), profile.settings.neverSay) };
      return checker.check(text).ok;
    };
    const gate = createStreamGate(input.onDelta, checkSoFar, { neverSay: profile.settings.neverSay });
    try {
      const messages: ChatMessage[] = [
        ...input.history
          .filter((message) => message.author === "shopper" || message.author === "assistant" || message.author === "staff")
          .slice(-12)
          .map((message): ChatMessage => ({ role: message.author === "shopper" ? "user" : "assistant", content: message.body })),
        { role: "user", content: input.text },
      ];
      const abort = new AbortController();
      const heldDeltas: string[] = [];
      const whenStored = messageStored.then(
        () => {
          for (const delta of heldDeltas.splice(0)) gate.push(delta);
        },
        (error: unknown) => {
          abort.abort();
          throw error;
        },
      );
      const lookedUp = await orderLookup;
      if (lookedUp) runs.push(lookedUp.run);
      const generation = input.chatModel.generate({
        signal: abort.signal,
        system: buildSystemPrompt({ profile, replyLanguage, knowledge: knowledge.slice(0, 5), verifiedOrders: await verifiedNames, loggedIn: Boolean(input.conversation.customerId), injectionSuspected }),
        messages,
        tools: TOOL_SPECS,
        ...(lookedUp ? { toolResults: [lookedUp.record] } : {}),
        ...(profile.settings.chatModel ? { model: profile.settings.chatModel } : {}),
        executeTool: async (call) => {
          await whenStored;
          return runToolCall(ctx, call, { all: [...shopperHistory, input.text].join("\n"), latest: input.text, previewed: state.previewedAction }, (run) => runs.push(run));
        },
        onDelta: (delta) => (stored ? gate.push(delta) : heldDeltas.push(delta)),
      });
      generation.catch(() => undefined);
      // A failed write is the turn's error (thrown out of this try, below), not the model's.
      const storeFailure = await whenStored.then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      if (storeFailure) throw new MessageNotStored(storeFailure.error);
      const result = await generation;
      // The stream gate's checker, once built after the last tool run, has the whole grounding: it checks the whole reply.
      const check = checker?.runs === runs.length ? checker.check(result.text) : checkReply(result.text, grounding(), profile.settings.neverSay);
      if (check.ok) {
        gate.flush();
        const escalationRun = runs.find((run) => run.escalation);
        const focus = runs.map((run) => (run.outcome.ok ? (run.outcome.data as { name?: string; orderName?: string }) : undefined)).find((data) => data?.name ?? data?.orderName);
        const orderCardRun = runs.find((run) => run.name === "lookup_order" && run.outcome.ok);
        const previewed = runs.findLast((run) => run.previewed)?.previewed;
        const citations = citedPassages(result.text, knowledge);
        const unanswered = modelUnanswered({ runs, citations: citations.length, plan, question, knowledge, queryLanguage });
        draft = {
          text: result.text,
          citations,
          quickReplies: [],
          orderCard: orderCardRun?.outcome.ok ? (orderCardRun.outcome.data as ReplyDraft["orderCard"]) : undefined,
          // The preview shown this turn is what a yes in the next message may confirm.
          memory: { focusOrderName: focus?.name ?? focus?.orderName ?? state.focusOrderName, ...(previewed ? { previewedAction: previewed } : {}) },
          answered: true,
          ...(unanswered ? { unanswered } : {}),
          escalate: escalationRun ? { reason: "requested", detail: escalationRun.escalation!.reason } : undefined,
          toolRuns: runs,
        };
        provider = "openai";
      } else {
        fallback = { kind: "guardrail", detail: check.violations.join("; ") };
      }
    } catch (error) {
      if (error instanceof MessageNotStored) throw error.cause;
      const kind = error instanceof ChatModelError ? error.kind : "unknown";
      fallback = { kind, detail: maskPii(error instanceof Error ? error.message : String(error)).slice(0, 300) };
    }
    // Streamed text is withdrawn; tools the model already ran stay done (they are idempotent) and the offline
    // reply reads their state afresh.
    if (!draft && gate.released) input.onReset?.();
    // An action the store was asked for is reported in the offline words, whatever the model wrote.
    const requested = draft ? undefined : runs.map((run) => requestedActionText(run, ctx, hasPhrases(replyLanguage) ? replyLanguage : "en")).find(Boolean);
    if (requested) {
      const orderName = runs.map((run) => (run.outcome.ok ? (run.outcome.data as { orderName?: string }).orderName : undefined)).find(Boolean);
      draft = { text: requested, citations: [], quickReplies: [], memory: { ...(orderName ? { focusOrderName: orderName } : {}) }, answered: true, toolRuns: runs };
    }
  }

  if (!draft) {
    await messageStored;
    const language = (hasPhrases(replyLanguage) ? replyLanguage : "en") as PhraseLanguage;
    draft = await composeOfflineReply({ ctx, language, plan, nlu: followUp ? { ...nlu, language: "en", languageReliable: true } : nlu, text: question, knowledge, products: nlu.entities.products, state });
    if (injectionSuspected && plan.kind === "flow" && draft.toolRuns.every((run) => !run.ok)) draft.text = `${phrase(language, "injectionNotice")} ${draft.text}`.trim();
    if (unsupported) draft.text = `${draft.text} ${phrase(language, "languageNote", { languages: languageList(spokenLanguages(profile), language) })}`.trim();
  }

  const failedTurns = draft.answered ? 0 : input.failedTurns + 1;
  const escalation: EscalationDecision = draft.escalate
    ? { escalate: true, reason: draft.escalate.reason, detail: draft.escalate.detail }
    : decideEscalation(profile.settings.escalation, {
        text: input.text,
        askedForHuman: plan.kind === "handoff",
        // An insult is met with a calm reply and an offer of a person, not a handoff by itself: only the
        // merchant's keywords (or a request) escalate it.
        frustration: plan.kind === "abuse" || (plan.kind === "question" && isOffTopic(input.text)) ? 0 : nlu.sentiment.frustration,
        failedTurns,
      });

  // Repeated failures on messages the assistant could not even classify are a low-confidence handoff.
  if (escalation.reason === "repeated_failure" && nlu.confidence < MIN_INTENT_CONFIDENCE) {
    escalation.reason = "low_confidence";
    escalation.detail = `${escalation.detail} The last message was not understood (intent confidence ${nlu.confidence.toFixed(2)}).`;
  }

  // One reply never both offers a person and announces the handoff.
  if (draft.offerHuman && !escalation.escalate) draft.text = `${draft.text} ${draft.offerHuman}`.trim();

  return { draft, nlu, intent, plan, replyLanguage, provider, fallback, injectionSuspected, escalation };
}

/**
 * Whether the chat model's reply leaves the shopper's question unanswered by the shop's knowledge: the model said
 * so (note_unanswered_question), or — for a question to the shop, answered with no tool and no cited passage —
 * retrieval found nothing the offline reader would answer from (best sentence below ANSWER_THRESHOLD, the
 * calibrated threshold). A model's own words are never read for this: it may answer in any language.
 */
function modelUnanswered(input: {
  runs: ToolRun[];
  citations: number;
  plan: Plan;
  question: string;
  knowledge: KnowledgeMatch[];
  queryLanguage: string;
}): UnansweredReason | undefined {
  if (input.runs.some((run) => run.unanswered)) return "said_unknown";
  if (input.plan.kind !== "question" || input.runs.length > 0 || input.citations > 0 || notForTheShop(input.question)) return undefined;
  const selection = selectAnswer(input.question, input.knowledge, { queryLanguage: input.queryLanguage });
  return !selection || selection.relevance < ANSWER_THRESHOLD ? "no_good_match" : undefined;
}

/**
 * A product question: a product named (or one the shop doesn't sell asked for) in a product question, or an
 * attribute asked about ("is it waterproof?") with a product named or under discussion. A product named in
 * a return or a tracking question leaves the message to its intent (the planner checks flows first).
 */
function aboutProduct(nlu: NluResult, text: string, state: { focusProductId?: string }): boolean {
  const named = nlu.entities.products.some((product) => product.score >= NAMED_PRODUCT_SCORE);
  const attribute = productAttributeAsked(text) !== undefined;
  if (nlu.intent === "product_question" && (named || nlu.entities.unknownProducts.length > 0)) return true;
  if (attribute && (named || state.focusProductId !== undefined || nlu.entities.unknownProducts.length > 0)) return true;
  // "Does it fold into its own pocket?" right after a product question: about that product.
  const openQuestion = nlu.intent === "product_question" || nlu.intent === "other" || nlu.confidence < 0.6;
  return state.focusProductId !== undefined && /\?\s*$/.test(text) && refersToProduct(text) && openQuestion && !isOffTopic(text);
}

const ELLIPTICAL = /^\s*[¿¡]?\s*(and|what about|how about|also|et|et pour|et en|qu'en est-il|und|und nach|was ist mit|wie ist es mit|y|y a|y para|e)\b/i;

/** A short follow-up that leans on the previous question ("and to Germany?", "¿y a Francia?"). */
function isElliptical(text: string): boolean {
  return ELLIPTICAL.test(text) && text.trim().split(/\s+/).length <= 7;
}

const GREETING_LANGUAGES: [RegExp, string][] = [
  [/^\s*(bonjour|bonsoir|salut|coucou)\b/i, "fr"],
  [/^\s*(hallo|guten (tag|morgen|abend)|servus|moin|grüß gott)\b/i, "de"],
  [/^\s*(hola|buen[oa]s (d[ií]as|tardes|noches))\b/i, "es"],
  [/^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i, "en"],
];

/** The language a greeting is in, when the merchant lets the assistant reply in it. */
function greetingLanguage(text: string, profile: AssistantProfile): string | undefined {
  const language = GREETING_LANGUAGES.find(([pattern]) => pattern.test(text))?.[1];
  const allowed = profile.settings.replyLanguages;
  return language && (allowed.length === 0 || allowed.includes(language)) ? language : undefined;
}

/** Insults aimed at the assistant or the shop (the sentiment model's flag, when it has one). */
function isAbusive(nlu: NluResult): boolean {
  return (nlu.sentiment as { abusive?: boolean }).abusive === true;
}

function citedPassages(text: string, knowledge: KnowledgeMatch[]) {
  const cited = new Set([...text.matchAll(/\[(\d{1,2})\]/g)].map((match) => Number(match[1]) - 1));
  return knowledge.filter((_, index) => cited.has(index)).map((match) => ({ sourceId: match.sourceId, chunkId: match.chunkId, title: match.title }));
}

/** The shopper's message could not be stored: the turn ends with that error, whatever the model was doing. */
class MessageNotStored extends Error {
  constructor(cause: unknown) {
    super("the shopper's message was not stored", { cause });
  }
}
