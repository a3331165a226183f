import type { PrismaClient } from "@prisma/client";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { hashConversationToken } from "~/modules/conversations";
import { appProxyQuery } from "~/modules/demo";
import { CONVERSATION_HEADER, type ChatMessage, type ConversationSnapshot, type StreamEvent } from "~/modules/storefront";
import { action as startAction } from "~/routes/proxy.conversations";
import { action as messageAction } from "~/routes/proxy.messages";
import { action as verifyAction } from "~/routes/proxy.verify";
import type { ShopFacts } from "./fixtures/facts";
import { ASKS, amountPattern, checkLanguage, datePattern, INTERNAL_TEXT, LEXICON, moneyAmounts, RAW_DATE } from "./lexicon";
import type { ActionKind, ConversationCase, Locale, Pattern, Turn, TurnExpectation } from "./types";

/**
 * Drives each case through the storefront chat API — the door shoppers use: requests signed as Shopify's app
 * proxy signs them, a conversation started with the shopper's locale, replies read from the SSE stream — and
 * checks every expectation against the reply and the database. A case passes when every check of every turn holds.
 */

const APP_URL = "http://localhost:3000";
type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
const call = (handler: unknown, request: Request) => (handler as Handler)({ request, params: {}, context: {} });

/** Tools that look up or act on an order: running any of them is an order flow. */
const ORDER_TOOLS = new Set(["lookup_order", "track_shipment", "refund_status", "request_return", "cancel_order", "change_shipping_address"]);

export interface ShopContext {
  facts: ShopFacts;
  /** Names a reply may quote as written in any language (products, shop, carriers, article titles). */
  properNames: string[];
}

export interface CheckResult {
  turn: number;
  label: string;
  ok: boolean;
  detail?: string;
}

export interface TurnRecord {
  say: string;
  reply: string | null;
}

export interface CaseResult {
  id: string;
  shop: string;
  split: string;
  locale: Locale;
  category: string;
  about: string;
  passed: boolean;
  checks: CheckResult[];
  transcript: TurnRecord[];
  error?: string;
}

// ---------------------------------------------------------------- Placeholders

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function orderField(ctx: ShopContext, path: string): { kind: "text"; value: string } | { kind: "amount"; value: number } | { kind: "date"; value: Date } {
  const [scope, role, field] = path.split(".");
  if (scope !== "o" || !role || !field) throw new Error(`unknown placeholder {{${path}}}`);
  const order = ctx.facts.orders[role];
  if (!order) throw new Error(`no order for role "${role}" in ${ctx.facts.domain}`);
  const item = field.match(/^item(\d)$/);
  if (item) {
    const title = order.items[Number(item[1])];
    if (!title) throw new Error(`order ${order.name} (${role}) has no ${field}`);
    return { kind: "text", value: title };
  }
  switch (field) {
    case "name":
      return { kind: "text", value: order.name };
    case "number":
      return { kind: "text", value: String(order.number) };
    case "email":
      return { kind: "text", value: order.email };
    case "carrier":
    case "tracking": {
      const value = order[field];
      if (!value) throw new Error(`order ${order.name} (${role}) has no ${field}`);
      return { kind: "text", value };
    }
    case "eta":
      if (!order.eta) throw new Error(`order ${order.name} (${role}) has no expected delivery date`);
      return { kind: "date", value: order.eta };
    default: {
      const amount = order.amounts[field];
      if (amount === undefined) throw new Error(`order ${order.name} (${role}) has no amount "${field}"`);
      return { kind: "amount", value: amount };
    }
  }
}

/** A template with its placeholders filled as plain text (what the shopper types). */
export function fillText(template: string, ctx: ShopContext): string {
  return template.replace(/\{\{([^}]+)\}\}/g, (_, path: string) => {
    const field = orderField(ctx, path.trim());
    if (field.kind === "amount") return field.value.toFixed(2);
    if (field.kind === "date") return field.value.toISOString().slice(0, 10);
    return field.value;
  });
}

/** A pattern as a RegExp: lexicon entries, placeholders escaped (amounts and dates as patterns). */
export function toRegExp(pattern: Pattern, ctx: ShopContext, locale: Locale): RegExp {
  if (pattern instanceof RegExp) return pattern;
  if (pattern.startsWith("@")) {
    const entry = LEXICON[pattern.slice(1)];
    if (!entry) throw new Error(`unknown lexicon entry ${pattern}`);
    return entry[locale];
  }
  const source = pattern.replace(/\{\{([^}]+)\}\}/g, (_, path: string) => {
    const field = orderField(ctx, path.trim());
    if (field.kind === "amount") return amountPattern(field.value);
    if (field.kind === "date") return datePattern(field.value, locale, ctx.facts.timezone);
    return escapeRegExp(field.value);
  });
  return new RegExp(source, "iu");
}

