import { Prisma, type Platform, type PrismaClient } from "@prisma/client";
import prisma from "~/db.server";
import { enqueueJob } from "~/modules/jobs";

/**
 * Webhook intake: record each verified delivery once (platform + delivery id) and queue its processing,
 * so the HTTP answer is fast and retries by the platform are harmless.
 */
export interface IncomingWebhook {
  platform: Platform;
  shopDomain: string;
  topic: string;
  deliveryId: string;
  apiVersion?: string;
  triggeredAt?: string;
  payload: Prisma.InputJsonValue;
}

export const PROCESS_WEBHOOK_JOB = "webhooks.process";

export async function recordWebhook(event: IncomingWebhook, db: PrismaClient = prisma) {
  const shop = await db.shop.findUnique({ where: { domain: event.shopDomain }, select: { id: true } });
  const triggeredAt = event.triggeredAt ? new Date(event.triggeredAt) : null;
  try {
    return await db.$transaction(async (tx) => {
      const stored = await tx.webhookEvent.create({
        data: {
          shopId: shop?.id ?? null,
          shopDomain: event.shopDomain,
          platform: event.platform,
          topic: event.topic,
          deliveryId: event.deliveryId,
          apiVersion: event.apiVersion ?? null,
          triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
          payload: event.payload,
        },
      });
      await enqueueJob(tx, {
        name: PROCESS_WEBHOOK_JOB,
        shopId: shop?.id ?? null,
        payload: { webhookEventId: stored.id },
        dedupeKey: `webhook:${stored.id}`,
      });
      return { duplicate: false as const, id: stored.id };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { duplicate: true as const, id: null };
    }
    throw error;
  }
}
