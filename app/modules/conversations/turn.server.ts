import type { Conversation, Prisma, PrismaClient } from "@prisma/client";
import {
  type AssistantProfile,
  type AssistantTurnResult,
  type ChatModel,
  chatModelFromEnv,
  type DialogueState,
  handoffMessage,
  loadAssistantProfile,
  hasPhrases,
  maskPaymentCards,
  maskPii,
  phrase,
  prefetchKnowledge,
  runAssistantTurn,
} from "~/modules/assistant";
import { type EscalationReason, type HandoffSignals, routeHandoff, startWaiting } from "~/modules/routing";
import { ConversationError, parseMessageText, toPublicMessage } from "./conversations.server";
import { escalationFields } from "./escalation";
import { readTurnContext, type ShopperMessageUnderstanding, storeAssistantReply, storeShopperMessage } from "./turn-store.server";
import { type ConversationEvent, type PublicMessage, publishConversationEvent } from "./events.server";

/**
 * A shopper's message, end to end: store it (before anything can fail), run the assistant, hand off when a
 * rule says so, store the reply and publish both. Shopper messages are never lost: a failure after the
 * first write leaves the message stored and the conversation waiting on staff.
 */

export interface ShopperTurnOptions {
  /** Omitted: the configured model (OPENAI_API_KEY), else offline. `null`: offline whatever is configured. */
  chatModel?: ChatModel | null;
  /** Receives streamed reply text and the final messages (the storefront's SSE stream). */
  onEvent?: (event: ConversationEvent) => void;
  now?: Date;
}

export interface ShopperTurnResult {
  shopperMessage: PublicMessage;
  /** Null when a person owns the conversation: the assistant stays quiet. */
  reply: PublicMessage | null;
  intent: string | null;
  escalated: boolean;
  escalationReason?: EscalationReason;
  /** The conversation's status after the turn. */
  status: "waiting_on_staff" | "waiting_on_shopper";
  provider?: AssistantTurnResult["provider"];
  fallback?: AssistantTurnResult["fallback"];
}

/** Words per streamed event of an offline reply. */
const WORDS_PER_DELTA = 4;

interface StoredAssistantMetadata {
  memory?: DialogueState;
  failedTurns?: number;
}

const noop = () => undefined;