function amountOf(placeholder: string, ctx: ShopContext): number {
  const match = placeholder.match(/^\{\{([^}]+)\}\}$/);
  const field = match ? orderField(ctx, match[1]!.trim()) : null;
  if (field?.kind !== "amount") throw new Error(`${placeholder} is not an amount placeholder`);
  return field.value;
}

const show = (pattern: RegExp) => {
  const text = String(pattern);
  return text.length > 70 ? `${text.slice(0, 67)}...` : text;
};

// ---------------------------------------------------------------- The storefront API

let ipCounter = 0;

class StorefrontSession {
  token = "";
  private readonly ip: string;
  constructor(
    private readonly domain: string,
    private readonly customerExternalId: string | null,
  ) {
    // One address per conversation, from a documentation range: the per-IP limits are for people, not this suite.
    ipCounter++;
    this.ip = `198.18.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
  }

  private request(path: string, body: unknown) {
    const query = appProxyQuery({ search: new URLSearchParams(), shopDomain: this.domain, apiSecret: DEV_SHOPIFY_API_SECRET, loggedInCustomerId: this.customerExternalId });
    const headers = new Headers({ "x-forwarded-for": this.ip, "content-type": "application/json" });
    if (this.token) headers.set(CONVERSATION_HEADER, this.token);
    return new Request(`${APP_URL}/proxy/${path}?${query.toString()}`, { method: "POST", headers, body: JSON.stringify(body) });
  }

  async start(locale: Locale): Promise<ConversationSnapshot> {
    const response = await call(startAction, this.request("conversations", { locale }));
    if (response.status !== 200) throw new Error(`starting a conversation failed: ${response.status} ${await response.text()}`);
    const snapshot = (await response.json()) as ConversationSnapshot;
    this.token = snapshot.token;
    return snapshot;
  }

  async say(text: string): Promise<{ reply: ChatMessage | null; handoffEvent: boolean; error?: string }> {
    const response = await call(messageAction, this.request("messages", { text }));
    if (response.status !== 200) return { reply: null, handoffEvent: false, error: `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}` };
    const events = (await response.text())
      .split("\n\n")
      .filter((frame) => frame.startsWith("event:"))
      .map((frame) => JSON.parse(frame.split("\n").find((line) => line.startsWith("data: "))!.slice(6)) as StreamEvent);
    const done = events.find((event): event is Extract<StreamEvent, { type: "done" }> => event.type === "done");
    const failed = events.find((event): event is Extract<StreamEvent, { type: "error" }> => event.type === "error");
    return { reply: done?.message ?? null, handoffEvent: events.some((event) => event.type === "handoff"), error: failed?.error };
  }

  async verify(orderNumber: string, email: string): Promise<{ reply: ChatMessage | null; handoffEvent: boolean; error?: string }> {
    const response = await call(verifyAction, this.request("verify", { orderNumber, email }));
    const body = (await response.json()) as { verified?: boolean; message?: ChatMessage; error?: string };
    if (body.message) return { reply: body.message, handoffEvent: false };
    // A refusal is what the shopper reads in the form: check it like a reply.
    return { reply: body.error ? ({ id: "", author: "assistant", body: body.error, createdAt: "" } as ChatMessage) : null, handoffEvent: false };
  }
}

// ---------------------------------------------------------------- Database state after a turn

async function actionRows(db: PrismaClient, shopId: string, conversationId: string) {
  const [orderActions, returnRequests, log] = await Promise.all([
    db.orderAction.findMany({ where: { shopId, conversationId }, include: { order: { select: { total: true, name: true } } }, orderBy: { requestedAt: "asc" } }),
    db.returnRequest.findMany({ where: { shopId, conversationId }, include: { order: { select: { total: true, name: true } } }, orderBy: { createdAt: "asc" } }),
    db.actionLog.findMany({ where: { shopId, conversationId, action: { endsWith: "requested" } }, select: { action: true } }),
  ]);
  const kinds = new Set<ActionKind>();
  for (const action of orderActions) {
    if (action.kind === "return" || action.kind === "refund") kinds.add("return");
    if (action.kind === "cancel") kinds.add("cancel");
    if (action.kind === "update_address") kinds.add("address");
  }
  if (returnRequests.length) kinds.add("return");
  for (const entry of log) {
    if (/^(return|refund)\./.test(entry.action)) kinds.add("return");
    if (/cancel/.test(entry.action)) kinds.add("cancel");
    if (/address/.test(entry.action)) kinds.add("address");
  }
  const amounts = [
    ...returnRequests.map((request) => ({ amount: Number(request.amount), paid: Number(request.order.total), order: request.order.name })),
    ...orderActions
      .filter((action) => action.kind === "return" || action.kind === "refund")
      .map((action) => ({ amount: Number((action.input as { amount?: unknown }).amount ?? Number.NaN), paid: Number(action.order.total), order: action.order.name }))
      .filter((entry) => Number.isFinite(entry.amount)),
  ];
  return { kinds, amounts };
}

// ---------------------------------------------------------------- Checks

interface TurnState {
  reply: ChatMessage | null;
  handoffEvent: boolean;
  newlyEscalated: boolean;
  toolNames: string[];
  storedShopperBody: string | null;
  subject: string | null;
  actions: Awaited<ReturnType<typeof actionRows>>;
}

function evaluate(expect: TurnExpectation, state: TurnState, kase: ConversationCase, ctx: ShopContext, turn: number): CheckResult[] {
  const results: CheckResult[] = [];
  const add = (label: string, ok: boolean, detail?: string) => results.push({ turn, label, ok, ...(ok || !detail ? {} : { detail }) });
  const body = state.reply?.body ?? "";
  const re = (pattern: Pattern) => toRegExp(pattern, ctx, kase.locale);

  if (!state.reply) {
    add("a reply", false, "no reply");
    return results;
  }
  for (const pattern of expect.mentions ?? []) {
    const regex = re(pattern);
    add(`mentions ${typeof pattern === "string" && pattern.startsWith("@") ? pattern : show(regex)}`, regex.test(body));
  }
  for (const pattern of expect.mustNotMention ?? []) {
    const regex = re(pattern);
    const found = body.match(regex)?.[0];
    add(`mustNotMention ${typeof pattern === "string" && pattern.startsWith("@") ? pattern : show(regex)}`, !found, found ? `found "${found}"` : undefined);
  }
  for (const ask of expect.asksFor ?? []) {
    // The verification form asks for the order number and the e-mail.
    const asked = ASKS[ask][kase.locale].test(body) || ((ask === "email" || ask === "orderNumber") && state.reply.needsVerification === true);
    add(`asksFor ${ask}`, asked);
  }
  for (const ask of expect.notAsksFor ?? []) {
    const found = body.match(ASKS[ask][kase.locale])?.[0];
    const form = (ask === "email" || ask === "orderNumber") && state.reply.needsVerification === true;
    add(`notAsksFor ${ask}`, !found && !form, found ? `asked: "${found}"` : form ? "showed the verification form" : undefined);
  }
  if (expect.handoff !== undefined) {
    const handedOff = state.handoffEvent || state.reply.handoff === true || state.newlyEscalated;
    add(`handoff=${expect.handoff}`, handedOff === expect.handoff, handedOff ? "handed off" : "no handoff");
  }
  if (expect.requested !== undefined) {
    const kinds = [...state.actions.kinds];
    const ok = expect.requested === false ? kinds.length === 0 : expect.requested === true ? kinds.length > 0 : state.actions.kinds.has(expect.requested);
    add(`requested=${expect.requested}`, ok, kinds.length ? `requested: ${kinds.join(", ")}` : "nothing requested");
  }
  if (expect.requestedAmount) {
    const expected = amountOf(expect.requestedAmount, ctx);
    const last = state.actions.amounts.at(-1);
    add(`requested amount ${expected.toFixed(2)}`, last !== undefined && Math.abs(last.amount - expected) < 0.005, last ? `requested ${last.amount.toFixed(2)}` : "no amount requested");
  }
  if (expect.orderFlow === false) {
    const tools = state.toolNames.filter((name) => ORDER_TOOLS.has(name));
    const askedNumber = body.match(ASKS.orderNumber[kase.locale])?.[0];
    const problems = [
      ...(tools.length ? [`ran ${tools.join(", ")}`] : []),
      ...(state.reply.needsVerification ? ["showed the verification form"] : []),
      ...(state.reply.orderCard ? [`showed order card ${state.reply.orderCard.name}`] : []),
      ...(askedNumber ? [`asked "${askedNumber}"`] : []),
    ];
    add("no order flow", problems.length === 0, problems.join("; "));
  }
  if (expect.amountsAtMost) {
    const limit = amountOf(expect.amountsAtMost, ctx);
    const over = moneyAmounts(body).filter((amount) => amount > limit + 0.005);
    add(`amounts ≤ ${limit.toFixed(2)}`, over.length === 0, over.length ? `states ${over.join(", ")}` : undefined);
  }
  if (expect.maskedCard) {
    const digits = expect.maskedCard.replace(/\D/g, "");
    const contains = (text: string | null) => (text ?? "").replace(/[\s-]/g, "").includes(digits);
    add("card masked in stored message", !contains(state.storedShopperBody), "stored in clear");
    add("card masked in subject", !contains(state.subject), "subject has it");
    add("card not in reply", !contains(body) && !body.includes(digits.slice(0, 8)), "reply repeats it");
    const cardAsOrder = [...body.matchAll(/#\s?(\d{4,})/g)].some((match) => digits.includes(match[1]!));
    const orderTools = state.toolNames.filter((name) => ORDER_TOOLS.has(name));
    add("card not read as order number", !cardAsOrder && orderTools.length === 0, cardAsOrder ? "quoted as an order number" : `ran ${orderTools.join(", ")}`);
  }
  for (const pattern of expect.storedMustNotMention ?? []) {
    const regex = re(pattern);
    const found = (state.storedShopperBody ?? "").match(regex)?.[0];
    add(`stored message hides ${show(regex)}`, !found, found ? `stored "${found}"` : undefined);
  }

  // Checked on every reply.
  const internal = body.match(INTERNAL_TEXT)?.[0];
  add("no internal rule text", !internal, internal ? `"${internal}"` : undefined);
  const rawDate = body.match(RAW_DATE)?.[0];
  add("no raw ISO date", !rawDate, rawDate ? `"${rawDate}"` : undefined);
  const over = state.actions.amounts.filter((entry) => entry.amount > entry.paid + 0.005);
  add("requested amounts ≤ paid", over.length === 0, over.map((entry) => `${entry.amount.toFixed(2)} on ${entry.order} (paid ${entry.paid.toFixed(2)})`).join("; "));
  if (kase.locale !== "en" && expect.language !== false) {
    for (const finding of checkLanguage(body, kase.locale, ctx.properNames)) add(finding.check, finding.ok, finding.detail);
  }
  return results;
}

// ---------------------------------------------------------------- Running a case

export async function runCase(db: PrismaClient, kase: ConversationCase, ctx: ShopContext): Promise<CaseResult> {
  const result: CaseResult = { id: kase.id, shop: kase.shop, split: kase.split, locale: kase.locale, category: kase.category, about: kase.about, passed: false, checks: [], transcript: [] };
  const customer = kase.customer ? ctx.facts.orders[kase.customer]?.customerExternalId : null;
  if (kase.customer && !customer) throw new Error(`${kase.id}: no order for customer role "${kase.customer}"`);
  const session = new StorefrontSession(ctx.facts.domain, customer ?? null);
  await session.start(kase.locale);
  const conversation = await db.conversation.findUniqueOrThrow({ where: { tokenHash: hashConversationToken(session.token) } });

  for (const [index, turn] of kase.turns.entries()) {
    const before = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id }, select: { escalatedAt: true } });
    const { said, outcome } = await send(session, turn, ctx);
    const after = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id }, select: { escalatedAt: true, subject: true } });
    const shopperMessage = turn.say ? await db.message.findFirst({ where: { conversationId: conversation.id, author: "shopper" }, orderBy: { createdAt: "desc" }, select: { body: true } }) : null;
    const stored = outcome.reply?.id ? await db.message.findUnique({ where: { id: outcome.reply.id }, select: { metadata: true } }) : null;
    const toolCalls = ((stored?.metadata ?? {}) as { toolCalls?: { name?: string }[] }).toolCalls ?? [];
    const state: TurnState = {
      reply: outcome.reply,
      handoffEvent: outcome.handoffEvent,
      newlyEscalated: before.escalatedAt === null && after.escalatedAt !== null,
      toolNames: toolCalls.map((call) => call.name ?? ""),
      storedShopperBody: shopperMessage?.body ?? null,
      subject: after.subject,
      actions: await actionRows(db, ctx.facts.shopId, conversation.id),
    };
    result.transcript.push({ say: said, reply: outcome.reply?.body ?? (outcome.error ? `[error] ${outcome.error}` : null) });
    result.checks.push(...evaluate(turn.expect, state, kase, ctx, index + 1));
  }
  result.passed = result.checks.every((check) => check.ok);
  return result;
}

async function send(session: StorefrontSession, turn: Turn, ctx: ShopContext) {
  if (turn.verify) {
    const orderNumber = fillText(turn.verify.orderNumber, ctx);
    const email = fillText(turn.verify.email, ctx);
    return { said: `[verification form: ${orderNumber}, ${email}]`, outcome: await session.verify(orderNumber, email) };
  }
  if (!turn.say) throw new Error("a turn needs `say` or `verify`");
  const said = fillText(turn.say, ctx);
  return { said, outcome: await session.say(said) };
}
