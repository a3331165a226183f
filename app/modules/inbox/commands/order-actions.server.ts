import type { PrismaClient } from "@prisma/client";
import { z } from "zod";
import { publishLive } from "~/lib/live/live-events.server";
import { OrderActionInputSchemas, type OrderActionRequest, quoteOrderRefund, requestOrderAction } from "~/modules/commerce";
import { InboxError } from "../errors";
import { Id, parseInput, refuseMerged, requireConversation, requireStaff, StaffScope, staffActor } from "./shared.server";

/**
 * Order actions staff take from the customer panel, through the same commerce path as the assistant's:
 * recorded as requested (with the action-log entry, attributed to the staff member), then written back to
 * the platform by the push job; the order changes only once the platform accepts. Agents refund up to the
 * merchant's auto-approve limit; owners and admins up to what was paid.
 */

export const STAFF_ORDER_ACTION_KINDS = ["refund", "cancel", "update_address", "resend_tracking"] as const;

const StaffOrderActionSchema = z.object({
  ...StaffScope,
  orderId: Id("orderId"),
  /** The conversation the action is taken from: the shopper reads the platform's decision there. */
  conversationId: Id("conversationId").optional(),
  kind: z.enum(STAFF_ORDER_ACTION_KINDS, { error: `kind must be one of ${STAFF_ORDER_ACTION_KINDS.join(", ")}` }),
  input: z.unknown(),
  /** The client's key for this action: the same key twice is one action. */
  idempotencyKey: z.string({ error: "idempotencyKey is required" }).trim().min(8, "idempotencyKey must have at least 8 characters").max(100, "idempotencyKey is too long"),
  /** Why, for the action log. */
  reason: z.string({ error: "reason must be text" }).trim().max(500, "reason can be at most 500 characters").optional(),
});

export type StaffOrderActionInput = z.input<typeof StaffOrderActionSchema>;

export interface StaffOrderActionResult {
  action: { id: string; kind: string; status: string; requestedAt: string; input: unknown };
  /** False when this idempotency key had already requested the action. */
  created: boolean;
}

export async function staffOrderAction(db: PrismaClient, input: StaffOrderActionInput): Promise<StaffOrderActionResult> {
  const parsed = parseInput(StaffOrderActionSchema, input);
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  const kindInput = OrderActionInputSchemas[parsed.kind].safeParse(parsed.input);
  if (!kindInput.success) {
    const issue = kindInput.error.issues[0];
    throw new InboxError(issue ? `${["input", ...issue.path.map(String)].join(".")}: ${issue.message}` : "invalid input", 400, ["input", ...(issue?.path.map(String) ?? [])].join("."));
  }
  if (parsed.conversationId) refuseMerged(await requireConversation(db, parsed.shopId, parsed.conversationId));

  if (parsed.kind === "refund" && staff.role === "agent") {
    const refund = kindInput.data as z.output<(typeof OrderActionInputSchemas)["refund"]>;
    const quoted = await quoteOrderRefund(db, { shopId: parsed.shopId, orderId: parsed.orderId, items: refund.items, purpose: "refund" });
    if (!quoted) throw new InboxError("Order not found.", 404, "orderId");
    if (Number(quoted.quote.total) > Number(quoted.rules.autoApproveRefundLimit)) {
      throw new InboxError(
        `A refund of ${quoted.quote.total} is above the ${Number(quoted.rules.autoApproveRefundLimit).toFixed(2)} limit agents may refund; an owner or admin can make it.`,
        403,
        "input.items",
        "over_limit",
        { amount: quoted.quote.total, limit: quoted.rules.autoApproveRefundLimit },
      );
    }
  }

  const result = await requestOrderAction(db, {
    shopId: parsed.shopId,
    orderId: parsed.orderId,
    kind: parsed.kind,
    input: kindInput.data,
    actor: staffActor(staff.id),
    conversationId: parsed.conversationId ?? null,
    // Namespaced: the assistant's keys (e.g. cancel:<orderId>) stay separate from the inbox's.
    idempotencyKey: `inbox:${parsed.idempotencyKey}`,
    reason: parsed.reason || "Requested by staff in the inbox.",
    now: parsed.now,
  } as OrderActionRequest);
  if (!result.ok) {
    const status = result.code === "not_found" ? 404 : result.code === "over_limit" ? 403 : 409;
    throw new InboxError(result.message, status, result.code === "not_found" ? "orderId" : "input", result.code);
  }
  if (result.created && parsed.conversationId) {
    await publishLive(parsed.shopId, { type: "conversation.updated", conversationId: parsed.conversationId, fields: ["orderActions"] });
  }
  const { action } = result;
  return { action: { id: action.id, kind: action.kind, status: action.status, requestedAt: action.requestedAt.toISOString(), input: action.input }, created: result.created };
}
