import type { PrismaClient, StaffRole } from "@prisma/client";
import { z } from "zod";
import { connectStripe, disconnectStripe, type StripeConnectField, type StripeSettings } from "./connection.server";
import { retryStripeEvent } from "./status.server";

/**
 * The Stripe card's form intents (POST /app/integrations/stripe). Answers say what happened; nothing typed into
 * the connect form is ever echoed back. Connecting and disconnecting are for the store's owners and admins.
 */

export type StripeActionResult =
  | { ok: true; intent: string; message: string }
  | { ok: false; intent: string; message: string; forbidden?: true; fieldErrors?: Partial<Record<Exclude<StripeConnectField, "form">, string>> };

const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("stripe.connect"), apiKey: z.string().default(""), webhookSecret: z.string().default("") }),
  z.object({ intent: z.literal("stripe.disconnect") }),
  z.object({ intent: z.literal("stripe.retry"), id: z.uuid("Not a failed event") }),
]);

const MANAGERS: readonly StaffRole[] = ["owner", "admin"];

export async function handleStripeAction(
  db: PrismaClient,
  caller: { shopId: string; role: StaffRole },
  form: FormData,
  settings: StripeSettings,
): Promise<StripeActionResult> {
  const parsed = Intent.safeParse(Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === "string")));
  if (!parsed.success) return { ok: false, intent: String(form.get("intent") ?? ""), message: parsed.error.issues[0]?.message ?? "Unknown action" };
  const action = parsed.data;
  if (action.intent !== "stripe.retry" && !MANAGERS.includes(caller.role)) {
    return { ok: false, intent: action.intent, message: "Only the store's owners and admins can connect or disconnect Stripe.", forbidden: true };
  }
  switch (action.intent) {
    case "stripe.connect": {
      const result = await connectStripe(db, caller.shopId, { apiKey: action.apiKey, webhookSecret: action.webhookSecret }, settings);
      if (result.ok) return { ok: true, intent: action.intent, message: `Connected (${result.mode} mode). Refunds, disputes and failed payments arrive from Stripe's events from now on.` };
      const { form: formError, ...fieldErrors } = result.errors;
      return { ok: false, intent: action.intent, message: formError ?? "Check the highlighted fields.", ...(Object.keys(fieldErrors).length ? { fieldErrors } : {}) };
    }
    case "stripe.disconnect":
      return (await disconnectStripe(db, caller.shopId))
        ? { ok: true, intent: action.intent, message: "Disconnected: the key and signing secret are deleted. Payments already synced stay; delete the endpoint in Stripe too." }
        : { ok: false, intent: action.intent, message: "Stripe is not connected." };
    case "stripe.retry":
      return (await retryStripeEvent(db, caller.shopId, action.id))
        ? { ok: true, intent: action.intent, message: "Queued again; it runs in a moment." }
        : { ok: false, intent: action.intent, message: "No such failed event (it may have been applied already)." };
  }
}
