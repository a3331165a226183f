import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { DEV_SHOPIFY_API_SECRET, resolveEnv } from "~/env.server";
import { startConversation } from "~/modules/conversations";
import { appProxyQuery } from "~/modules/demo";
import { runJobsOnce } from "~/modules/jobs";
import {
  createMailer,
  enqueueEscalationNotice,
  enqueueMentionNotices,
  enqueueStaffReplyEmail,
  type Mailer,
  NOTIFY_ESCALATION_JOB,
  notificationJobs,
  STAFF_REPLY_EMAIL_DELAY_MS,
  STAFF_REPLY_EMAIL_JOB,
} from "~/modules/notifications";
import { CONVERSATION_HEADER } from "~/modules/storefront";
import { action as readAction } from "~/routes/proxy.read";
import { createTestShop, deleteTestShop } from "../support/shops";

/**
 * Notification e-mail through a real SMTP server on a loopback port (smtp-server, with authentication), the
 * real job queue and the read-receipt route with requests signed as Shopify's app proxy signs them.
 */

const APP_URL = "https://shopdesk.example.com";
const SMTP_USER = "shopdesk-mailer";
const SMTP_PASSWORD = "s3cret-smtp-pass";
const FROM = "Shopdesk <notifications@shopdesk.example.com>";

interface Received {
  from: string;
  to: string[];
  headers: string;
  text: string;
}

/** The plain-text body of a single-part message, quoted-printable decoded. */
function parseMail(raw: string): { headers: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  let body = raw.slice(split + 4);
  if (/content-transfer-encoding: quoted-printable/i.test(headers)) {
    body = Buffer.from(body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), "latin1").toString("utf8");
  }
  return { headers, text: body.replace(/\r\n/g, "\n") };
}

function header(mail: Received, name: string): string | undefined {
  return new RegExp(`^${name}: (.*)$`, "mi").exec(mail.headers)?.[1];
}

let ipCounter = 0;

