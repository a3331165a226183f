import type { Prisma, PrismaClient } from "@prisma/client";
import { publishLive } from "~/lib/live/live-events.server";
import { enqueueEscalationNotice } from "~/modules/notifications";
import { lockShopRouting, pickAssignee } from "./assignment.server";
import { addBusinessMinutes, parseBusinessHours } from "./business-hours";
import { computePriority, higherPriority, type Priority } from "./priority";
import { ESCALATION_REASONS, type EscalationReason, parseEscalationRules } from "./rules";
import { parseRoutingSettings, parseSlaPolicy } from "./settings";
import type { SlaKind } from "./sla";

type Db = PrismaClient | Prisma.TransactionClient;

/** The job that tells a staff member a handoff was assigned to them (handler: the notifications module). */

/** What the caller knows about the handoff that the conversation row does not keep. */
export interface HandoffSignals {
  reason?: EscalationReason;
  /** The shopper's latest frustration score, 0..1. */
  frustration?: number;
  intent?: string;
  /** The order under discussion (a logged-in customer's own order counts even when not verified in chat). */
  focusOrderName?: string;
}

export interface RouteHandoffResult {
  /** False when this handoff was routed before (nothing changed). */
  routed: boolean;
  priority: Priority;
  assigneeId: string | null;
  /** Whether routing assigned someone just now. */
  assigned: boolean;
  slaDueAt: Date | null;
  slaKind: SlaKind | null;
}

type ShopRoutingContext = { timezone: string; settings: { routing: unknown; sla: unknown; businessHours: unknown; escalationRules: unknown } | null };

const SHOP_CONTEXT = { select: { timezone: true, settings: { select: { routing: true, sla: true, businessHours: true, escalationRules: true } } } } as const;

function reasonOf(escalationReason: string | null): EscalationReason | undefined {
  const head = escalationReason?.split(":")[0]?.trim();
  return ESCALATION_REASONS.find((reason) => reason === head);
}

/** Which target applies and when it is due, for a shopper waiting since `waitingSince`. */
async function slaDeadline(db: Db, input: { shopId: string; conversationId: string; priority: Priority; waitingSince: Date; shop: ShopRoutingContext }) {
  // The assistant's replies set firstResponseAt, so "has a person answered yet" is asked of the messages.
  const staffAnswered = await db.message.findFirst({
    where: { shopId: input.shopId, conversationId: input.conversationId, author: "staff", visibility: "public" },
    select: { id: true },
  });
  const slaKind: SlaKind = staffAnswered ? "next_response" : "first_response";
  const target = parseSlaPolicy(input.shop.settings?.sla)[input.priority];
  const minutes = slaKind === "first_response" ? target.firstResponseMinutes : target.nextResponseMinutes;
  const slaDueAt = addBusinessMinutes(input.waitingSince, minutes, parseBusinessHours(input.shop.settings?.businessHours), input.shop.timezone);
  return { slaKind, slaDueAt };
}

/**
 * A conversation was just handed to a person: set its priority (the higher of the current one and what the
 * signals say), assign it by the shop's strategy when nobody has it and auto-assign is on, and start the
 * SLA clock (business hours in the shop's zone). Logs what it decided, tells the inbox, and queues the
 * assignee's notification — all in one transaction, once per escalation.
 */
