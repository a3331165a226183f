import type { Conversation } from "@prisma/client";
import { z } from "zod";
import prisma from "~/db.server";
import { getEnv } from "~/env.server";
import { liveReady, subscribeLive } from "~/lib/live/live-events.server";
import { clientAddress } from "~/lib/server/client-address.server";
import { type RateLimit, RateLimiter } from "~/lib/server/rate-limit.server";
import { SSE_HEADERS, sseResponse } from "~/lib/server/sse.server";
import { analyzeMessage, loadAssistantProfile, maskPii } from "~/modules/assistant";
import {
  type ConversationEvent,
  ConversationError,
  findConversationByToken,
  handleShopperMessage,
  listPublicMessages,
  listPublicMessagesAfter,
  parseMessageText,
  type PublicMessage,
  startConversation,
} from "~/modules/conversations";
import { CONVERSATION_HEADER, type ConversationSnapshot, type StreamEvent } from "./chat-contract";
import { baseLanguage, welcomeFor } from "./welcome";

/**
 * The storefront chat API behind Shopify's app proxy. Routes verify the proxy signature first (Shopify's
 * library), then call these functions with the verified shop and customer. A conversation is reachable
 * only through its bearer token, always within the signed shop.
 */

export class ChatApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export function errorResponse(error: ChatApiError) {
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (error.retryAfterSeconds) headers["Retry-After"] = String(error.retryAfterSeconds);
  return Response.json({ error: error.message, ...(error.field ? { field: error.field } : {}) }, { status: error.status, headers });
}

export interface ProxyCaller {
  shopId: string;
  /** Shopdesk's customer id for Shopify's logged_in_customer_id, only from a signed request. */
  customerId: string | null;
  ip: string;
}

/** What the HTTP server passes each route (app/lib/server/http.server.ts): the connection's address. */
export interface RequestContext {
  clientAddress?: string;
}

/** The verified shop and (if logged in and known) customer of a signed app-proxy request. */
export async function proxyCaller(request: Request, context: RequestContext = {}): Promise<ProxyCaller> {
  const params = new URL(request.url).searchParams;
  const domain = params.get("shop") ?? "";
  const shop = await prisma.shop.findUnique({ where: { domain }, select: { id: true, uninstalledAt: true } });
  if (!shop || shop.uninstalledAt) throw new ChatApiError("This shop has not installed Shopdesk.", 404);
  const loggedIn = params.get("logged_in_customer_id");
  const customer = loggedIn
    ? await prisma.customer.findFirst({ where: { shopId: shop.id, platform: "shopify", externalId: { in: [loggedIn, `gid://shopify/Customer/${loggedIn}`] } }, select: { id: true } })
    : null;
  // Shopify's proxy appends the shopper's address to X-Forwarded-For; entries left of the trusted ones are the
  // shopper's own and never pick the rate-limit key.
  const ip = clientAddress(request, { trustedHops: getEnv().TRUSTED_PROXY_HOPS, socketAddress: context.clientAddress });
  return { shopId: shop.id, customerId: customer?.id ?? null, ip };
}

// Limits: generous for people, tight for scripts. Per IP across all chat calls, and per conversation for messages.
export const RATE_LIMITS = {
  ip: { limit: 120, windowMs: 60_000 },
  ipNewConversations: { limit: 10, windowMs: 60_000 },
  conversationMessages: { limit: 12, windowMs: 60_000 },
  conversationVerify: { limit: 6, windowMs: 60_000 },
} satisfies Record<string, RateLimit>;

// Counted in the database, so the limits hold across every app instance.
const limiter = new RateLimiter();

export async function enforceRateLimit(key: string, rule: RateLimit) {
  const decision = await limiter.hit(key, rule);
  if (!decision.ok) {
    throw new ChatApiError(`Too many requests. Please wait ${decision.retryAfterSeconds} seconds and try again.`, 429, undefined, decision.retryAfterSeconds);
  }
}

/** The request's JSON body; refuses other content types, oversized bodies and malformed JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) throw new ChatApiError("Send JSON (Content-Type: application/json).", 415);
  const text = await request.text();
  if (text.length > 16_384) throw new ChatApiError("The request body is too large.", 413);
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ChatApiError("The request body is not valid JSON.", 400);
  }
}

export async function parseBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await readJsonBody(request));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ChatApiError(issue?.message ?? "Invalid request.", 400, issue?.path.join(".") || undefined);
}

/** The `text` of a `{ text }` body, validated by the conversations module's own rules. */
export async function readMessageText(request: Request): Promise<string> {
  const body = await readJsonBody(request);
  return parseMessageText(body && typeof body === "object" ? (body as { text?: unknown }).text : undefined);
}

