import type { Job, NotificationStatus, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import { getEnv } from "~/env.server";
import { enqueueJob } from "~/modules/jobs";
import { type EmailContent, escalationAssignedEmail, mentionEmail, staffReplyEmail } from "./emails";
import { type Mailer, mailerFromEnv } from "./mailer.server";

/**
 * Who is told what, by e-mail, and when: the assignee of an escalation, staff @mentioned in an internal note,
 * and the shopper when a staff reply stays unread in the widget for STAFF_REPLY_EMAIL_DELAY_MS. Each job
 * decides once and writes one Notification row per dedupe key (sent, logged, failed or skipped with why).
 * A row that is not `failed` is final, so a retried or repeated job never e-mails twice; a send failure is
 * recorded and thrown, and the job queue retries it.
 */

export const NOTIFY_ESCALATION_JOB = "notifications.escalation-assigned";
export const NOTIFY_MENTION_JOB = "notifications.mention";
export const STAFF_REPLY_EMAIL_JOB = "notifications.staff-reply";
/** How long a staff reply may stay unread in the widget before it is e-mailed to the shopper. */
export const STAFF_REPLY_EMAIL_DELAY_MS = 3 * 60_000;
const MAX_REPLIES_PER_EMAIL = 10;

type Db = PrismaClient | Prisma.TransactionClient;

export async function enqueueEscalationNotice(db: Db, input: { shopId: string; conversationId: string; staffId: string }) {
  return enqueueJob(db, {
    name: NOTIFY_ESCALATION_JOB,
    shopId: input.shopId,
    payload: { conversationId: input.conversationId, staffId: input.staffId },
    // The same key routing uses, so a handoff and an assignment at once make one notice.
    dedupeKey: `escalation:${input.conversationId}:${input.staffId}`,
  });
}

export async function enqueueMentionNotices(db: Db, input: { shopId: string; messageId: string; staffIds: string[] }) {
  const ids: (string | null)[] = [];
  for (const staffId of new Set(input.staffIds)) {
    ids.push(
      await enqueueJob(db, { name: NOTIFY_MENTION_JOB, shopId: input.shopId, payload: { messageId: input.messageId, staffId }, dedupeKey: `notify:mention:${input.messageId}:${staffId}` }),
    );
  }
  return ids;
}

/** Runs STAFF_REPLY_EMAIL_DELAY_MS after `now`; by then the widget's read receipt has usually arrived if the shopper is there. */
export async function enqueueStaffReplyEmail(db: Db, input: { shopId: string; messageId: string; now?: Date }) {
  const now = input.now ?? new Date();
  return enqueueJob(db, {
    name: STAFF_REPLY_EMAIL_JOB,
    shopId: input.shopId,
    payload: { messageId: input.messageId },
    dedupeKey: `notify:staff_reply:${input.messageId}`,
    runAt: new Date(now.getTime() + STAFF_REPLY_EMAIL_DELAY_MS),
  });
}

export interface NotificationDeps {
  /** Defaults to the process's mailer (SMTP_URL, SMTP_FROM). */
  mailer?: Mailer;
  /** Base of inbox links; defaults to the app's URL. */
  appUrl?: string;
  /** Where the shopper finds the chat again; defaults to the shop's storefront (the demo storefront in demo mode). */
  storeUrl?: (shopDomain: string) => string;
}

interface Context {
  db: PrismaClient;
  mailer: Mailer;
  appUrl: string;
  storeUrl: (shopDomain: string) => string;
}

function defaultStoreUrl(shopDomain: string): string {
  const env = getEnv();
  return env.DEMO_MODE && shopDomain === env.DEMO_SHOP ? `${env.appUrl}/demo/storefront` : `https://${shopDomain}`;
}

/** The three notification jobs by name, for the worker (plain handlers: callable with a job alone). */
export function notificationJobs(db: PrismaClient, deps: NotificationDeps = {}): Record<string, (job: Job) => Promise<unknown>> {
  const context = (): Context => ({
    db,
    mailer: deps.mailer ?? mailerFromEnv(),
    appUrl: deps.appUrl ?? getEnv().appUrl,
    storeUrl: deps.storeUrl ?? defaultStoreUrl,
  });
  return {
    [NOTIFY_ESCALATION_JOB]: (job) => notifyEscalationAssigned(context(), job),
    [NOTIFY_MENTION_JOB]: (job) => notifyMention(context(), job),
    [STAFF_REPLY_EMAIL_JOB]: (job) => emailStaffReply(context(), job),
  };
}

// ---------------------------------------------------------------- recording

interface Notice {
  shopId: string;
  kind: "escalation_assigned" | "mention" | "staff_reply";
  dedupeKey: string;
  conversationId?: string | null;
  staffId?: string | null;
  recipient: string;
}

/** True when this notice was already decided (sent, logged or skipped): nothing more to do. */
async function settled(db: PrismaClient, shopId: string, dedupeKey: string): Promise<boolean> {
  const row = await db.notification.findUnique({ where: { shopId_dedupeKey: { shopId, dedupeKey } }, select: { status: true } });
  return row !== null && row.status !== "failed";
}

async function record(db: PrismaClient, notice: Notice, subject: string, status: NotificationStatus, error: string | null) {
  const fields = { recipient: notice.recipient, subject: subject.slice(0, 500), status, error: error?.slice(0, 1000) ?? null };
  await db.notification.upsert({
    where: { shopId_dedupeKey: { shopId: notice.shopId, dedupeKey: notice.dedupeKey } },
    create: { shopId: notice.shopId, kind: notice.kind, dedupeKey: notice.dedupeKey, conversationId: notice.conversationId ?? null, staffId: notice.staffId ?? null, ...fields },
    update: fields,
  });
}

function skip(context: Context, notice: Notice, reason: string) {
  return record(context.db, notice, "", "skipped", reason);
}

async function deliver(context: Context, notice: Notice, content: EmailContent, options: { fromName?: string; replyTo?: string | null } = {}) {
  try {
    await context.mailer.send({
      to: notice.recipient,
      subject: content.subject,
      text: content.text,
      fromName: options.fromName,
      replyTo: options.replyTo ?? undefined,
      tag: `${notice.dedupeKey} (shop ${notice.shopId})`,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await record(context.db, notice, content.subject, "failed", message);
    throw new Error(`notification ${notice.dedupeKey} not sent: ${message}`);
  }
  await record(context.db, notice, content.subject, context.mailer.kind === "smtp" ? "sent" : "logged", null);
}

function shopOf(job: Job): string {
  if (!job.shopId) throw new Error(`${job.name} job ${job.id} has no shop`);
  return job.shopId;
}

const conversationSelect = {
  id: true,
  assigneeId: true,
  status: true,
  priority: true,
  slaDueAt: true,
  slaKind: true,
  summary: true,
  escalationReason: true,
  lastMessagePreview: true,
  shopperName: true,
  shopperEmail: true,
  shopperLastReadAt: true,
  language: true,
  customer: { select: { firstName: true, lastName: true, email: true } },
} satisfies Prisma.ConversationSelect;

type ConversationRow = Prisma.ConversationGetPayload<{ select: typeof conversationSelect }>;

/** How staff e-mails name the shopper. */
function customerLabel(conversation: ConversationRow): string {
  const fullName = [conversation.customer?.firstName, conversation.customer?.lastName].filter(Boolean).join(" ");
  return conversation.shopperName || fullName || conversation.shopperEmail || conversation.customer?.email || "a shopper";
}

function inboxUrl(context: Context, conversationId: string) {
  return `${context.appUrl}/app/inbox/${encodeURIComponent(conversationId)}`;
}

const shopSelect = { name: true, domain: true, email: true, timezone: true, uninstalledAt: true } satisfies Prisma.ShopSelect;
const staffSelect = { id: true, name: true, email: true, active: true, notifyByEmail: true } satisfies Prisma.StaffMemberSelect;

// ---------------------------------------------------------------- escalation assigned

const EscalationPayload = z.object({ conversationId: z.string().min(1), staffId: z.string().min(1) });

async function notifyEscalationAssigned(context: Context, job: Job) {
  const shopId = shopOf(job);
  const { conversationId, staffId } = EscalationPayload.parse(job.payload);
  // One notice per assignment job: a retry of this job is the same notice, a later assignment a new one.
  const dedupeKey = `escalation_assigned:${job.id}`;
  if (await settled(context.db, shopId, dedupeKey)) return;
  const { db } = context;
  const [shop, staff, conversation] = await Promise.all([
    db.shop.findUnique({ where: { id: shopId }, select: shopSelect }),
    db.staffMember.findFirst({ where: { id: staffId, shopId }, select: staffSelect }),
    db.conversation.findFirst({ where: { id: conversationId, shopId }, select: conversationSelect }),
  ]);
  const notice: Notice = { shopId, kind: "escalation_assigned", dedupeKey, conversationId: conversation?.id, staffId: staff?.id, recipient: staff?.email ?? "" };
  // The shop and its data are gone (deleted after uninstall): nothing to notify, nowhere to record it.
  if (!shop) return;
  const problem = staffProblem(staff) ?? (!shop || shop.uninstalledAt ? "the shop uninstalled the app" : null);
  if (problem || !shop || !staff) return skip(context, notice, problem ?? "");
  if (!conversation) return skip(context, notice, "conversation not found");
  if (conversation.assigneeId !== staff.id) return skip(context, notice, "the conversation is no longer assigned to this staff member");
  if (conversation.status === "resolved" || conversation.status === "closed") return skip(context, notice, `the conversation was ${conversation.status} before the notice went out`);
  const content = escalationAssignedEmail({
    shopName: shop.name,
    shopTimezone: shop.timezone,
    customer: customerLabel(conversation),
    inboxUrl: inboxUrl(context, conversation.id),
    staffName: staff.name,
    priority: conversation.priority,
    slaDueAt: conversation.slaDueAt,
    slaKind: conversation.slaKind,
    reason: conversation.escalationReason,
    summary: conversation.summary ?? conversation.lastMessagePreview,
  });
  await deliver(context, notice, content);
}

function staffProblem(staff: { active: boolean; notifyByEmail: boolean; email: string } | null): string | null {
  if (!staff) return "staff member not found";
  if (!staff.active) return "the staff member is inactive";
  if (!staff.notifyByEmail) return "the staff member turned e-mail notifications off";
  if (!staff.email.includes("@")) return "the staff member has no e-mail address";
  return null;
}

// ---------------------------------------------------------------- @mention

const MentionPayload = z.object({ messageId: z.string().min(1), staffId: z.string().min(1) });

async function notifyMention(context: Context, job: Job) {
  const shopId = shopOf(job);
  const { messageId, staffId } = MentionPayload.parse(job.payload);
  const dedupeKey = `mention:${messageId}:${staffId}`;
  if (await settled(context.db, shopId, dedupeKey)) return;
  const { db } = context;
  const [shop, staff, note] = await Promise.all([
    db.shop.findUnique({ where: { id: shopId }, select: shopSelect }),
    db.staffMember.findFirst({ where: { id: staffId, shopId }, select: staffSelect }),
    db.message.findFirst({
      where: { id: messageId, shopId },
      select: { body: true, visibility: true, staffId: true, staff: { select: { name: true } }, conversation: { select: conversationSelect } },
    }),
  ]);
  const notice: Notice = { shopId, kind: "mention", dedupeKey, conversationId: note?.conversation.id, staffId: staff?.id, recipient: staff?.email ?? "" };
  // The shop and its data are gone (deleted after uninstall): nothing to notify, nowhere to record it.
  if (!shop) return;
  const problem = staffProblem(staff) ?? (!shop || shop.uninstalledAt ? "the shop uninstalled the app" : null);
  if (problem || !shop || !staff) return skip(context, notice, problem ?? "");
  if (!note) return skip(context, notice, "note not found");
  if (note.visibility !== "internal") return skip(context, notice, "mentions are notified from internal notes only");
  if (note.staffId === staff.id) return skip(context, notice, "the staff member mentioned themselves");
  const content = mentionEmail({
    shopName: shop.name,
    shopTimezone: shop.timezone,
    customer: customerLabel(note.conversation),
    inboxUrl: inboxUrl(context, note.conversation.id),
    staffName: staff.name,
    authorName: note.staff?.name ?? "A colleague",
    note: note.body,
  });
  await deliver(context, notice, content);
}

// ---------------------------------------------------------------- staff reply the shopper has not read

const StaffReplyPayload = z.object({ messageId: z.string().min(1) });

async function emailStaffReply(context: Context, job: Job) {
  const shopId = shopOf(job);
  const { messageId } = StaffReplyPayload.parse(job.payload);
  const dedupeKey = `staff_reply:${messageId}`;
  if (await settled(context.db, shopId, dedupeKey)) return;
  const { db } = context;
  const [shop, message] = await Promise.all([
    db.shop.findUnique({ where: { id: shopId }, select: shopSelect }),
    db.message.findFirst({ where: { id: messageId, shopId }, select: { id: true, author: true, visibility: true, createdAt: true, conversation: { select: conversationSelect } } }),
  ]);
  const conversation = message?.conversation;
  const notice: Notice = { shopId, kind: "staff_reply", dedupeKey, conversationId: conversation?.id, recipient: conversation?.shopperEmail ?? "" };
  // The shop and its data are gone (deleted after uninstall): nothing to notify, nowhere to record it.
  if (!shop) return;
  if (!shop || shop.uninstalledAt) return skip(context, notice, "the shop uninstalled the app");
  if (!message || !conversation) return skip(context, notice, "message not found");
  if (message.author !== "staff" || message.visibility !== "public") return skip(context, notice, "not a public staff reply");
  if (!conversation.shopperEmail) return skip(context, notice, "the shopper left no e-mail address");
  if (conversation.shopperLastReadAt && conversation.shopperLastReadAt >= message.createdAt) return skip(context, notice, "the shopper read it in the chat");
  const next = await db.message.findFirst({
    where: { shopId, conversationId: conversation.id, visibility: "public", author: { in: ["shopper", "staff"] }, createdAt: { gt: message.createdAt } },
    orderBy: { createdAt: "asc" },
    select: { author: true },
  });
  if (next?.author === "shopper") return skip(context, notice, "the shopper wrote in the chat after it");
  // Several quick replies make one e-mail: the last one's job sends them all.
  if (next?.author === "staff") return skip(context, notice, "a later staff reply is e-mailed together with it");

  const replies = await unreadReplies(db, shopId, conversation, message);
  const content = staffReplyEmail({
    shopName: shop.name,
    language: conversation.language,
    shopperName: conversation.shopperName ?? conversation.customer?.firstName ?? null,
    replies: replies.map((reply) => ({ staffName: reply.staff?.name ?? null, body: reply.body })),
    storeUrl: context.storeUrl(shop.domain),
  });
  await deliver(context, notice, content, { fromName: shop.name, replyTo: shop.email });
}

/**
 * The public staff replies up to `message` that the shopper has not seen and no earlier e-mail carried: after
 * the read receipt, the shopper's own last message and the last reply already e-mailed.
 */
async function unreadReplies(db: PrismaClient, shopId: string, conversation: ConversationRow, message: { id: string; createdAt: Date }) {
  const [lastShopper, lastNotice] = await Promise.all([
    db.message.findFirst({
      where: { shopId, conversationId: conversation.id, author: "shopper", createdAt: { lte: message.createdAt } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    }),
    db.notification.findFirst({
      where: { shopId, conversationId: conversation.id, kind: "staff_reply", status: { in: ["sent", "logged"] } },
      orderBy: { createdAt: "desc" },
      select: { dedupeKey: true },
    }),
  ]);
  const lastEmailed = lastNotice
    ? await db.message.findFirst({ where: { id: lastNotice.dedupeKey.replace(/^staff_reply:/, ""), shopId }, select: { createdAt: true } })
    : null;
  const after = [conversation.shopperLastReadAt, lastShopper?.createdAt, lastEmailed?.createdAt].reduce<Date | null>(
    (latest, at) => (at && (!latest || at > latest) ? at : latest),
    null,
  );
  const replies = await db.message.findMany({
    where: { shopId, conversationId: conversation.id, author: "staff", visibility: "public", createdAt: { lte: message.createdAt, ...(after ? { gt: after } : {}) } },
    orderBy: { createdAt: "desc" },
    take: MAX_REPLIES_PER_EMAIL,
    select: { id: true, body: true, staff: { select: { name: true } } },
  });
  replies.reverse();
  if (!replies.some((reply) => reply.id === message.id)) {
    const own = await db.message.findFirstOrThrow({ where: { id: message.id, shopId }, select: { id: true, body: true, staff: { select: { name: true } } } });
    replies.push(own);
  }
  return replies;
}
