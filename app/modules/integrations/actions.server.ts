import type { PrismaClient, StaffRole } from "@prisma/client";
import { z } from "zod";
import {
  checkWooWebhooks,
  connectWooCommerce,
  disconnectWooCommerce,
  enqueueWooBackfill,
  requestShopifyResync,
  requestWooReconcile,
  type WooSettings,
  wooConnectInput,
  wooConnection,
} from "~/modules/commerce";
import { enqueueJob, retryFailedJob } from "~/modules/jobs";
import { PLATFORM_JOBS } from "./overview.server";

/**
 * The Integrations screen's actions, one form intent each. Answers say what happened (queued, not done, where
 * the work is queued). Nothing here echoes what was typed into the connect form.
 */

export type IntegrationActionResult =
  | { ok: true; intent: string; message: string }
  | { ok: false; intent: string; message: string; forbidden?: true; fieldErrors?: Partial<Record<"storeUrl" | "consumerKey" | "consumerSecret", string>> };

/** Connecting and disconnecting a store is for its owners and admins; any staff member may resync or retry. */
const MANAGERS: readonly StaffRole[] = ["owner", "admin"];
const MANAGED_INTENTS = new Set(["woocommerce.connect", "woocommerce.disconnect"]);

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("woocommerce.connect"), storeUrl: z.string().default(""), consumerKey: z.string().default(""), consumerSecret: z.string().default("") }),
  z.object({ intent: z.literal("woocommerce.disconnect") }),
  z.object({ intent: z.literal("woocommerce.resync") }),
  z.object({ intent: z.literal("woocommerce.check-webhooks") }),
  z.object({ intent: z.literal("shopify.resync") }),
  z.object({ intent: z.literal("retry"), kind: z.enum(["event", "job"]), id: z.string().uuid("Not a failure id") }),
]);

/**
 * Retries one failure of the shop. A webhook delivery whose job is dead-lettered gets that job back; one whose
 * job already ended (or is waiting on its backoff) gets a processing job now, beside it (whichever runs second
 * finds the delivery processed). A dead-lettered sync job goes back to the queue.
 */
export async function retryFailure(db: PrismaClient, shopId: string, kind: "event" | "job", id: string): Promise<{ ok: boolean; message: string }> {
  if (kind === "job") {
    const outcome = await retryFailedJob(db, shopId, id);
    if (outcome.status === "retried") return { ok: true, message: "Queued again; it runs in a moment." };
    if (outcome.status === "duplicate") return { ok: true, message: "The same work is already queued." };
    return { ok: false, message: outcome.status === "not_found" ? "No such failed job." : `That job is ${outcome.current} now.` };
  }
  const event = await db.webhookEvent.findFirst({ where: { id, shopId, status: "failed" }, select: { id: true, platform: true } });
  if (!event) return { ok: false, message: "No such failed delivery (it may have been applied already)." };
  const jobName = PLATFORM_JOBS[event.platform]?.webhook;
  if (!jobName) return { ok: false, message: `Deliveries from ${event.platform} cannot be retried here.` };
  const dead = await db.job.findFirst({ where: { shopId, dedupeKey: `webhook:${event.id}`, status: "failed" }, select: { id: true } });
  if (dead && (await retryFailedJob(db, shopId, dead.id)).status === "retried") return { ok: true, message: "Queued again; it runs in a moment." };
  const queued = await enqueueJob(db, { name: jobName, shopId, payload: { webhookEventId: event.id }, dedupeKey: `webhook-retry:${event.id}` });
  return { ok: true, message: queued ? "Queued again; it runs in a moment." : "A retry is already queued." };
}

export async function handleIntegrationAction(
  db: PrismaClient,
  caller: { shopId: string; role: StaffRole },
  form: FormData,
  settings: WooSettings,
): Promise<IntegrationActionResult> {
  const { shopId } = caller;
  const parsed = Intent.safeParse(Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === "string")));
  if (!parsed.success) return { ok: false, intent: String(form.get("intent") ?? ""), message: parsed.error.issues[0]?.message ?? "Unknown action" };
  const action = parsed.data;
  if (MANAGED_INTENTS.has(action.intent) && !MANAGERS.includes(caller.role)) {
    return { ok: false, intent: action.intent, message: "Only the store's owners and admins can connect or disconnect WooCommerce.", forbidden: true };
  }
  switch (action.intent) {
    case "woocommerce.connect": {
      const input = wooConnectInput(settings.allowHttp).safeParse(action);
      if (!input.success) {
        const fieldErrors: Partial<Record<"storeUrl" | "consumerKey" | "consumerSecret", string>> = {};
        for (const issue of input.error.issues) {
          const field = issue.path[0] as "storeUrl" | "consumerKey" | "consumerSecret";
          fieldErrors[field] ??= issue.message;
        }
        return { ok: false, intent: action.intent, message: "Check the highlighted fields.", fieldErrors };
      }
      const result = await connectWooCommerce(db, shopId, input.data, settings);
      if (!result.ok) return { ok: false, intent: action.intent, message: result.message, ...(result.field ? { fieldErrors: { [result.field]: result.message } } : {}) };
      await enqueueWooBackfill(db, result.integrationId, shopId, { fresh: true });
      return { ok: true, intent: action.intent, message: "Connected. Customers and orders are being read from the store." };
    }
    case "woocommerce.disconnect": {
      const { disconnected, cleanupError } = await disconnectWooCommerce(db, shopId, settings);
      if (!disconnected) return { ok: false, intent: action.intent, message: "No WooCommerce store is connected." };
      return {
        ok: true,
        intent: action.intent,
        message: cleanupError
          ? "Disconnected and the keys deleted. The store's webhooks could not all be deleted: remove the Shopdesk ones under WooCommerce → Settings → Advanced → Webhooks."
          : "Disconnected: the keys and the store's Shopdesk webhooks are deleted. Synced orders stay.",
      };
    }
    case "woocommerce.resync": {
      const connection = await wooConnection(db, { shopId }, settings);
      if (!connection) return { ok: false, intent: action.intent, message: "No WooCommerce store is connected." };
      const queued = await enqueueWooBackfill(db, connection.integration.id, shopId, { fresh: true });
      return { ok: true, intent: action.intent, message: queued ? "Resync queued: customers and orders are read again." : "A sync is already queued or running." };
    }
    case "woocommerce.check-webhooks": {
      const connection = await wooConnection(db, { shopId }, settings);
      if (!connection) return { ok: false, intent: action.intent, message: "No WooCommerce store is connected." };
      const health = await checkWooWebhooks(db, connection, settings, { repair: true });
      if (health.error) return { ok: false, intent: action.intent, message: `The webhooks could not all be checked: ${health.error}` };
      if (health.broken.length === 0) return { ok: true, intent: action.intent, message: "Every webhook is active." };
      await requestWooReconcile(db, connection.integration.id, shopId);
      return {
        ok: true,
        intent: action.intent,
        message: `Re-enabled ${health.broken.join(", ")}. Orders changed since the last sync are being read again to catch what was missed.`,
      };
    }
    case "shopify.resync": {
      const queued = await requestShopifyResync(db, shopId);
      return { ok: true, intent: action.intent, message: queued ? "Resync queued." : "A sync is already running." };
    }
    case "retry": {
      const result = await retryFailure(db, shopId, action.kind, action.id);
      return { ...result, intent: action.intent };
    }
  }
}