export const StartBody = z.object({
  token: z.string({ error: "token must be text" }).max(200, "token is too long").optional(),
  locale: z
    .string({ error: "locale must be text" })
    .regex(/^[a-z]{2}(-[A-Za-z]{2,4})?$/, "locale must look like en or pt-BR")
    .optional(),
});

export const VerifyBody = z.object({
  orderNumber: z
    .string({ error: "orderNumber must be text" })
    .trim()
    .min(1, "Enter your order number.")
    .max(40, "That order number is too long.")
    .regex(/\d/, "An order number contains digits, like #1042."),
  email: z.string({ error: "email must be text" }).trim().max(254, "That email address is too long.").email("Enter the email address you used at checkout."),
});

/** The conversation the request's token opens, in this shop only. */
export async function conversationFor(request: Request, caller: ProxyCaller): Promise<Conversation> {
  const token = request.headers.get(CONVERSATION_HEADER) ?? "";
  if (!token) throw new ChatApiError(`The ${CONVERSATION_HEADER} header is missing.`, 401);
  const conversation = await findConversationByToken(prisma, caller.shopId, token);
  if (!conversation) throw new ChatApiError("This conversation doesn't exist or has expired. Start a new one.", 404);
  return conversation;
}

export async function openConversation(caller: ProxyCaller, body: z.infer<typeof StartBody>): Promise<ConversationSnapshot> {
  const profile = await loadAssistantProfile(prisma, caller.shopId);
  const existing = body.token ? await findConversationByToken(prisma, caller.shopId, body.token) : null;
  // A token from a shopper who later logged in keeps working; one that belongs to another customer does not.
  const usable = existing && existing.status !== "closed" && (!existing.customerId || existing.customerId === caller.customerId);
  const storefrontLanguage = baseLanguage(body.locale);
  let conversation = usable ? existing : null;
  let token = usable ? body.token! : "";
  if (!conversation) {
    await enforceRateLimit(`new:${caller.ip}`, RATE_LIMITS.ipNewConversations);
    // The assistant answers in the conversation's language until the shopper writes in another one.
    const language = storefrontLanguage ?? baseLanguage(profile.shop.primaryLocale) ?? "en";
    const created = await startConversation(prisma, { shopId: caller.shopId, customerId: caller.customerId, language });
    conversation = created.conversation;
    token = created.token;
  } else if (!conversation.customerId && caller.customerId) {
    conversation = await prisma.conversation.update({ where: { id: conversation.id }, data: { customerId: caller.customerId } });
  }
  const messages = await listPublicMessages(prisma, caller.shopId, conversation.id);
  if (storefrontLanguage && storefrontLanguage !== conversation.language && !messages.some((message) => message.author === "shopper")) {
    // The shopper switched the storefront's language before writing anything: follow it.
    conversation = await prisma.conversation.update({ where: { id: conversation.id }, data: { language: storefrontLanguage } });
  }
  // A merchant who limits the assistant's languages gets the greeting in one it will answer in.
  const shopperLanguage = storefrontLanguage ?? conversation.language;
  const allowed = profile.settings.replyLanguages;
  const welcome = welcomeFor({
    shopperLanguage: allowed.length > 0 && !allowed.includes(shopperLanguage) ? allowed[0]! : shopperLanguage,
    shopPrimaryLocale: profile.shop.primaryLocale,
    shopName: profile.shop.name,
    assistantName: profile.settings.assistantName,
    greeting: profile.settings.greeting,
    quickReplies: profile.settings.quickReplies,
    detectLanguage: greetingLanguage,
  });
  return {
    token,
    started: !usable,
    status: conversation.status,
    handledByHuman: conversation.handledByHuman,
    rated: conversation.csatScore !== null,
    assistant: { name: profile.settings.assistantName, greeting: welcome.greeting, ...(profile.settings.avatarUrl ? { avatarUrl: profile.settings.avatarUrl } : {}) },
    quickReplies: welcome.quickReplies,
    messages,
  };
}

/** Merchants' greetings change rarely: remember each one's detected language (a few hundred at most). */
const greetingLanguages = new Map<string, string | null>();

function greetingLanguage(text: string): string | null {
  let language = greetingLanguages.get(text);
  if (language === undefined) {
    const nlu = analyzeMessage(text);
    language = nlu.languageReliable ? nlu.language : null;
    if (greetingLanguages.size >= 500) greetingLanguages.clear();
    greetingLanguages.set(text, language);
  }
  return language;
}

const encoder = new TextEncoder();

