import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET } from "~/env.server";
import { stopLive } from "~/lib/live/live-events.server";
import { createOpenAIChatModel } from "~/modules/assistant/llm/openai.server";
import { handleShopperMessage, listPublicMessages, listPublicMessagesAfter, startConversation } from "~/modules/conversations";
import { appProxyQuery } from "~/modules/demo";
import {
  addInternalNote,
  assignConversation,
  bulkUpdate,
  deleteMacro,
  draftReply,
  handBack,
  heartbeatPresence,
  InboxError,
  leaveConversation,
  listMacros,
  markRead,
  mergeConversations,
  reopenConversation,
  renderMacro,
  resolveConversation,
  saveMacro,
  sendStaffReply,
  setPriority,
  snoozeConversation,
  staffOrderAction,
  takeOver,
  updateTags,
} from "~/modules/inbox";
import { NOTIFY_MENTION_JOB, STAFF_REPLY_EMAIL_JOB } from "~/modules/notifications";
import { startWaiting } from "~/modules/routing";
import { CONVERSATION_HEADER, type ConversationSnapshot } from "~/modules/storefront";
import { action as startAction } from "~/routes/proxy.conversations";
import { loader as eventsLoader } from "~/routes/proxy.events";
import { loader as messagesLoader } from "~/routes/proxy.messages";
import { type AssistantFixture, createAssistantFixture, deleteAssistantFixture } from "../support/assistant-fixtures";
import { type OpenAIChatServer, startOpenAIChatServer } from "../support/openai-chat-server";

/**
 * The inbox's commands on the real database: what staff write and change, attributed to them in the action
 * log and announced on the live bus, scoped to their shop. The shopper's side is read through the storefront
 * API (route handlers with app-proxy signatures), so "notes never reach the shopper" is checked where it matters.
 */

type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
const call = (handler: unknown, request: Request) => (handler as Handler)({ request, params: {}, context: {} });

/** The InboxError a command rejected with. */
async function refusal(promise: Promise<unknown>): Promise<InboxError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InboxError);
  return error as InboxError;
}