export async function routeHandoff(
  db: PrismaClient,
  input: { shopId: string; conversationId: string; now?: Date; signals?: HandoffSignals },
): Promise<RouteHandoffResult> {
  const now = input.now ?? new Date();
  const { shopId, conversationId } = input;
  return db.$transaction(
    async (tx) => {
      await lockShopRouting(tx, shopId);
      await tx.$queryRaw`SELECT 1 AS "locked" FROM "Conversation" WHERE "id" = ${conversationId} AND "shopId" = ${shopId} FOR UPDATE`;
      const conversation = await tx.conversation.findFirst({
        where: { id: conversationId, shopId },
        select: {
          priority: true,
          assigneeId: true,
          escalatedAt: true,
          escalationReason: true,
          lastIntent: true,
          waitingSince: true,
          slaDueAt: true,
          slaKind: true,
          customerId: true,
          verifiedOrderIds: true,
          customer: { select: { tags: true } },
          shop: SHOP_CONTEXT,
        },
      });
      if (!conversation) throw new Error(`routing: no conversation ${conversationId} in shop ${shopId}`);
      const idempotencyKey = `route:${conversationId}:${(conversation.escalatedAt ?? now).getTime()}`;
      const seen = await tx.actionLog.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey } }, select: { id: true } });
      if (seen) {
        return {
          routed: false,
          priority: conversation.priority,
          assigneeId: conversation.assigneeId,
          assigned: false,
          slaDueAt: conversation.slaDueAt,
          slaKind: conversation.slaKind as SlaKind | null,
        };
      }

      const settings = conversation.shop.settings;
      const routing = parseRoutingSettings(settings?.routing);
      const signals = input.signals ?? {};
      const orderFilters: Prisma.OrderWhereInput[] = [{ id: { in: conversation.verifiedOrderIds } }];
      if (conversation.customerId && signals.focusOrderName) orderFilters.push({ customerId: conversation.customerId, name: signals.focusOrderName });
      const orders = await tx.order.aggregate({ where: { shopId, OR: orderFilters }, _max: { total: true } });
      const orderValue = orders._max.total === null ? null : Number(orders._max.total);
      const prioritySignals = {
        reason: signals.reason ?? reasonOf(conversation.escalationReason),
        frustration: signals.frustration,
        intent: signals.intent ?? conversation.lastIntent,
        orderValue,
        orderValueThreshold: parseEscalationRules(settings?.escalationRules).orderValueThreshold,
        customerTags: conversation.customer?.tags ?? [],
        vipTag: routing.vipTag,
      };
      const priority = higherPriority(conversation.priority, computePriority(prioritySignals));

      const assignee =
        conversation.assigneeId === null && routing.autoAssign ? await pickAssignee(tx, { shopId, strategy: routing.assignment, now }) : null;
      const waitingSince = conversation.waitingSince ?? now;
      const { slaKind, slaDueAt } = await slaDeadline(tx, { shopId, conversationId, priority, waitingSince, shop: conversation.shop });

      await tx.conversation.update({
        where: { id: conversationId },
        data: { priority, waitingSince, slaDueAt, slaKind, ...(assignee ? { assigneeId: assignee.id } : {}) },
      });
      await tx.actionLog.create({
        data: {
          shopId,
          conversationId,
          actor: "system",
          action: "conversation.routed",
          targetType: "conversation",
          targetId: conversationId,
          reason: `priority ${priority}; ${slaKind.replace("_", " ")} due ${slaDueAt.toISOString()}`,
          idempotencyKey,
          input: JSON.parse(JSON.stringify({ ...prioritySignals, strategy: routing.assignment, autoAssign: routing.autoAssign })) as Prisma.InputJsonValue,
          result: { priority, previousPriority: conversation.priority, slaKind, slaDueAt: slaDueAt.toISOString(), assigneeId: assignee?.id ?? conversation.assigneeId },
          createdAt: now,
        },
      });
      const fields = ["priority", "waitingSince", "slaDueAt", "slaKind"].filter((field) => field !== "priority" || priority !== conversation.priority);
      if (assignee) {
        fields.push("assigneeId");
        await tx.actionLog.create({
          data: {
            shopId,
            conversationId,
            actor: "system",
            action: "conversation.assigned",
            targetType: "staff",
            targetId: assignee.id,
            reason: `${routing.assignment.replace("_", " ")} on handoff`,
            idempotencyKey: `${idempotencyKey}:assign`,
            input: { strategy: routing.assignment },
            result: { assigneeId: assignee.id, name: assignee.name },
            createdAt: now,
          },
        });
        await enqueueEscalationNotice(tx, { shopId, conversationId, staffId: assignee.id });
      }
      await publishLive(shopId, { type: "conversation.updated", conversationId, fields }, tx);
      return { routed: true, priority, assigneeId: assignee?.id ?? conversation.assigneeId, assigned: assignee !== null, slaDueAt, slaKind };
    },
    // Handoffs of one shop queue on its routing lock; give a burst of them time to pass.
    { maxWait: 10_000, timeout: 20_000 },
  );
}

export interface WaitingState {
  /** Whether this call started the clock (false: it was already running). */
  started: boolean;
  waitingSince: Date | null;
  slaDueAt: Date | null;
  slaKind: SlaKind | null;
}

const WAITING_FIELDS = { waitingSince: true, slaDueAt: true, slaKind: true } as const;

/**
 * The shopper wrote and a person owes them an answer: start the clock unless it already runs (the earliest
 * unanswered message counts). First response until a person has answered publicly, then next response.
 */
export async function startWaiting(db: Db, input: { shopId: string; conversationId: string; now?: Date }): Promise<WaitingState> {
  const now = input.now ?? new Date();
  const { shopId, conversationId } = input;
  const conversation = await db.conversation.findFirst({ where: { id: conversationId, shopId }, select: { priority: true, ...WAITING_FIELDS, shop: SHOP_CONTEXT } });
  if (!conversation) throw new Error(`routing: no conversation ${conversationId} in shop ${shopId}`);
  const running = { started: false, waitingSince: conversation.waitingSince, slaDueAt: conversation.slaDueAt, slaKind: conversation.slaKind as SlaKind | null };
  if (running.waitingSince && running.slaDueAt) return running;
  const waitingSince = conversation.waitingSince ?? now;
  const { slaKind, slaDueAt } = await slaDeadline(db, { shopId, conversationId, priority: conversation.priority, waitingSince, shop: conversation.shop });
  // Conditional: a concurrent message may have started the clock first; its start stands.
  const { count } = await db.conversation.updateMany({
    where: { id: conversationId, shopId, OR: [{ waitingSince: null }, { slaDueAt: null }] },
    data: { waitingSince, slaDueAt, slaKind },
  });
  if (count === 0) {
    const current = await db.conversation.findFirstOrThrow({ where: { id: conversationId, shopId }, select: WAITING_FIELDS });
    return { started: false, ...current, slaKind: current.slaKind as SlaKind | null };
  }
  await publishLive(shopId, { type: "conversation.updated", conversationId, fields: ["waitingSince", "slaDueAt", "slaKind"] }, db);
  return { started: true, waitingSince, slaDueAt, slaKind };
}

/**
 * A person answered the shopper publicly at `now`: nobody waits any more. A wait that began after `now`
 * (the shopper wrote again meanwhile) is left running. Returns whether anything was cleared.
 */
export async function stopWaiting(db: Db, input: { shopId: string; conversationId: string; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  const { shopId, conversationId } = input;
  const { count } = await db.conversation.updateMany({
    where: { id: conversationId, shopId, OR: [{ waitingSince: { lte: now } }, { waitingSince: null, slaDueAt: { not: null } }] },
    data: { waitingSince: null, slaDueAt: null, slaKind: null },
  });
  if (count === 0) return false;
  await publishLive(shopId, { type: "conversation.updated", conversationId, fields: ["waitingSince", "slaDueAt", "slaKind"] }, db);
  return true;
}