function sseText(event: StreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

const sseFrame = (event: StreamEvent): Uint8Array => encoder.encode(sseText(event));

function toStreamEvent(event: ConversationEvent): StreamEvent | null {
  switch (event.type) {
    case "message":
      return { type: "message", message: event.message };
    case "delta":
    case "reset":
      return event;
    case "handoff":
      return { type: "handoff", status: "waiting_on_staff" };
    case "typing":
      return event;
  }
}

/** Sends the shopper's message and streams the reply as it is produced. */
export function streamReply(caller: ProxyCaller, conversation: Conversation, text: string, signal: AbortSignal): Response {
  if (conversation.status === "closed") throw new ChatApiError("This conversation is closed. Start a new one to keep chatting.", 409);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (event: StreamEvent) => {
        if (!open) return;
        try {
          controller.enqueue(sseFrame(event));
        } catch {
          open = false;
        }
      };
      signal.addEventListener("abort", () => {
        open = false;
      });
      send({ type: "typing", author: "assistant" });
      try {
        const result = await handleShopperMessage(
          prisma,
          { shopId: caller.shopId, conversationId: conversation.id, text },
          {
            onEvent: (event) => {
              const mapped = toStreamEvent(event);
              if (mapped) send(mapped);
            },
          },
        );
        send({ type: "done", message: result.reply, status: result.status });
      } catch (error) {
        // The shopper's message is stored; the reply failed. Tell the widget plainly, log without personal data.
        console.error(`[storefront] reply failed in ${conversation.id}: ${maskPii(String(error))}`);
        send({ type: "error", error: "Sorry, something went wrong on our side. Your message was received; our team will follow up." });
      } finally {
        open = false;
        controller.close();
      }
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}

/**
 * Live updates for an open widget: staff replies, messages from the shopper's other tabs, handoffs and staff
 * typing, from whichever app instance wrote them (~/lib/live: NOTIFY on a real server, a short poll of the
 * event table on the embedded one). The stream ends after 5 minutes; the widget reconnects and catches up
 * from its last message id.
 */
export function streamEvents(caller: ProxyCaller, conversation: Conversation, afterId: string | null, signal: AbortSignal): Response {
  return sseResponse(signal, async (sink) => {
    const seen = new Set<string>();
    // Without a known last message, "new" means from now on: the anchor is read BEFORE subscribing, and the
    // catch-up after subscribing delivers anything written in between (read after, it could skip a message
    // whose notification arrived late).
    const anchor = afterId
      ? afterId
      : ((await prisma.message.findFirst({ where: { shopId: caller.shopId, conversationId: conversation.id, visibility: "public" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } }))?.id ?? null);
    let lastId = anchor;
    const deliver = (message: PublicMessage) => {
      if (seen.has(message.id)) return;
      seen.add(message.id);
      lastId = message.id;
      sink.send(sseText({ type: "message", message }));
    };
    // One catch-up at a time, in order: events arriving meanwhile queue behind it.
    let catchingUp: Promise<void> = Promise.resolve();
    const catchUp = () => {
      catchingUp = catchingUp.then(async () => {
        if (sink.closed) return;
        try {
          for (const message of await listPublicMessagesAfter(prisma, caller.shopId, conversation.id, lastId)) deliver(message);
        } catch (error) {
          console.warn(`[storefront] live catch-up failed: ${maskPii(String(error))}`);
        }
      });
      return catchingUp;
    };
    sink.onClose(
      subscribeLive({ shopId: caller.shopId, conversationId: conversation.id }, ({ event }) => {
        if (event.type === "message.created" && event.visibility === "public") void catchUp();
        else if (event.type === "handoff") sink.send(sseText({ type: "handoff", status: "waiting_on_staff" }));
        else if (event.type === "typing" && event.author === "staff") sink.send(sseText({ type: "typing", author: "staff" }));
      }),
    );
    await liveReady();
    sink.send(": connected\n\n");
    await catchUp();
  });
}

/**
 * Runs a chat endpoint: verifies the app-proxy signature (Shopify's library: HMAC and timestamp), applies the
 * per-IP limit, and turns ChatApiError and the conversations module's ConversationError into JSON responses.
 */
export async function chatEndpoint(
  { request, context }: { request: Request; context?: RequestContext },
  verifySignature: (request: Request) => Promise<unknown>,
  handler: (caller: ProxyCaller) => Promise<Response>,
) {
  try {
    await verifySignature(request);
  } catch (error) {
    if (error instanceof Response) return Response.json({ error: "The request signature is missing, invalid or expired." }, { status: error.status || 400 });
    throw error;
  }
  try {
    const caller = await proxyCaller(request, context);
    await enforceRateLimit(`ip:${caller.ip}`, RATE_LIMITS.ip);
    return await handler(caller);
  } catch (error) {
    if (error instanceof ChatApiError) return errorResponse(error);
    if (error instanceof ConversationError) return errorResponse(new ChatApiError(error.message, error.status, error.field));
    throw error;
  }
}