describe("notifications (e-mail through a local SMTP server)", () => {
  const received: Received[] = [];
  let refuseRecipients = false;
  let server: SMTPServer;
  let smtpUrl = "";
  let mailer: Mailer;
  let shop: Awaited<ReturnType<typeof createTestShop>>;
  let otherShop: Awaited<ReturnType<typeof createTestShop>>;
  let agent: { id: string; email: string };
  let colleague: { id: string; email: string };
  let quiet: { id: string; email: string };

  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: SMTP_USER });
        else callback(new Error("Invalid username or password"));
      },
      onRcptTo(_address, _session, callback) {
        if (!refuseRecipients) return callback();
        callback(Object.assign(new Error("Mailbox temporarily unavailable"), { responseCode: 450 }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const mailFrom = session.envelope.mailFrom;
          received.push({
            from: mailFrom ? mailFrom.address : "",
            to: session.envelope.rcptTo.map((address) => address.address),
            ...parseMail(Buffer.concat(chunks).toString("latin1")),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    smtpUrl = `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    mailer = createMailer({ SMTP_URL: smtpUrl, SMTP_FROM: FROM });

    shop = await createTestShop("Maple & Pine");
    await prisma.shop.update({ where: { id: shop.id }, data: { timezone: "Europe/Paris", email: "help@maple-pine.example" } });
    otherShop = await createTestShop("Other shop");
    const staff = (email: string, name: string, extra: { notifyByEmail?: boolean } = {}) =>
      prisma.staffMember.create({ data: { shopId: shop.id, email, name, ...extra }, select: { id: true, email: true } });
    agent = await staff("sam.agent@maple-pine.example", "Sam Rivera");
    colleague = await staff("kim.lead@maple-pine.example", "Kim Osei");
    quiet = await staff("quiet@maple-pine.example", "Quinn Doe", { notifyByEmail: false });
  });

  afterAll(async () => {
    mailer?.close();
    await new Promise<void>((resolve) => server.close(resolve));
    await deleteTestShop(shop.domain);
    await deleteTestShop(otherShop.domain);
  });

  beforeEach(() => {
    received.length = 0;
    refuseRecipients = false;
  });

  const handlers = (options: { mailer?: Mailer } = {}) => notificationJobs(prisma, { mailer: options.mailer ?? mailer, appUrl: APP_URL, storeUrl: (domain) => `https://${domain}` });
  const runJobs = (options: { mailer?: Mailer } = {}) => runJobsOnce(prisma, handlers(options), { shopId: shop.id, workerId: "notify-test" });

  async function conversation(options: { email?: string | null; name?: string; assigneeId?: string; language?: string } = {}) {
    const { conversation, token } = await startConversation(prisma, { shopId: shop.id, language: options.language });
    const updated = await prisma.conversation.update({
      where: { id: conversation.id },
      data: {
        shopperEmail: options.email === undefined ? "jane.shopper@example.org" : options.email,
        shopperName: options.name ?? "Jane Shopper",
        assigneeId: options.assigneeId ?? null,
      },
    });
    return { conversation: updated, token };
  }

  /** A message by the agent (public reply, or internal note), written at `at`. */
  function staffMessage(conversationId: string, body: string, options: { at?: Date; internal?: boolean } = {}) {
    return prisma.message.create({
      data: { shopId: shop.id, conversationId, author: "staff", staffId: agent.id, body, visibility: options.internal ? "internal" : "public", createdAt: options.at ?? new Date() },
    });
  }

  /** A staff reply written `minutesAgo` minutes ago, with its e-mail job enqueued as the send command does. */
  async function staffReply(conversationId: string, body: string, minutesAgo: number) {
    const now = new Date(Date.now() - minutesAgo * 60_000);
    const message = await staffMessage(conversationId, body, { at: now });
    await enqueueStaffReplyEmail(prisma, { shopId: shop.id, messageId: message.id, now });
    return message;
  }

  const notificationsFor = (conversationId: string) => prisma.notification.findMany({ where: { shopId: shop.id, conversationId }, orderBy: { createdAt: "asc" } });

  function signedRead(token: string, body: unknown, options: { shop?: string; rawBody?: string; contentType?: string } = {}) {
    const query = appProxyQuery({ search: new URLSearchParams(), shopDomain: options.shop ?? shop.domain, apiSecret: DEV_SHOPIFY_API_SECRET });
    const headers = new Headers({ "x-forwarded-for": `198.51.100.${++ipCounter % 250}`, "content-type": options.contentType ?? "application/json", [CONVERSATION_HEADER]: token });
    return new Request(`http://localhost:3000/proxy/read?${query.toString()}`, { method: "POST", headers, body: options.rawBody ?? JSON.stringify(body) });
  }
  const read = (request: Request) => (readAction as unknown as (args: { request: Request; params: object; context: object }) => Promise<Response>)({ request, params: {}, context: {} });

  it("e-mails an escalation to its assignee with the summary, priority, SLA due time and a link to the inbox", async () => {
    const { conversation: c } = await conversation({ assigneeId: agent.id });
    const due = new Date("2026-12-02T13:30:00Z");
    await prisma.conversation.update({
      where: { id: c.id },
      data: { priority: "high", slaDueAt: due, slaKind: "first_response", summary: "Handoff: parcel damaged in transit.", escalationReason: "frustration: upset about a damaged parcel" },
    });
    expect(await enqueueEscalationNotice(prisma, { shopId: shop.id, conversationId: c.id, staffId: agent.id })).toBeTruthy();
    // A second request while the first is queued is the same job.
    expect(await enqueueEscalationNotice(prisma, { shopId: shop.id, conversationId: c.id, staffId: agent.id })).toBeNull();
    expect(await runJobs()).toBe(1);

    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual([agent.email]);
    expect(mail.from).toBe("notifications@shopdesk.example.com");
    expect(header(mail, "Subject")).toBe("[Maple & Pine] Assigned to you: Jane Shopper (high priority)");
    expect(mail.text).toContain("Hi Sam,");
    expect(mail.text).toContain("Priority: high");
    // 13:30 UTC is 14:30 in Paris in December.
    expect(mail.text).toContain("First response due: Dec 2, 2026, 2:30 PM (Europe/Paris)");
    expect(mail.text).toContain("Handoff: parcel damaged in transit.");
    expect(mail.text).toContain(`Open it in the inbox: ${APP_URL}/app/inbox/${c.id}`);
    const [row] = await notificationsFor(c.id);
    expect(row).toMatchObject({ kind: "escalation_assigned", staffId: agent.id, recipient: agent.email, status: "sent", error: null });
  });

  it("drops the notices of a shop deleted since they were queued, without an error or a retry", async () => {
    const gone = await createTestShop("Deleted shop");
    const staff = await prisma.staffMember.create({ data: { shopId: gone.id, email: "gone@example.com", name: "Gone Staff" } });
    const { conversation: c } = await startConversation(prisma, { shopId: gone.id });
    await enqueueEscalationNotice(prisma, { shopId: gone.id, conversationId: c.id, staffId: staff.id });
    await deleteTestShop(gone.domain);
    expect(await runJobsOnce(prisma, handlers(), { shopId: gone.id, workerId: "notify-test" })).toBe(1);
    const job = await prisma.job.findFirstOrThrow({ where: { shopId: gone.id } });
    expect(job).toMatchObject({ status: "succeeded", lastError: null });
    expect(received).toEqual([]);
  });

  it("skips an escalation notice for staff who turned e-mail off, or when the conversation went to someone else", async () => {
    const { conversation: c } = await conversation({ assigneeId: quiet.id });
    await enqueueEscalationNotice(prisma, { shopId: shop.id, conversationId: c.id, staffId: quiet.id });
    await enqueueEscalationNotice(prisma, { shopId: shop.id, conversationId: c.id, staffId: agent.id });
    expect(await runJobs()).toBe(2);
    expect(received).toEqual([]);
    const rows = await notificationsFor(c.id);
    expect(rows.map((row) => [row.staffId, row.status, row.error]).sort()).toEqual(
      [
        [quiet.id, "skipped", "the staff member turned e-mail notifications off"],
        [agent.id, "skipped", "the conversation is no longer assigned to this staff member"],
      ].sort(),
    );
  });

  it("e-mails staff @mentioned in an internal note (not the note's author)", async () => {
    const { conversation: c } = await conversation({ assigneeId: agent.id });
    const note = await staffMessage(c.id, "@Kim can you approve this refund above the limit?", { internal: true });
    await enqueueMentionNotices(prisma, { shopId: shop.id, messageId: note.id, staffIds: [colleague.id, agent.id, colleague.id] });
    expect(await runJobs()).toBe(2);
    expect(received.map((mail) => mail.to)).toEqual([[colleague.email]]);
    const mail = received[0]!;
    expect(header(mail, "Subject")).toBe("[Maple & Pine] Sam Rivera mentioned you: Jane Shopper");
    expect(mail.text).toContain("@Kim can you approve this refund above the limit?");
    expect(mail.text).toContain(`${APP_URL}/app/inbox/${c.id}`);
    const rows = await notificationsFor(c.id);
    expect(rows.map((row) => [row.recipient, row.status, row.error]).sort()).toEqual([
      [colleague.email, "sent", null],
      [agent.email, "skipped", "the staff member mentioned themselves"],
    ]);
  });

  it("e-mails a staff reply the shopper has not read once the delay has passed, from the shop's name", async () => {
    const { conversation: c } = await conversation();
    const now = new Date();
    const fresh = await staffMessage(c.id, "Checking with the warehouse now.", { at: now });
    await enqueueStaffReplyEmail(prisma, { shopId: shop.id, messageId: fresh.id, now });
    const job = await prisma.job.findFirstOrThrow({ where: { shopId: shop.id, name: STAFF_REPLY_EMAIL_JOB, payload: { equals: { messageId: fresh.id } } } });
    expect(job.runAt.getTime()).toBe(now.getTime() + STAFF_REPLY_EMAIL_DELAY_MS);
    // Not due yet: the worker leaves it.
    expect(await runJobs()).toBe(0);
    await prisma.job.update({ where: { id: job.id }, data: { runAt: new Date(Date.now() - 1000) } });
    expect(await runJobs()).toBe(1);

    expect(received).toHaveLength(1);
    const mail = received[0]!;
    expect(mail.to).toEqual(["jane.shopper@example.org"]);
    expect(header(mail, "From")).toMatch(/^"?Maple & Pine"? <notifications@shopdesk\.example\.com>$/);
    expect(header(mail, "Reply-To")).toBe("help@maple-pine.example");
    expect(header(mail, "Subject")).toBe("Reply from Maple & Pine");
    expect(mail.text).toContain("Hi Jane,");
    expect(mail.text).toContain("Sam from Maple & Pine replied to your chat:");
    expect(mail.text).toContain("Checking with the warehouse now.");
    expect(mail.text).toContain(`open the chat on our store in the browser you used before: https://${shop.domain}`);
    expect(await notificationsFor(c.id)).toEqual([expect.objectContaining({ kind: "staff_reply", dedupeKey: `staff_reply:${fresh.id}`, status: "sent", recipient: "jane.shopper@example.org" })]);
  });

  it("sends quick successive replies as one e-mail, and none for a reply the shopper answered in the chat", async () => {
    const { conversation: c } = await conversation();
    const first = await staffReply(c.id, "Hi Jane, Sam here.", 6);
    const second = await staffReply(c.id, "Your refund went out this morning.", 5);
    expect(await runJobs()).toBe(2);
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toMatch(/Hi Jane, Sam here\.\s+Your refund went out this morning\./);
    const rows = await notificationsFor(c.id);
    expect(rows.find((row) => row.dedupeKey === `staff_reply:${first.id}`)).toMatchObject({ status: "skipped", error: "a later staff reply is e-mailed together with it" });
    expect(rows.find((row) => row.dedupeKey === `staff_reply:${second.id}`)).toMatchObject({ status: "sent" });

    // A later reply carries only itself: the earlier ones went out already.
    received.length = 0;
    await staffReply(c.id, "One more thing: the tracking number is 1Z999.", 4);
    expect(await runJobs()).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.text).toContain("the tracking number is 1Z999");
    expect(received[0]!.text).not.toContain("refund went out");

    received.length = 0;
    const answered = await staffReply(c.id, "Anything else?", 4);
    await prisma.message.create({ data: { shopId: shop.id, conversationId: c.id, author: "shopper", body: "No, thanks!", createdAt: new Date(Date.now() - 3.5 * 60_000) } });
    expect(await runJobs()).toBe(1);
    expect(received).toEqual([]);
    expect((await notificationsFor(c.id)).find((row) => row.dedupeKey === `staff_reply:${answered.id}`)).toMatchObject({ status: "skipped", error: "the shopper wrote in the chat after it" });
  });

  it("does not e-mail a reply the widget reported as read (signed read receipt through the route)", async () => {
    const { conversation: c, token } = await conversation();
    const reply = await staffReply(c.id, "Your parcel left our warehouse today.", 4);
    const response = await read(signedRead(token, { upTo: reply.id }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ at: reply.createdAt.toISOString() });
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).shopperLastReadAt).toEqual(reply.createdAt);
    const events = await prisma.liveEvent.findMany({ where: { shopId: shop.id, conversationId: c.id, type: "read" } });
    expect(events.map((event) => event.payload)).toEqual([{ type: "read", conversationId: c.id, at: reply.createdAt.toISOString() }]);

    expect(await runJobs()).toBe(1);
    expect(received).toEqual([]);
    expect(await notificationsFor(c.id)).toEqual([expect.objectContaining({ status: "skipped", error: "the shopper read it in the chat", recipient: "jane.shopper@example.org" })]);
  });

  it("does not e-mail a shopper who left no address", async () => {
    const { conversation: c } = await conversation({ email: null });
    await staffReply(c.id, "Thanks for waiting!", 4);
    expect(await runJobs()).toBe(1);
    expect(received).toEqual([]);
    expect(await notificationsFor(c.id)).toEqual([expect.objectContaining({ status: "skipped", error: "the shopper left no e-mail address", recipient: "" })]);
  });

  it("only logs without SMTP_URL: one line with the notification key, no address, status logged", async () => {
    const lines: string[] = [];
    const logOnly = createMailer({}, (line) => lines.push(line));
    expect(logOnly.kind).toBe("log");
    const { conversation: c } = await conversation({ assigneeId: agent.id });
    const reply = await staffReply(c.id, "We'll refund the shipping too.", 4);
    await enqueueEscalationNotice(prisma, { shopId: shop.id, conversationId: c.id, staffId: agent.id });
    expect(await runJobs({ mailer: logOnly })).toBe(2);
    expect(received).toEqual([]);
    expect((await notificationsFor(c.id)).map((row) => row.status)).toEqual(["logged", "logged"]);
    expect(lines).toHaveLength(2);
    expect(lines.join("\n")).toContain(`staff_reply:${reply.id}`);
    expect(lines.join("\n")).not.toMatch(/@|refund the shipping/);
  });

  it("is idempotent: a job run again, or enqueued again, never sends a second e-mail", async () => {
    const { conversation: c } = await conversation();
    const reply = await staffReply(c.id, "Your exchange is approved.", 4);
    expect(await runJobs()).toBe(1);
    expect(received).toHaveLength(1);
    const job = await prisma.job.findFirstOrThrow({ where: { shopId: shop.id, name: STAFF_REPLY_EMAIL_JOB, payload: { equals: { messageId: reply.id } } } });
    expect(job.status).toBe("succeeded");
    // The same job delivered twice (a worker died after sending), and the reply enqueued again.
    await handlers()[STAFF_REPLY_EMAIL_JOB]!(job);
    await enqueueStaffReplyEmail(prisma, { shopId: shop.id, messageId: reply.id, now: new Date(Date.now() - 4 * 60_000) });
    expect(await runJobs()).toBe(1);
    expect(received).toHaveLength(1);
    expect(await notificationsFor(c.id)).toHaveLength(1);
  });

  it("records an SMTP failure as failed and throws so the queue retries; the retry sends exactly once", async () => {
    const { conversation: c, token } = await conversation();
    const reply = await staffReply(c.id, "We found your order.", 4);
    refuseRecipients = true;
    expect(await runJobs()).toBe(1);
    expect(received).toEqual([]);
    const [failed] = await notificationsFor(c.id);
    expect(failed).toMatchObject({ status: "failed", dedupeKey: `staff_reply:${reply.id}` });
    expect(failed!.error).toMatch(/Mailbox temporarily unavailable|rejected/);
    const job = await prisma.job.findFirstOrThrow({ where: { shopId: shop.id, name: STAFF_REPLY_EMAIL_JOB, payload: { equals: { messageId: reply.id } } } });
    expect(job).toMatchObject({ status: "queued", attempts: 1 });
    expect(job.lastError).toContain("not sent");
    expect(job.runAt.getTime()).toBeGreaterThan(Date.now());

    // The retry comes due; the server accepts now.
    refuseRecipients = false;
    await prisma.job.update({ where: { id: job.id }, data: { runAt: new Date(Date.now() - 1000) } });
    expect(await runJobs()).toBe(1);
    expect(received.map((mail) => mail.to)).toEqual([["jane.shopper@example.org"]]);
    expect(await notificationsFor(c.id)).toEqual([expect.objectContaining({ id: failed!.id, status: "sent", error: null })]);
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "succeeded", attempts: 2 });

    // A read receipt arriving after the e-mail changes nothing about it.
    expect((await read(signedRead(token, { upTo: reply.id }))).status).toBe(200);
    expect(await runJobs()).toBe(0);
    expect(received).toHaveLength(1);
  });

  it("never stores or logs the SMTP credentials when the server refuses them", async () => {
    const wrong = createMailer({ SMTP_URL: smtpUrl.replace(SMTP_PASSWORD, "wrong-password-123"), SMTP_FROM: FROM });
    const { conversation: c } = await conversation({ assigneeId: agent.id });
    await enqueueEscalationNotice(prisma, { shopId: shop.id, conversationId: c.id, staffId: agent.id });
    expect(await runJobs({ mailer: wrong })).toBe(1);
    wrong.close();
    const [row] = await notificationsFor(c.id);
    expect(row).toMatchObject({ status: "failed" });
    expect(row!.error).toBeTruthy();
    expect(row!.error).not.toContain("wrong-password-123");
    const job = await prisma.job.findFirstOrThrow({ where: { shopId: shop.id, name: NOTIFY_ESCALATION_JOB, payload: { equals: { conversationId: c.id, staffId: agent.id } } } });
    expect(job.lastError).not.toContain("wrong-password-123");
    expect(job.lastError).not.toContain(SMTP_USER);
  });

  describe("read receipt route (POST /apps/shopdesk/read)", () => {
    it("refuses a missing or malformed upTo with 400 and non-JSON with 415", async () => {
      const { token } = await conversation();
      for (const body of [{}, { upTo: 42 }, { upTo: "" }, { upTo: "x".repeat(65) }]) {
        const response = await read(signedRead(token, body));
        expect(response.status, JSON.stringify(body)).toBe(400);
        expect(await response.json()).toMatchObject({ field: "upTo" });
      }
      expect((await read(signedRead(token, null, { rawBody: "{not json" }))).status).toBe(400);
      expect((await read(signedRead(token, null, { rawBody: "upTo=1", contentType: "application/x-www-form-urlencoded" }))).status).toBe(415);
    });

    it("answers 404 for another shop's conversation or a message of another conversation, and 400 for a bad signature", async () => {
      const { conversation: c, token } = await conversation();
      const reply = await staffMessage(c.id, "Hello!");
      // The token, signed for another shop: that shop has no such conversation.
      expect((await read(signedRead(token, { upTo: reply.id }, { shop: otherShop.domain }))).status).toBe(404);
      // A message id from another conversation.
      const { token: otherToken } = await conversation();
      const response = await read(signedRead(otherToken, { upTo: reply.id }));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ field: "upTo" });
      const forged = signedRead(token, { upTo: reply.id });
      const url = new URL(forged.url);
      url.searchParams.set("shop", otherShop.domain);
      expect((await read(new Request(url, { method: "POST", headers: forged.headers, body: JSON.stringify({ upTo: reply.id }) }))).status).toBe(400);
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).shopperLastReadAt).toBeNull();
    });

    it("never moves backwards, and announces only a forward move", async () => {
      const { conversation: c, token } = await conversation();
      const earlier = await staffMessage(c.id, "First", { at: new Date(Date.now() - 60_000) });
      const later = await staffMessage(c.id, "Second");
      expect(await (await read(signedRead(token, { upTo: later.id }))).json()).toEqual({ at: later.createdAt.toISOString() });
      const back = await read(signedRead(token, { upTo: earlier.id }));
      expect(back.status).toBe(200);
      expect(await back.json()).toEqual({ at: later.createdAt.toISOString() });
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).shopperLastReadAt).toEqual(later.createdAt);
      const events = await prisma.liveEvent.findMany({ where: { shopId: shop.id, conversationId: c.id, type: "read" } });
      expect(events).toHaveLength(1);
    });

    it("ignores internal notes as read targets (the shopper never sees them)", async () => {
      const { conversation: c, token } = await conversation();
      const note = await staffMessage(c.id, "internal", { internal: true });
      expect((await read(signedRead(token, { upTo: note.id }))).status).toBe(404);
      expect((await prisma.conversation.findUniqueOrThrow({ where: { id: c.id } })).shopperLastReadAt).toBeNull();
    });
  });

  describe("configuration", () => {
    it("validates SMTP_URL and SMTP_FROM without echoing the URL", () => {
      expect(resolveEnv({ SMTP_URL: smtpUrl, SMTP_FROM: FROM })).toMatchObject({ SMTP_URL: smtpUrl, SMTP_FROM: FROM });
      expect(() => resolveEnv({ SMTP_URL: smtpUrl })).toThrow(/SMTP_FROM: SMTP_FROM is required when SMTP_URL is set/);
      let message = "";
      try {
        resolveEnv({ SMTP_URL: `http://${SMTP_USER}:${SMTP_PASSWORD}@mail.example.com`, SMTP_FROM: FROM });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
      expect(message).not.toContain(SMTP_PASSWORD);
      expect(() => resolveEnv({ SMTP_URL: smtpUrl, SMTP_FROM: "not an address" })).toThrow(/SMTP_FROM: must be an address/);
      expect(resolveEnv({}).SMTP_URL).toBeUndefined();
    });
  });
});
