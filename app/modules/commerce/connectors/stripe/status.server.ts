import type { PrismaClient } from "@prisma/client";
import { enqueueJob } from "~/modules/jobs";
import { STRIPE_WEBHOOK_EVENTS, StripeConfig, type StripeSettings, stripeWebhookPath } from "./connection.server";
import { OPEN_DISPUTE_STATUSES } from "./payloads";
import { STRIPE_EVENT_JOB } from "./webhook-http.server";

/**
 * What the Integrations screen shows of a shop's Stripe connection: its state, the endpoint to create in Stripe,
 * the events received, the ones that failed (with Retry), payments no order was found for, and disputes.
 * Never a secret: the key and signing secret stay encrypted in the database.
 */

export const STRIPE_CARD_LIST_LIMIT = 10;

export interface StripeCardData {
  status: "not_connected" | "connected" | "error";
  mode: "live" | "test" | null;
  connectedAt: string | null;
  /** Why the connection is in error (a refused key), in Stripe's words without the key. */
  lastError: string | null;
  /** The endpoint URL to create in Stripe, and the events to send to it. */
  webhookUrl: string;
  webhookEvents: readonly string[];
  /** The events received: the same shape as the other platforms' cards. */
  activity: {
    lastEventAt: string | null;
    eventsLast24h: number;
    /** Events that failed to apply, newest first; `retryingAt` when the queue tries again by itself. */
    failures: { kind: "event"; id: string; what: string; at: string; error: string; attempts: number; retryingAt: string | null }[];
  };
  failureCount: number;
  unmatchedPayments: { id: string; reference: string; amount: string; currency: string; status: string; email: string | null; occurredAt: string; failureMessage: string | null }[];
  unmatchedCount: number;
  disputes: { id: string; reference: string; amount: string; currency: string; status: string; reason: string; open: boolean; evidenceDueBy: string | null; orderName: string | null }[];
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export async function stripeCard(db: PrismaClient, shopId: string, settings: Pick<StripeSettings, "appUrl">, now = new Date()): Promise<StripeCardData> {
  const events = { shopId, platform: "stripe" as const };
  const [integration, last, eventsLast24h, failures, failureCount, unmatched, unmatchedCount, disputes] = await Promise.all([
    db.integration.findUnique({ where: { shopId_platform: { shopId, platform: "stripe" } }, select: { status: true, config: true, lastError: true } }),
    db.webhookEvent.findFirst({ where: events, orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    db.webhookEvent.count({ where: { ...events, receivedAt: { gte: new Date(now.getTime() - 86_400_000) } } }),
    db.webhookEvent.findMany({
      where: { ...events, status: "failed" },
      orderBy: { receivedAt: "desc" },
      take: STRIPE_CARD_LIST_LIMIT,
      select: { id: true, topic: true, receivedAt: true, attempts: true, lastError: true },
    }),
    db.webhookEvent.count({ where: { ...events, status: "failed" } }),
    db.payment.findMany({
      where: { shopId, platform: "stripe", orderId: null },
      orderBy: { occurredAt: "desc" },
      take: STRIPE_CARD_LIST_LIMIT,
      select: { id: true, externalId: true, amount: true, currency: true, status: true, email: true, occurredAt: true, failureMessage: true },
    }),
    db.payment.count({ where: { shopId, platform: "stripe", orderId: null } }),
    db.dispute.findMany({
      where: { shopId, platform: "stripe" },
      orderBy: { occurredAt: "desc" },
      take: STRIPE_CARD_LIST_LIMIT,
      select: { id: true, externalId: true, amount: true, currency: true, status: true, reason: true, evidenceDueBy: true, payment: { select: { order: { select: { name: true } } } } },
    }),
  ]);
  const waiting = failures.length
    ? await db.job.findMany({ where: { shopId, status: "queued", dedupeKey: { in: failures.map((event) => `stripe-event:${event.id}`) } }, select: { dedupeKey: true, runAt: true } })
    : [];
  const retryAt = new Map(waiting.map((job) => [job.dedupeKey!.slice("stripe-event:".length), job.runAt]));
  const connected = integration && integration.status !== "disconnected" ? integration : null;
  const config = connected ? StripeConfig.safeParse(connected.config) : null;
  const open = new Set<string>(OPEN_DISPUTE_STATUSES);
  return {
    status: !connected ? "not_connected" : connected.status === "error" ? "error" : "connected",
    mode: config?.success ? config.data.mode : null,
    connectedAt: config?.success ? config.data.connectedAt : null,
    lastError: connected?.lastError ?? null,
    webhookUrl: `${settings.appUrl}${stripeWebhookPath(shopId)}`,
    webhookEvents: STRIPE_WEBHOOK_EVENTS,
    activity: {
      lastEventAt: iso(last?.receivedAt),
      eventsLast24h,
      failures: failures.map((event) => ({
        kind: "event" as const,
        id: event.id,
        what: `Stripe ${event.topic}`,
        at: event.receivedAt.toISOString(),
        error: event.lastError ?? "failed",
        attempts: event.attempts,
        retryingAt: iso(retryAt.get(event.id)),
      })),
    },
    failureCount,
    unmatchedPayments: unmatched.map((payment) => ({
      id: payment.id,
      reference: payment.externalId,
      amount: payment.amount.toFixed(2),
      currency: payment.currency,
      status: payment.status,
      email: payment.email,
      occurredAt: payment.occurredAt.toISOString(),
      failureMessage: payment.failureMessage,
    })),
    unmatchedCount,
    disputes: disputes.map((dispute) => ({
      id: dispute.id,
      reference: dispute.externalId,
      amount: dispute.amount.toFixed(2),
      currency: dispute.currency,
      status: dispute.status,
      reason: dispute.reason,
      open: open.has(dispute.status),
      evidenceDueBy: iso(dispute.evidenceDueBy),
      orderName: dispute.payment.order?.name ?? null,
    })),
  };
}

/** Queues a failed event of the shop again; false when there is no such failed event. */
export async function retryStripeEvent(db: PrismaClient, shopId: string, webhookEventId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.webhookEvent.updateMany({ where: { id: webhookEventId, shopId, platform: "stripe", status: "failed" }, data: { status: "received" } });
    if (count === 0) return false;
    await enqueueJob(tx, { name: STRIPE_EVENT_JOB, shopId, payload: { webhookEventId }, dedupeKey: `stripe-event:${webhookEventId}` });
    return true;
  });
}