export async function handleShopperMessage(
  db: PrismaClient,
  input: { shopId: string; conversationId: string; text: unknown },
  options: ShopperTurnOptions = {},
): Promise<ShopperTurnResult> {
  // Card data never reaches the database, the assistant or the inbox: it is masked before anything else.
  const card = maskPaymentCards(parseMessageText(input.text));
  const text = card.text;
  const now = options.now ?? new Date();
  const chatModel = options.chatModel === undefined ? chatModelFromEnv() : (options.chatModel ?? undefined);
  // What the turn reads does not depend on the new message: read it all at once (the history before the
  // message is exactly the history without it).
  const context = readTurnContext(input.shopId, input.conversationId);
  context.catch(() => undefined);
  const profile = await loadAssistantProfile(db, input.shopId);
  // With a chat model nearly every turn searches the knowledge, and that search is the longest wait before the
  // model's first request: it starts now, beside the conversation read (the turn uses it if it asks the same).
  const prefetchedKnowledge = chatModel ? prefetchKnowledge(profile, text) : undefined;
  const { conversation, previous } = await context;
  if (conversation.status === "closed") throw new ConversationError("this conversation is closed; start a new one", 409);
  const emit = (event: ConversationEvent) => options.onEvent?.(event);

  const lastAssistant = [...previous].reverse().find((message) => message.author === "assistant");
  const lastMeta = (lastAssistant?.metadata ?? {}) as StoredAssistantMetadata;
  const replyId = crypto.randomUUID();

  // The shopper sees their message before any reply text. It is written once that search is done, so the two do
  // not compete for the database ahead of the model's request; the model waits for the write before any tool or
  // word reaches the shopper, and its first token is far off. It is written with its intent, known within a few
  // milliseconds of the turn's start (or none, when no turn runs or the turn fails before understanding it).
  let understood: (understanding: ShopperMessageUnderstanding | undefined) => void = noop;
  const understanding = new Promise<ShopperMessageUnderstanding | undefined>((resolve) => {
    understood = resolve;
  });
  const searched = prefetchedKnowledge?.matches.then(noop, noop) ?? Promise.resolve();
  const storing = Promise.all([understanding, searched]).then(([meaning]) => storeShopperMessage(conversation, text, now, meaning)).then((stored) => {
    const message = toPublicMessage(stored);
    emit({ type: "message", message });
    return { stored, message };
  });
  // The assistant reads (NLU, retrieval) while the message is written; it acts only once it is stored.
  const turnRun = conversation.handledByHuman
    ? undefined
    : runAssistantTurn({
        db,
        profile,
        conversation: { id: conversation.id, customerId: conversation.customerId, verifiedOrderIds: conversation.verifiedOrderIds, language: conversation.language },
        text,
        history: previous.map((message) => ({ author: message.author, body: message.body })),
        memory: lastMeta.memory ?? {},
        failedTurns: lastMeta.failedTurns ?? 0,
        chatModel,
        prefetchedKnowledge,
        onDelta: (delta) => emit({ type: "delta", messageId: replyId, text: delta }),
        onReset: () => emit({ type: "reset", messageId: replyId }),
        onUnderstood: understood,
        now,
        messageStored: storing,
      });
  // Awaited below, after the message is known to be stored (a storage failure is the error to report).
  if (turnRun) turnRun.catch(() => understood(undefined));
  else understood(undefined);
  const { message: shopperMessage } = await storing;
  // The message is stored; it is announced to other tabs and the inbox alongside the assistant's turn, so the
  // first streamed word is not kept waiting on it.
  const bookkeeping = publishConversationEvent(input.shopId, conversation.id, { type: "message", message: shopperMessage });
  // Awaited before the reply is stored; marked handled now so a failure surfaces there, not as an unhandled rejection.
  bookkeeping.catch(() => undefined);

  if (!turnRun) {
    await bookkeeping;
    await startWaiting(db, { shopId: input.shopId, conversationId: conversation.id, now });
    return { shopperMessage, reply: null, intent: null, escalated: false, status: "waiting_on_staff" };
  }

  let turn: AssistantTurnResult;
  try {
    turn = await turnRun;
  } catch (error) {
    await bookkeeping.catch(() => undefined);
    // The shopper's message is stored; a person picks the conversation up.
    console.error(`[conversations] assistant turn failed in ${conversation.id}: ${maskPii(String(error))}`);
    await db.conversation.update({ where: { id: conversation.id }, data: { status: "waiting_on_staff", escalatedAt: conversation.escalatedAt ?? now, escalationReason: "assistant error" } });
    if (conversation.escalatedAt === null) await routeNewHandoff(db, { shopId: input.shopId, conversationId: conversation.id, now });
    throw error;
  }

  // The reply's own conversation update must land after the shopper message's.
  await bookkeeping;
  let streamed = turn.provider === "openai";
  if (card.masked) {
    // The warning leads the reply; text already streamed is replaced by the whole reply.
    const warning = phrase(hasPhrases(turn.replyLanguage) ? turn.replyLanguage : "en", "cardWarning");
    turn.draft.text = turn.draft.text ? `${warning}\n\n${turn.draft.text}` : warning;
    if (streamed) emit({ type: "reset", messageId: replyId });
    streamed = false;
  }
  return finishTurn(db, { conversation, profile, turn, text, shopperMessage, replyId, now, history: previous, emit, streamed, priorFailedTurns: lastMeta.failedTurns ?? 0 });
}