describe("inbox commands", () => {
  let fx: AssistantFixture;
  let other: AssistantFixture;
  let sam: string;
  let kim: string;
  let alex: string;
  let retired: string;
  let ipCounter = 0;

  beforeAll(async () => {
    fx = await createAssistantFixture();
    other = await createAssistantFixture();
    sam = fx.staffId;
    kim = (await prisma.staffMember.create({ data: { shopId: fx.shopId, email: "kim@alderpine.example", name: "Kim Lee", role: "admin" } })).id;
    alex = (await prisma.staffMember.create({ data: { shopId: fx.shopId, email: "alex@alderpine.example", name: "Alex Moreno", role: "agent" } })).id;
    retired = (await prisma.staffMember.create({ data: { shopId: fx.shopId, email: "old@alderpine.example", name: "Olga Retired", role: "agent", active: false } })).id;
  });
  afterAll(async () => {
    await stopLive();
    await deleteAssistantFixture(fx);
    await deleteAssistantFixture(other);
  });

  const scope = (conversationId: string, staffId = sam) => ({ shopId: fx.shopId, staffId, conversationId });

  /** A conversation with the shopper's first message (answered by the offline assistant). */
  async function conversation(options: { customerId?: string | null; text?: string; shopId?: string } = {}) {
    const shopId = options.shopId ?? fx.shopId;
    const { conversation: created, token } = await startConversation(prisma, { shopId, customerId: options.customerId === undefined ? fx.alice.id : options.customerId });
    if (options.text !== null) await handleShopperMessage(prisma, { shopId, conversationId: created.id, text: options.text ?? "Hi, I have a question about my order" });
    return { id: created.id, token };
  }
  const latestMessageId = async (conversationId: string) => (await prisma.message.findFirstOrThrow({ where: { conversationId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).id;
  const actionsOf = async (conversationId: string) => (await prisma.actionLog.findMany({ where: { conversationId }, orderBy: { createdAt: "asc" } })).map((entry) => ({ action: entry.action, actor: entry.actor }));
  const liveOf = async (conversationId: string) => (await prisma.liveEvent.findMany({ where: { conversationId }, orderBy: { id: "asc" } })).map((event) => event.payload as Record<string, unknown>);

  /** A storefront request as Shopify's app proxy forwards it. */
  function signed(path: string, options: { token: string; body?: unknown; search?: Record<string, string>; signal?: AbortSignal }) {
    const query = appProxyQuery({ search: new URLSearchParams(options.search ?? {}), shopDomain: fx.domain, apiSecret: DEV_SHOPIFY_API_SECRET, loggedInCustomerId: null });
    const headers = new Headers({ "x-forwarded-for": `198.51.100.${++ipCounter % 250}`, [CONVERSATION_HEADER]: options.token });
    if (options.body !== undefined) headers.set("content-type", "application/json");
    return new Request(`http://localhost:3000/proxy/${path}?${query.toString()}`, {
      method: options.body !== undefined ? "POST" : "GET",
      headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  }

  describe("staff replies", () => {
    it("are public, take the conversation from the assistant, wait on the shopper, stop the SLA clock and queue the e-mail; logged and published", async () => {
      const c = await conversation();
      const waitingSince = new Date(Date.now() - 10 * 60_000);
      await prisma.conversation.update({ where: { id: c.id }, data: { status: "waiting_on_staff", waitingSince, slaDueAt: new Date(Date.now() + 60_000), slaKind: "first_response" } });
      const { message, duplicate } = await sendStaffReply(prisma, { ...scope(c.id), body: "  Hi Alice, Sam here.\r\nLooking into it now.  ", lastSeenMessageId: await latestMessageId(c.id) });
      expect(duplicate).toBe(false);
      expect(message).toMatchObject({ author: "staff", visibility: "public", body: "Hi Alice, Sam here.\nLooking into it now.", staffId: sam, staffName: "Sam Rivera" });

      const after = await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } });
      expect(after).toMatchObject({ handledByHuman: true, assigneeId: sam, status: "waiting_on_shopper", waitingSince: null, slaDueAt: null, slaKind: null, lastMessageAuthor: "staff" });
      expect(after.firstResponseAt).not.toBeNull();
      expect(after.lastMessagePreview).toBe("Hi Alice, Sam here. Looking into it now.");
      expect(await prisma.job.count({ where: { shopId: fx.shopId, name: STAFF_REPLY_EMAIL_JOB, payload: { equals: { messageId: message.id } } } })).toBe(1);
      expect(await actionsOf(c.id)).toContainEqual({ action: "message.staff_reply", actor: `staff:${sam}` });
      const live = await liveOf(c.id);
      expect(live).toContainEqual({ type: "message.created", conversationId: c.id, messageId: message.id, author: "staff", visibility: "public" });
      expect(live).toContainEqual(expect.objectContaining({ type: "conversation.updated", fields: expect.arrayContaining(["status", "handledByHuman", "assigneeId"]) }));
      // The shopper's widget shows it, with the agent's first name.
      expect((await listPublicMessages(prisma, fx.shopId, c.id)).at(-1)).toMatchObject({ id: message.id, author: "staff", authorName: "Sam" });
      // The assistant stays quiet from now on.
      expect((await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: c.id, text: "Thanks Sam" })).reply).toBeNull();
    });

    it("are refused with 409 new_messages when the shopper wrote since the draft started, then sent with force", async () => {
      const c = await conversation();
      const seen = await latestMessageId(c.id);
      await takeOver(prisma, scope(c.id));
      await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: c.id, text: "Actually it's order #1003" });
      const before = await prisma.message.count({ where: { conversationId: c.id } });

      const error = await refusal(sendStaffReply(prisma, { ...scope(c.id), body: "Which order is it?", lastSeenMessageId: seen }));
      expect(error).toMatchObject({ status: 409, code: "new_messages", field: "lastSeenMessageId" });
      expect((error.details as { messages: { body: string; author: string }[] }).messages).toEqual([expect.objectContaining({ author: "shopper", body: "Actually it's order #1003" })]);
      expect(await prisma.message.count({ where: { conversationId: c.id } })).toBe(before);

      const shopperMessage = await latestMessageId(c.id);
      const forced = await sendStaffReply(prisma, { ...scope(c.id), body: "Which order is it?", lastSeenMessageId: seen, force: true });
      expect(forced.message.body).toBe("Which order is it?");
      // The agent's own reply is not news to them; to a colleague it is.
      await sendStaffReply(prisma, { ...scope(c.id), body: "Found it, one moment.", lastSeenMessageId: shopperMessage });
      const fromKim = await refusal(sendStaffReply(prisma, { ...scope(c.id, kim), body: "I'll take this one.", lastSeenMessageId: shopperMessage }));
      expect((fromKim.details as { messages: { staffName: string; body: string }[] }).messages).toEqual([
        expect.objectContaining({ staffName: "Sam Rivera", body: "Which order is it?" }),
        expect.objectContaining({ staffName: "Sam Rivera", body: "Found it, one moment." }),
      ]);
      // A message id from another conversation is no baseline.
      const elsewhere = await conversation();
      expect(await refusal(sendStaffReply(prisma, { ...scope(c.id), body: "x", lastSeenMessageId: await latestMessageId(elsewhere.id) }))).toMatchObject({ status: 400, field: "lastSeenMessageId" });
    });

    it("send once for one idempotency key, even on a double click", async () => {
      const c = await conversation();
      const seen = await latestMessageId(c.id);
      const send = () => sendStaffReply(prisma, { ...scope(c.id), body: "On it!", lastSeenMessageId: seen, idempotencyKey: "click-7f3a" });
      const [first, second] = await Promise.all([send(), send()]);
      expect(first.message.id).toBe(second.message.id);
      expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
      expect((await send()).duplicate).toBe(true);
      expect(await prisma.message.count({ where: { conversationId: c.id, author: "staff" } })).toBe(1);
      expect((await actionsOf(c.id)).filter((entry) => entry.action === "message.staff_reply")).toHaveLength(1);
    });

    it("validate the text: empty is 400, too long is 413", async () => {
      const c = await conversation();
      expect(await refusal(sendStaffReply(prisma, { ...scope(c.id), body: "   ", lastSeenMessageId: null }))).toMatchObject({ status: 400, field: "body" });
      expect(await refusal(sendStaffReply(prisma, { ...scope(c.id), body: "x".repeat(5001), lastSeenMessageId: null }))).toMatchObject({ status: 413, field: "body" });
      expect(await refusal(addInternalNote(prisma, { ...scope(c.id), body: "" }))).toMatchObject({ status: 400, field: "body" });
    });
  });

  describe("internal notes", () => {
    it("never reach the shopper: not in the storefront API's messages, snapshot or live stream; @mentions notify colleagues", async () => {
      const c = await conversation({ customerId: null, text: "Where is my parcel?" });
      const controller = new AbortController();
      const stream = await call(eventsLoader, signed("events", { token: c.token, signal: controller.signal }));
      const reader = stream.body!.getReader();

      const { message: note, mentions } = await addInternalNote(prisma, { ...scope(c.id), body: "@Kim can you approve a refund? cc @alex moreno and sam@example.com, @Olga" });
      expect(note).toMatchObject({ visibility: "internal", author: "staff", staffId: sam });
      expect(new Set(mentions)).toEqual(new Set([kim, alex]));
      expect(note.metadata).toMatchObject({ mentions: expect.arrayContaining([kim, alex]) });
      const mentionJobs = await prisma.job.findMany({ where: { shopId: fx.shopId, name: NOTIFY_MENTION_JOB, payload: { path: ["messageId"], equals: note.id } } });
      expect(mentionJobs.map((job) => (job.payload as { staffId: string }).staffId).sort()).toEqual([kim, alex].sort());
      expect(await actionsOf(c.id)).toContainEqual({ action: "note.added", actor: `staff:${sam}` });
      expect(await liveOf(c.id)).toContainEqual({ type: "message.created", conversationId: c.id, messageId: note.id, author: "staff", visibility: "internal" });
      const { message: reply } = await sendStaffReply(prisma, { ...scope(c.id), body: "Hi! Checking your parcel now.", lastSeenMessageId: note.id });

      // The live stream brings the reply and never the note.
      const decoder = new TextDecoder();
      let received = "";
      while (!received.includes("Checking your parcel")) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value);
      }
      controller.abort();
      await reader.cancel().catch(() => {});
      expect(received).toContain(reply.id);
      expect(received).not.toContain("approve a refund");
      expect(received).not.toContain(note.id);

      const fetched = (await (await call(messagesLoader, signed("messages", { token: c.token }))).json()) as { messages: { id: string; body: string }[] };
      expect(fetched.messages.map((message) => message.id)).toContain(reply.id);
      expect(fetched.messages.map((message) => message.id)).not.toContain(note.id);
      const snapshot = (await (await call(startAction, signed("conversations", { token: c.token, body: { token: c.token, locale: "en" } }))).json()) as ConversationSnapshot;
      expect(snapshot.messages.map((message) => message.id)).toContain(reply.id);
      expect(JSON.stringify(snapshot)).not.toContain("approve a refund");
      expect((await listPublicMessages(prisma, fx.shopId, c.id)).some((message) => message.id === note.id)).toBe(false);
      expect((await listPublicMessagesAfter(prisma, fx.shopId, c.id, null)).some((message) => message.id === note.id)).toBe(false);
      // Nor does a note become the list preview.
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).lastMessagePreview).toBe("Hi! Checking your parcel now.");
    });
  });

  describe("conversation state", () => {
    it("assign, priority, tags, snooze, resolve, reopen, take over and hand back: each logged and published; a repeat writes nothing", async () => {
      const c = await conversation();
      expect(await assignConversation(prisma, { ...scope(c.id), assigneeId: alex })).toEqual({ conversationId: c.id, changed: true });
      expect(await assignConversation(prisma, { ...scope(c.id), assigneeId: alex })).toEqual({ conversationId: c.id, changed: false });
      await setPriority(prisma, { ...scope(c.id), priority: "urgent" });
      await updateTags(prisma, { ...scope(c.id), add: ["  VIP ", "Damaged   Item", "vip"] });
      await updateTags(prisma, { ...scope(c.id), add: ["refund"], remove: ["damaged item"] });
      const until = new Date(Date.now() + 3 * 3_600_000);
      await snoozeConversation(prisma, { ...scope(c.id), until: until.toISOString() });
      let row = await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } });
      expect(row).toMatchObject({ assigneeId: alex, priority: "urgent", tags: ["vip", "refund"], snoozedUntil: until });

      // A new shopper message wakes a snoozed conversation.
      await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: c.id, text: "Hello? Anyone there?" });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).snoozedUntil).toBeNull();

      await takeOver(prisma, scope(c.id, kim));
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ handledByHuman: true, assigneeId: kim });
      await resolveConversation(prisma, scope(c.id, kim));
      row = await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } });
      expect(row).toMatchObject({ status: "resolved", slaDueAt: null, waitingSince: null });
      expect(row.resolvedAt).not.toBeNull();
      expect((await resolveConversation(prisma, scope(c.id))).changed).toBe(false);
      expect(await refusal(snoozeConversation(prisma, { ...scope(c.id), until }))).toMatchObject({ status: 409 });
      await reopenConversation(prisma, scope(c.id));
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ status: "open", resolvedAt: null });
      await handBack(prisma, scope(c.id));
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ handledByHuman: false, status: "open", escalatedAt: null });
      // The assistant answers again.
      expect((await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: c.id, text: "How much is standard shipping?" })).reply?.body).toContain("$6.95");

      const staffActions = (await actionsOf(c.id)).filter((entry) => entry.actor.startsWith("staff:"));
      expect(staffActions.map((entry) => entry.action)).toEqual([
        "conversation.assigned",
        "conversation.priority_changed",
        "conversation.tagged",
        "conversation.tagged",
        "conversation.snoozed",
        "conversation.taken_over",
        "conversation.resolved",
        "conversation.reopened",
        "conversation.handed_back",
      ]);
      expect(staffActions.filter((entry) => entry.actor === `staff:${kim}`)).toHaveLength(2);
      const tagged = await prisma.actionLog.findFirstOrThrow({ where: { conversationId: c.id, action: "conversation.tagged" }, orderBy: { createdAt: "desc" } });
      expect(tagged.input).toEqual({ added: ["refund"], removed: ["damaged item"] });
      const updates = (await liveOf(c.id)).filter((event) => event.type === "conversation.updated").map((event) => event.fields);
      for (const fields of [["assigneeId"], ["priority"], ["tags"], ["snoozedUntil"], ["handledByHuman", "assigneeId"], ["status", "resolvedAt", "snoozedUntil", "slaDueAt"], ["status", "resolvedAt"]]) {
        expect(updates).toContainEqual(fields);
      }
    });

    it("recomputes the SLA deadline of a waiting shopper when the priority changes, from when the wait began", async () => {
      const c = await conversation();
      const waitingSince = new Date(Date.now() - 5 * 60_000);
      await prisma.conversation.update({ where: { id: c.id }, data: { status: "waiting_on_staff", handledByHuman: true, waitingSince, slaDueAt: null } });
      await startWaiting(prisma, { shopId: fx.shopId, conversationId: c.id });
      const normal = await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } });
      expect(normal.slaDueAt).not.toBeNull();
      await setPriority(prisma, { ...scope(c.id), priority: "urgent" });
      const urgent = await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } });
      expect(urgent).toMatchObject({ priority: "urgent", waitingSince, slaKind: "first_response" });
      expect(urgent.slaDueAt!.getTime()).toBeLessThan(normal.slaDueAt!.getTime());
      // Not waiting: nothing to recompute.
      const idle = await conversation();
      await setPriority(prisma, { ...scope(idle.id), priority: "high" });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: idle.id } })).slaDueAt).toBeNull();
    });

    it("validates: unknown assignee, bad priority, tag limits, snooze in the past or too far ahead", async () => {
      const c = await conversation();
      expect(await refusal(assignConversation(prisma, { ...scope(c.id), assigneeId: other.staffId }))).toMatchObject({ status: 400, field: "assigneeId" });
      expect(await refusal(assignConversation(prisma, { ...scope(c.id), assigneeId: retired }))).toMatchObject({ status: 400, field: "assigneeId" });
      expect((await assignConversation(prisma, { ...scope(c.id), assigneeId: null })).changed).toBe(false);
      expect(await refusal(setPriority(prisma, { ...scope(c.id), priority: "critical" }))).toMatchObject({ status: 400, field: "priority" });
      expect(await refusal(updateTags(prisma, { ...scope(c.id), add: ["x".repeat(41)] }))).toMatchObject({ status: 400, field: "add.0" });
      expect(await refusal(updateTags(prisma, { ...scope(c.id), add: ["#hash"] }))).toMatchObject({ status: 400 });
      expect(await refusal(updateTags(prisma, { ...scope(c.id) }))).toMatchObject({ status: 400, field: "add" });
      await updateTags(prisma, { ...scope(c.id), add: Array.from({ length: 15 }, (_, index) => `tag-${index}`) });
      expect(await refusal(updateTags(prisma, { ...scope(c.id), add: Array.from({ length: 6 }, (_, index) => `more-${index}`) }))).toMatchObject({ status: 409, message: "A conversation can have at most 20 tags." });
      expect(await refusal(snoozeConversation(prisma, { ...scope(c.id), until: new Date(Date.now() - 1_000) }))).toMatchObject({ status: 400, field: "until" });
      expect(await refusal(snoozeConversation(prisma, { ...scope(c.id), until: new Date(Date.now() + 91 * 86_400_000) }))).toMatchObject({ status: 400, field: "until" });
      expect(await refusal(snoozeConversation(prisma, { ...scope(c.id), until: "tomorrow-ish" }))).toMatchObject({ status: 400, field: "until" });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).tags).toHaveLength(15);
    });

    it("answers 404 for another shop's conversation and 403 for an unknown or inactive staff member", async () => {
      const theirs = await conversation({ shopId: other.shopId, customerId: other.alice.id });
      const mine = await conversation();
      const spare = await conversation();
      const commands = [
        (s: ReturnType<typeof scope>) => sendStaffReply(prisma, { ...s, body: "hi", lastSeenMessageId: null }),
        (s: ReturnType<typeof scope>) => addInternalNote(prisma, { ...s, body: "note" }),
        (s: ReturnType<typeof scope>) => assignConversation(prisma, { ...s, assigneeId: null }),
        (s: ReturnType<typeof scope>) => setPriority(prisma, { ...s, priority: "high" }),
        (s: ReturnType<typeof scope>) => updateTags(prisma, { ...s, add: ["x"] }),
        (s: ReturnType<typeof scope>) => snoozeConversation(prisma, { ...s, until: new Date(Date.now() + 60_000) }),
        (s: ReturnType<typeof scope>) => resolveConversation(prisma, s),
        (s: ReturnType<typeof scope>) => reopenConversation(prisma, s),
        (s: ReturnType<typeof scope>) => takeOver(prisma, s),
        (s: ReturnType<typeof scope>) => handBack(prisma, s),
        (s: ReturnType<typeof scope>) => markRead(prisma, s),
        (s: ReturnType<typeof scope>) => heartbeatPresence(prisma, { ...s, typing: false }),
        (s: ReturnType<typeof scope>) => leaveConversation(prisma, s),
        (s: ReturnType<typeof scope>) => draftReply(prisma, s, { chatModel: null }),
        (s: ReturnType<typeof scope>) => renderMacro(prisma, { ...s, body: "Hi" }),
        (s: ReturnType<typeof scope>) => mergeConversations(prisma, { shopId: s.shopId, staffId: s.staffId, sourceId: s.conversationId, targetId: spare.id }),
        (s: ReturnType<typeof scope>) => bulkUpdate(prisma, { shopId: s.shopId, staffId: s.staffId, ids: [s.conversationId], action: "resolve" }),
      ];
      for (const command of commands) {
        expect((await refusal(command(scope(theirs.id)))).status).toBe(404);
        expect((await refusal(command(scope(mine.id, other.staffId)))).status).toBe(403);
        expect((await refusal(command(scope(mine.id, retired)))).status).toBe(403);
        expect((await refusal(command(scope(mine.id, "no-such-staff")))).status).toBe(403);
      }
      expect(await prisma.actionLog.count({ where: { conversationId: { in: [theirs.id, mine.id] }, actor: { startsWith: "staff:" } } })).toBe(0);
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ status: "waiting_on_shopper", handledByHuman: false, tags: [] });
    });
  });

  describe("merging", () => {
    async function messageAt(conversationId: string, author: "shopper" | "staff" | "assistant", body: string, minute: number) {
      return prisma.message.create({ data: { shopId: fx.shopId, conversationId, author, body, createdAt: new Date(Date.UTC(2026, 10, 20, 9, minute)), ...(author === "staff" ? { staffId: sam } : {}) } });
    }

    it("moves every message of the source into the target once, in the order they were written; the source closes", async () => {
      const { conversation: target } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
      const { conversation: source } = await startConversation(prisma, { shopId: fx.shopId, customerId: fx.alice.id });
      await prisma.conversation.update({ where: { id: target.id }, data: { tags: ["vip"], subject: null, createdAt: new Date(Date.UTC(2026, 10, 20, 9, 5)) } });
      await prisma.conversation.update({ where: { id: source.id }, data: { tags: ["refund", "vip"], subject: "Refund for my jacket", verifiedOrderIds: [fx.orders.largeDelivered], createdAt: new Date(Date.UTC(2026, 10, 20, 9, 0)), status: "waiting_on_staff" } });
      const written = [
        await messageAt(source.id, "shopper", "s1: I want a refund for my jacket", 0),
        await messageAt(source.id, "assistant", "s2: I can help with that", 1),
        await messageAt(target.id, "shopper", "t1: Hello again, different tab", 5),
        await messageAt(source.id, "shopper", "s3: It has a tear", 7),
        await messageAt(target.id, "staff", "t2: Hi, Sam here", 9),
      ];
      await prisma.message.create({ data: { shopId: fx.shopId, conversationId: source.id, author: "staff", staffId: sam, visibility: "internal", body: "s-note: check the photos", createdAt: new Date(Date.UTC(2026, 10, 20, 9, 8)) } });
      await prisma.actionLog.create({ data: { shopId: fx.shopId, conversationId: source.id, actor: "assistant", action: "return.requested", idempotencyKey: `test:${source.id}` } });

      const result = await mergeConversations(prisma, { shopId: fx.shopId, staffId: sam, sourceId: source.id, targetId: target.id });
      expect(result).toEqual({ targetId: target.id, movedMessages: 4 });
      const transcript = await prisma.message.findMany({ where: { conversationId: target.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      expect(transcript.map((message) => message.body)).toEqual([
        "s1: I want a refund for my jacket",
        "s2: I can help with that",
        "t1: Hello again, different tab",
        "s3: It has a tear",
        "s-note: check the photos",
        "t2: Hi, Sam here",
      ]);
      expect(new Set(transcript.map((message) => message.id)).size).toBe(transcript.length);
      expect(transcript.map((message) => message.id)).toEqual(expect.arrayContaining(written.map((message) => message.id)));
      expect(await prisma.message.count({ where: { conversationId: source.id } })).toBe(0);

      const merged = await prisma.conversation.findUniqueOrThrow({ where: { id: target.id } });
      expect(merged).toMatchObject({ tags: ["vip", "refund"], subject: "Refund for my jacket", verifiedOrderIds: [fx.orders.largeDelivered], status: "waiting_on_staff", lastMessagePreview: "t2: Hi, Sam here" });
      expect(merged.createdAt).toEqual(new Date(Date.UTC(2026, 10, 20, 9, 0)));
      expect(await prisma.conversation.findUniqueOrThrow({ where: { id: source.id } })).toMatchObject({ status: "closed", mergedIntoId: target.id });
      // The source's history moved along; each side logs the merge.
      expect(await actionsOf(target.id)).toEqual([
        { action: "return.requested", actor: "assistant" },
        { action: "conversation.merged", actor: `staff:${sam}` },
      ]);
      expect(await actionsOf(source.id)).toEqual([{ action: "conversation.merged", actor: `staff:${sam}` }]);
      expect((await liveOf(target.id)).some((event) => event.type === "conversation.updated" && (event.fields as string[]).includes("messages"))).toBe(true);
      expect((await liveOf(source.id)).some((event) => event.type === "conversation.updated" && (event.fields as string[]).includes("mergedIntoId"))).toBe(true);

      // Merging again changes nothing and says why.
      expect(await refusal(mergeConversations(prisma, { shopId: fx.shopId, staffId: sam, sourceId: source.id, targetId: target.id }))).toMatchObject({ status: 409, code: "already_merged" });
      expect(await refusal(mergeConversations(prisma, { shopId: fx.shopId, staffId: sam, sourceId: target.id, targetId: source.id }))).toMatchObject({ status: 409, code: "merged" });
      expect(await prisma.message.count({ where: { conversationId: target.id } })).toBe(6);
      // A merged conversation takes no replies.
      expect(await refusal(sendStaffReply(prisma, { ...scope(source.id), body: "hi", lastSeenMessageId: null }))).toMatchObject({ status: 409, code: "merged" });
    });

    it("only merges the same customer: equal customer, or the same e-mail when anonymous", async () => {
      const alices = await conversation({ text: "hello" });
      const bobs = await conversation({ customerId: fx.bob.id, text: "hello" });
      expect(await refusal(mergeConversations(prisma, { shopId: fx.shopId, staffId: sam, sourceId: bobs.id, targetId: alices.id }))).toMatchObject({ status: 409, code: "different_customer" });
      const guest = await conversation({ customerId: null, text: "hello" });
      expect(await refusal(mergeConversations(prisma, { shopId: fx.shopId, staffId: sam, sourceId: guest.id, targetId: alices.id }))).toMatchObject({ status: 409, code: "different_customer" });
      await prisma.conversation.update({ where: { id: guest.id }, data: { shopperEmail: "ALICE@example.com" } });
      expect((await mergeConversations(prisma, { shopId: fx.shopId, staffId: sam, sourceId: guest.id, targetId: alices.id })).movedMessages).toBe(2);
      expect(await refusal(mergeConversations(prisma, { shopId: fx.shopId, staffId: sam, sourceId: alices.id, targetId: alices.id }))).toMatchObject({ status: 400 });
    });
  });

  describe("bulk updates", () => {
    it("apply in one transaction with an action-log entry per changed conversation; what cannot apply is reported", async () => {
      const ids = [(await conversation()).id, (await conversation()).id, (await conversation()).id];
      await resolveConversation(prisma, scope(ids[2]!));
      const until = new Date(Date.now() + 86_400_000);
      const snoozed = await bulkUpdate(prisma, { shopId: fx.shopId, staffId: sam, ids, action: "snooze", until: until.toISOString() });
      expect(snoozed.changed.sort()).toEqual([ids[0], ids[1]].sort());
      expect(snoozed.skipped).toEqual([{ id: ids[2], reason: "A resolved conversation cannot be snoozed; reopen it first." }]);
      const tagged = await bulkUpdate(prisma, { shopId: fx.shopId, staffId: sam, ids, action: "tag", add: ["Shipping"] });
      expect(tagged.changed).toHaveLength(3);
      const assigned = await bulkUpdate(prisma, { shopId: fx.shopId, staffId: sam, ids, action: "assign", assigneeId: alex });
      expect(assigned.changed).toHaveLength(3);
      const resolved = await bulkUpdate(prisma, { shopId: fx.shopId, staffId: sam, ids, action: "resolve" });
      expect(resolved).toMatchObject({ unchanged: [ids[2]], skipped: [] });
      const rows = await prisma.conversation.findMany({ where: { id: { in: ids } } });
      expect(rows.every((row) => row.status === "resolved" && row.assigneeId === alex && row.tags.includes("shipping"))).toBe(true);
      const logs = await prisma.actionLog.findMany({ where: { conversationId: { in: ids }, input: { path: ["bulkId"], equals: resolved.bulkId } } });
      expect(logs.map((log) => log.conversationId).sort()).toEqual([ids[0], ids[1]].sort());
      expect(logs.every((log) => log.action === "conversation.resolved" && log.actor === `staff:${sam}`)).toBe(true);
      expect(await prisma.liveEvent.count({ where: { conversationId: { in: ids }, type: "conversation.updated" } })).toBeGreaterThanOrEqual(2 + 3 + 3 + 2);
    });

    it("fails whole when any id is not the shop's, and caps the selection at 5000", async () => {
      const mine = await conversation();
      const theirs = await conversation({ shopId: other.shopId, customerId: other.alice.id });
      expect(await refusal(bulkUpdate(prisma, { shopId: fx.shopId, staffId: sam, ids: [mine.id, theirs.id], action: "tag", add: ["x"] }))).toMatchObject({ status: 404, field: "ids" });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: mine.id } })).tags).toEqual([]);
      const tooMany = Array.from({ length: 5001 }, (_, index) => `id-${index}`);
      expect(await refusal(bulkUpdate(prisma, { shopId: fx.shopId, staffId: sam, ids: tooMany, action: "resolve" }))).toMatchObject({ status: 400, field: "ids" });
      expect(await refusal(bulkUpdate(prisma, { shopId: fx.shopId, staffId: sam, ids: [mine.id], action: "delete" } as never))).toMatchObject({ status: 400, field: "action" });
    });
  });

  describe("order actions", () => {
    const lineOf = async (orderId: string) => (await prisma.orderLineItem.findFirstOrThrow({ where: { orderId } })).id;

    it("go through commerce attributed to the staff member; the same key is one action", async () => {
      const c = await conversation();
      const lineItemId = await lineOf(fx.orders.smallDelivered);
      const ask = () =>
        staffOrderAction(prisma, { shopId: fx.shopId, staffId: sam, conversationId: c.id, orderId: fx.orders.smallDelivered, kind: "refund", input: { items: [{ lineItemId, quantity: 1 }], reason: "Arrived torn" }, idempotencyKey: "refund-click-0001" });
      const first = await ask();
      expect(first).toMatchObject({ created: true, action: { kind: "refund", status: "requested", input: { amount: "38.00" } } });
      expect((await ask()).created).toBe(false);
      const actions = await prisma.orderAction.findMany({ where: { orderId: fx.orders.smallDelivered } });
      expect(actions).toHaveLength(1);
      expect(actions[0]).toMatchObject({ actor: `staff:${sam}`, conversationId: c.id, idempotencyKey: "inbox:refund-click-0001" });
      expect(await prisma.actionLog.count({ where: { conversationId: c.id, action: "refund.requested", actor: `staff:${sam}` } })).toBe(1);
      expect(await liveOf(c.id)).toContainEqual({ type: "conversation.updated", conversationId: c.id, fields: ["orderActions"] });

      const shipment = await prisma.shipment.findFirstOrThrow({ where: { orderId: fx.orders.inTransit } });
      const resend = await staffOrderAction(prisma, { shopId: fx.shopId, staffId: sam, orderId: fx.orders.inTransit, kind: "resend_tracking", input: { shipmentId: shipment.id }, idempotencyKey: "resend-click-0001" });
      expect(resend.action).toMatchObject({ kind: "resend_tracking", status: "requested", input: { trackingNumber: "1Z999AA10123456786" } });
    });

    it("keep agents within the auto-approve refund limit; owners and admins may refund more", async () => {
      const lineItemId = await lineOf(fx.orders.largeDelivered);
      const request = (staffId: string, key: string) =>
        staffOrderAction(prisma, { shopId: fx.shopId, staffId, orderId: fx.orders.largeDelivered, kind: "refund", input: { items: [{ lineItemId, quantity: 1 }], reason: "Faulty zip" }, idempotencyKey: key });
      const error = await refusal(request(sam, "refund-large-agent"));
      expect(error).toMatchObject({ status: 403, code: "over_limit", field: "input.items" });
      expect(error.message).toContain("180.00");
      expect(await prisma.orderAction.count({ where: { orderId: fx.orders.largeDelivered } })).toBe(0);
      expect((await request(kim, "refund-large-admin")).action).toMatchObject({ status: "requested", input: { amount: "180.00" } });
    });

    it("refuse what the order or the input does not allow", async () => {
      const base = { shopId: fx.shopId, staffId: sam, idempotencyKey: "refusals-0001" };
      expect(await refusal(staffOrderAction(prisma, { ...base, orderId: fx.orders.inTransit, kind: "cancel", input: { reason: "changed mind" } }))).toMatchObject({ status: 409, code: "not_eligible" });
      expect(await refusal(staffOrderAction(prisma, { ...base, orderId: other.orders.unfulfilled, kind: "cancel", input: { reason: "x" } }))).toMatchObject({ status: 404, field: "orderId" });
      expect(await refusal(staffOrderAction(prisma, { ...base, orderId: fx.orders.unfulfilled, kind: "update_address", input: { address: { city: "Reno" } } }))).toMatchObject({ status: 400, field: "input.address.address1" });
      expect(await refusal(staffOrderAction(prisma, { ...base, orderId: fx.orders.unfulfilled, kind: "return" as never, input: {} }))).toMatchObject({ status: 400, field: "kind" });
      expect(await refusal(staffOrderAction(prisma, { ...base, idempotencyKey: "short", orderId: fx.orders.unfulfilled, kind: "cancel", input: { reason: "x" } }))).toMatchObject({ status: 400, field: "idempotencyKey" });
      expect(await prisma.orderAction.count({ where: { orderId: { in: [fx.orders.inTransit, fx.orders.unfulfilled] }, kind: { in: ["cancel", "update_address"] } } })).toBe(0);
    });
  });

  describe("macros", () => {
    it("save only known variables, keep names unique, and render from the conversation, reporting what has no value", async () => {
      const body = "Hi {{customer.first_name}}, order {{ order.name }} is {{order.status}}: {{order.tracking_url}}. We refunded {{refund.amount}}. {{agent.first_name}} at {{shop.name}}";
      expect(await refusal(saveMacro(prisma, { shopId: fx.shopId, staffId: sam, name: "Bad", body: "Hi {{customer.nickname}}" }))).toMatchObject({ status: 400, field: "body", code: "unknown_variable", message: expect.stringContaining("{{customer.nickname}}") });
      expect(await refusal(saveMacro(prisma, { shopId: fx.shopId, staffId: sam, name: "Unclosed", body: "Hi {{customer.first_name" }))).toMatchObject({ status: 400, code: "unclosed_variable" });
      expect(await refusal(saveMacro(prisma, { shopId: fx.shopId, staffId: sam, name: "Long", body: "x".repeat(5001) }))).toMatchObject({ status: 413, field: "body" });
      const macro = await saveMacro(prisma, { shopId: fx.shopId, staffId: sam, name: "Tracking  update", body });
      expect(macro).toMatchObject({ name: "Tracking update", variables: ["customer.first_name", "order.name", "order.status", "order.tracking_url", "refund.amount", "agent.first_name", "shop.name"] });
      expect(await refusal(saveMacro(prisma, { shopId: fx.shopId, staffId: kim, name: "Tracking update", body: "dup" }))).toMatchObject({ status: 409, field: "name" });
      expect(await refusal(saveMacro(prisma, { shopId: other.shopId, staffId: other.staffId, id: macro.id, name: "Steal", body: "x" }))).toMatchObject({ status: 404 });

      // Alice proved order #1009, which has a pending refund of $33.24.
      const c = await conversation();
      await prisma.conversation.update({ where: { id: c.id }, data: { verifiedOrderIds: [fx.orders.discounted] } });
      await prisma.refund.create({ data: { shopId: fx.shopId, orderId: fx.orders.discounted, platform: "shopify", externalId: "r-macro", amount: new Prisma.Decimal("33.24"), currency: "USD", status: "pending" } });
      const rendered = await renderMacro(prisma, { ...scope(c.id, kim), macroId: macro.id });
      expect(rendered).toEqual({
        text: "Hi Alice, order #1009 is delivered: https://www.ups.com/track?tracknum=1Z999AA10123456790. We refunded $33.24. Kim at Alder & Pine",
        missing: [],
      });
      // A guest with nothing proven: the order and refund stay as written, and are reported.
      const guest = await conversation({ customerId: null });
      const partial = await renderMacro(prisma, { ...scope(guest.id), body });
      expect(partial.missing).toEqual(["customer.first_name", "order.name", "order.status", "order.tracking_url", "refund.amount"]);
      expect(partial.text).toBe("Hi {{customer.first_name}}, order {{ order.name }} is {{order.status}}: {{order.tracking_url}}. We refunded {{refund.amount}}. Sam at Alder & Pine");
      // Logged in, nothing verified: the customer's latest order.
      const latestOrder = await renderMacro(prisma, { ...scope((await conversation()).id), body: "{{order.name}} {{customer.name}} {{customer.email}}" });
      expect(latestOrder).toEqual({ text: "#1004 Alice alice@example.com", missing: [] });
      // Logged in and the assistant talked about an older order of hers: that one, not her latest.
      const discussed = await conversation();
      await prisma.message.create({ data: { shopId: fx.shopId, conversationId: discussed.id, author: "assistant", body: "Order #1009 was delivered.", metadata: { memory: { focusOrderName: "#1009" } } } });
      expect((await renderMacro(prisma, { ...scope(discussed.id), body: "{{order.name}}" })).text).toBe("#1009");
      // An order named in the chat that is not hers is never used.
      await prisma.message.create({ data: { shopId: fx.shopId, conversationId: discussed.id, author: "assistant", body: "…", metadata: { memory: { focusOrderName: "#9999" } } } });
      expect((await renderMacro(prisma, { ...scope(discussed.id), body: "{{order.name}}" })).text).toBe("#1004");
      expect(await refusal(renderMacro(prisma, { ...scope(c.id), body: "{{order.secret}}" }))).toMatchObject({ status: 400, code: "unknown_variable" });
      expect(await refusal(renderMacro(prisma, { ...scope(c.id) }))).toMatchObject({ status: 400, field: "macroId" });

      const listed = await listMacros(prisma, { shopId: fx.shopId, staffId: alex });
      expect(listed).toEqual([expect.objectContaining({ id: macro.id, usageCount: 1 })]);
      expect(await listMacros(prisma, { shopId: other.shopId, staffId: other.staffId })).toEqual([]);
      expect(await refusal(deleteMacro(prisma, { shopId: other.shopId, staffId: other.staffId, id: macro.id }))).toMatchObject({ status: 404 });
      await deleteMacro(prisma, { shopId: fx.shopId, staffId: sam, id: macro.id });
      expect(await refusal(renderMacro(prisma, { ...scope(c.id), macroId: macro.id }))).toMatchObject({ status: 404, field: "macroId" });
      expect((await prisma.actionLog.findMany({ where: { shopId: fx.shopId, targetId: macro.id }, orderBy: { createdAt: "asc" } })).map((entry) => entry.action)).toEqual(["macro.created", "macro.deleted"]);
    });
  });

  describe("drafts", () => {
    let openai: OpenAIChatServer;
    beforeAll(async () => {
      openai = await startOpenAIChatServer();
    });
    afterAll(() => openai.close());
    beforeEach(() => openai.reset());

    const written = async (conversationId: string) => ({
      messages: await prisma.message.count({ where: { conversationId } }),
      actions: await prisma.actionLog.count({ where: { conversationId } }),
      orderActions: await prisma.orderAction.count({ where: { shopId: fx.shopId } }),
      conversation: await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { verifiedOrderIds: true, status: true, handledByHuman: true } }),
    });

    it("offline: the responder's answer to the shopper's last message, never stored, never acting", async () => {
      const c = await conversation({ customerId: null, text: "I'd like to talk to a person please" });
      // A person owns it: the assistant stays quiet, the messages wait for the agent.
      await takeOver(prisma, scope(c.id));
      await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: c.id, text: "How much does standard shipping cost?" });
      const before = await written(c.id);
      const draft = await draftReply(prisma, scope(c.id), { chatModel: null });
      expect(draft.source).toBe("offline");
      expect(draft.text).toContain("$6.95");
      expect(await written(c.id)).toEqual(before);

      // Verification inside the draft is rolled back: the order's status is drafted, nothing is proven.
      await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: c.id, text: "Where is order #1003? My email is alice@example.com" });
      const beforeTracking = await written(c.id);
      const tracking = await draftReply(prisma, scope(c.id), { chatModel: null });
      expect(tracking.text).toContain("1Z999AA10123456786");
      expect(await written(c.id)).toEqual(beforeTracking);
      expect(beforeTracking.conversation.verifiedOrderIds).toEqual([]);

      // An answer that would cancel the order is not drafted: staff act from the customer panel.
      const logged = await conversation({ text: "hello" });
      await takeOver(prisma, scope(logged.id));
      await handleShopperMessage(prisma, { shopId: fx.shopId, conversationId: logged.id, text: "Please cancel order #1008" });
      const beforeCancel = await written(logged.id);
      const cancel = await draftReply(prisma, scope(logged.id), { chatModel: null });
      expect(cancel).toMatchObject({ text: "", source: "offline", note: expect.stringContaining("order action") });
      expect(await written(logged.id)).toEqual(beforeCancel);
      expect(await prisma.orderAction.count({ where: { orderId: fx.orders.awaitingShipment } })).toBe(0);
    });

    it("with a chat model: drafts from the transcript and the internal notes, without tools, for the agent to send", async () => {
      const c = await conversation({ text: "My tee from order #1001 arrived torn" });
      await addInternalNote(prisma, { ...scope(c.id, kim), body: "Offer a replacement before a refund." });
      const before = await written(c.id);
      openai.enqueue({ type: "text", text: "Hi Alice, I'm sorry your Trail Tee arrived torn. I can send you a replacement right away, would that work?" });
      const chatModel = createOpenAIChatModel({ apiKey: "sk-test-draft", baseURL: openai.baseURL, model: "gpt-4o-mini", timeoutMs: 5_000, maxRetries: 0 });
      const draft = await draftReply(prisma, scope(c.id), { chatModel });
      expect(draft).toEqual({ text: "Hi Alice, I'm sorry your Trail Tee arrived torn. I can send you a replacement right away, would that work?", source: "openai" });
      expect(await written(c.id)).toEqual(before);

      const request = openai.requests[0]!;
      expect(request.body.tools).toBeUndefined();
      const messages = request.body.messages as { role: string; content: string }[];
      const system = messages.find((message) => message.role === "system")!.content;
      expect(system).toContain("You draft replies for Sam");
      expect(system).toContain("Offer a replacement before a refund.");
      expect(system).toContain("never quote or reveal them");
      expect(system).toContain("Order #1001");
      const user = messages.filter((message) => message.role === "user").at(-1)!.content;
      expect(user).toContain("Shopper: My tee from order #1001 arrived torn");
      expect(user).not.toContain("Offer a replacement");
      expect(JSON.stringify(request.body)).not.toContain("sk-test-draft");

      // The model fails: the offline responder drafts instead, and says why.
      openai.enqueue({ type: "error", status: 500, message: "upstream down" });
      const fallback = await draftReply(prisma, scope(c.id), { chatModel });
      expect(fallback).toMatchObject({ source: "offline", fallback: { kind: "server_error" } });
      expect(await written(c.id)).toEqual(before);
    });
  });

  describe("presence and read state", () => {
    it("publishes presence when someone arrives, starts or stops typing, returns after expiry, or leaves; not on every heartbeat", async () => {
      const c = await conversation();
      const t0 = new Date();
      const beat = (typing: boolean, offsetMs: number, staffId = sam) => heartbeatPresence(prisma, { ...scope(c.id, staffId), typing, now: new Date(t0.getTime() + offsetMs) });
      expect((await beat(false, 0)).published).toBe(true);
      expect((await beat(false, 10_000)).published).toBe(false);
      expect((await beat(true, 12_000)).published).toBe(true);
      expect((await beat(true, 20_000)).published).toBe(false);
      expect((await beat(false, 21_000)).published).toBe(true);
      expect((await beat(false, 21_000 + 31_000)).published).toBe(true);
      expect((await beat(false, 60_000, kim)).published).toBe(true);
      const row = await prisma.staffPresence.findUniqueOrThrow({ where: { conversationId_staffId: { conversationId: c.id, staffId: sam } } });
      expect(row.expiresAt).toEqual(new Date(t0.getTime() + 52_000 + 30_000));

      const presence = (await liveOf(c.id)).filter((event) => event.type === "presence");
      expect(presence).toHaveLength(5);
      expect(presence[1]).toEqual({ type: "presence", conversationId: c.id, staffId: sam, name: "Sam Rivera", viewing: true, typing: true });
      expect(await leaveConversation(prisma, { ...scope(c.id), now: new Date(t0.getTime() + 60_000) })).toEqual({ published: true });
      expect(await leaveConversation(prisma, { ...scope(c.id), now: new Date(t0.getTime() + 61_000) })).toEqual({ published: false });
      expect((await liveOf(c.id)).filter((event) => event.type === "presence").at(-1)).toEqual({ type: "presence", conversationId: c.id, staffId: sam, name: "Sam Rivera", viewing: false, typing: false });
      expect(await prisma.staffPresence.count({ where: { conversationId: c.id } })).toBe(1);
    });

    it("marks a conversation read per staff member, never backwards", async () => {
      const c = await conversation();
      const later = new Date(Date.now() + 60_000);
      expect(await markRead(prisma, { ...scope(c.id), now: later })).toEqual({ lastReadAt: later.toISOString() });
      expect(await markRead(prisma, { ...scope(c.id), now: new Date(later.getTime() - 30_000) })).toEqual({ lastReadAt: later.toISOString() });
      expect(await prisma.conversationRead.count({ where: { conversationId: c.id } })).toBe(1);
      await markRead(prisma, scope(c.id, kim));
      expect(await prisma.conversationRead.count({ where: { conversationId: c.id } })).toBe(2);
    });
  });
});