async function finishTurn(
  db: PrismaClient,
  input: {
    conversation: Conversation;
    profile: AssistantProfile;
    turn: AssistantTurnResult;
    text: string;
    shopperMessage: PublicMessage;
    replyId: string;
    now: Date;
    history: { author: string; body: string }[];
    emit: (event: ConversationEvent) => void;
    streamed: boolean;
    priorFailedTurns: number;
  },
): Promise<ShopperTurnResult> {
  const { conversation, profile, turn, now } = input;
  const { draft, nlu, escalation } = turn;
  const alreadyEscalated = conversation.escalatedAt !== null;
  let body = draft.text;
  if (escalation.escalate) {
    const handoff = handoffMessage(profile, turn.replyLanguage, now, { alreadyEscalated, frustrated: escalation.reason === "frustration" });
    body = body ? `${body}\n\n${handoff}` : handoff;
  }
  const failedTurns = draft.answered ? 0 : input.priorFailedTurns + 1;
  const pendingApproval = draft.toolRuns.some((run) => {
    const data = run.outcome.ok ? (run.outcome.data as { status?: string }) : undefined;
    return data?.status === "requested" || data?.status === "pending_approval";
  });

  const metadata = {
    memory: draft.memory,
    failedTurns: escalation.escalate ? 0 : failedTurns,
    provider: turn.provider,
    quickReplies: draft.quickReplies,
    citations: draft.citations,
    // Read by analytics (unanswered questions): why the knowledge did not answer, whatever the reply's language.
    ...(draft.unanswered ? { unanswered: { reason: draft.unanswered } } : {}),
    ...(draft.orderCard ? { orderCard: draft.orderCard } : {}),
    toolCalls: draft.toolRuns.map((run) => ({ name: run.name, ok: run.ok, ...(run.outcome.ok ? {} : { code: run.outcome.code }) })),
    ...(turn.fallback ? { fallback: turn.fallback } : {}),
    ...(turn.injectionSuspected ? { injectionSuspected: true } : {}),
    ...(escalation.escalate ? { handoff: { reason: escalation.reason } } : {}),
  };

  const status = escalation.escalate || pendingApproval ? "waiting_on_staff" : "waiting_on_shopper";
  const newlyEscalated = escalation.escalate && !alreadyEscalated;
  const reply = await storeAssistantReply({
    id: input.replyId,
    shopId: profile.shop.id,
    conversationId: conversation.id,
    body,
    metadata: JSON.parse(JSON.stringify(metadata)) as Prisma.InputJsonValue,
    intent: turn.intent,
    confidence: nlu.confidence,
    createdAt: new Date(now.getTime() + 1),
    conversation: {
      sentiment: nlu.sentiment.score,
      language: turn.replyLanguage.slice(0, 2),
      status,
      escalation: newlyEscalated
        ? escalationFields({
            reason: escalation.reason ?? "requested",
            detail: escalation.detail ?? escalation.reason ?? "handoff",
            intent: turn.intent,
            text: input.text,
            orderName: draft.memory.focusOrderName,
            sentiment: nlu.sentiment.score,
            frustration: nlu.sentiment.frustration,
            history: input.history.filter((message) => message.author === "shopper").map((message) => message.body),
            now,
          })
        : undefined,
    },
    fallbackNote: turn.fallback ? `${turn.fallback.kind}: ${turn.fallback.detail}` : undefined,
  });
  if (turn.fallback) console.warn(`[assistant] chat model failed (${turn.fallback.kind}); answered offline in ${conversation.id}`);

  const publicReply = toPublicMessage(reply);
  if (!input.streamed) {
    // Offline replies are ready at once; they still arrive as a stream so the widget has one code path, a few
    // words per event (one event per word was one socket write per word under load).
    const words = body.match(/\S+\s*/g) ?? [];
    for (let at = 0; at < words.length; at += WORDS_PER_DELTA) input.emit({ type: "delta", messageId: reply.id, text: words.slice(at, at + WORDS_PER_DELTA).join("") });
  }
  input.emit({ type: "message", message: publicReply });
  await publishConversationEvent(profile.shop.id, conversation.id, { type: "message", message: publicReply });
  if (escalation.escalate && !alreadyEscalated) {
    const handoff = { type: "handoff", reason: escalation.reason ?? "requested", status: "waiting_on_staff" } as const;
    input.emit(handoff);
    await publishConversationEvent(profile.shop.id, conversation.id, handoff);
    await routeNewHandoff(db, {
      shopId: profile.shop.id,
      conversationId: conversation.id,
      now,
      signals: { reason: escalation.reason, frustration: nlu.sentiment.frustration, intent: turn.intent, focusOrderName: draft.memory.focusOrderName },
    });
  }

  return {
    status,
    shopperMessage: input.shopperMessage,
    reply: publicReply,
    intent: turn.intent,
    escalated: escalation.escalate,
    escalationReason: escalation.reason,
    provider: turn.provider,
    fallback: turn.fallback,
  };
}

/**
 * Priority, assignee and SLA for a handoff that is already stored. A routing failure is logged, not thrown:
 * the handoff stands and waits unassigned in the inbox.
 */
export async function routeNewHandoff(db: PrismaClient, input: { shopId: string; conversationId: string; now: Date; signals?: HandoffSignals }) {
  try {
    await routeHandoff(db, input);
  } catch (error) {
    console.error(`[conversations] routing the handoff of ${input.conversationId} failed: ${maskPii(String(error))}`);
  }
}
