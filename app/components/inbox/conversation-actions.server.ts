import { json } from "@remix-run/node";
import { z } from "zod";
import prisma from "~/db.server";
import {
  addInternalNote,
  assignConversation,
  draftReply,
  handBack,
  heartbeatPresence,
  InboxError,
  leaveConversation,
  markRead,
  mergeConversations,
  reopenConversation,
  renderMacro,
  resolveConversation,
  sendStaffReply,
  setPriority,
  snoozeConversation,
  STAFF_ORDER_ACTION_KINDS,
  staffOrderAction,
  takeOver,
  updateTags,
} from "~/modules/inbox";
import type { ActionResult } from "./Composer";

/*
 * The conversation route's action, kept beside the components that post to it: one form per command, told
 * apart by `intent` (a zod discriminated union), each handed to the inbox module. InboxError becomes its
 * status and an inline message; nothing else is caught.
 */

const text = (max: number) => z.string().max(max);
const list = z
  .string()
  .max(2000)
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
  );
const flag = z
  .enum(["true", "false"])
  .default("false")
  .transform((value) => value === "true");
/** Order action input arrives as one JSON field: its shape is the commerce module's to check. */
const jsonField = z.string().max(20_000).transform((value, context) => {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    context.addIssue({ code: "custom", message: "input must be JSON" });
    return z.NEVER;
  }
});

const ConversationForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reply"), body: text(20_000), lastSeenMessageId: z.string().max(64).optional(), force: flag, idempotencyKey: text(100).optional() }),
  z.object({ intent: z.literal("note"), body: text(20_000) }),
  z.object({ intent: z.literal("assign"), assigneeId: z.string().max(64) }),
  z.object({ intent: z.literal("priority"), priority: z.string().max(20) }),
  z.object({ intent: z.literal("tags"), add: list, remove: list }),
  z.object({ intent: z.literal("snooze"), until: z.string().max(40) }),
  z.object({ intent: z.literal("resolve") }),
  z.object({ intent: z.literal("reopen") }),
  z.object({ intent: z.literal("take_over") }),
  z.object({ intent: z.literal("hand_back") }),
  z.object({ intent: z.literal("merge"), sourceId: z.string().max(64) }),
  z.object({ intent: z.literal("draft") }),
  z.object({ intent: z.literal("render_macro"), macroId: z.string().max(64) }),
  z.object({ intent: z.literal("mark_read") }),
  z.object({ intent: z.literal("heartbeat"), typing: flag }),
  z.object({ intent: z.literal("leave") }),
  z.object({
    intent: z.literal("order_action"),
    orderId: z.string().max(64),
    kind: z.enum(STAFF_ORDER_ACTION_KINDS),
    input: jsonField,
    idempotencyKey: text(100),
    reason: text(500).optional(),
  }),
]);

/** What the action answers for each intent (the components read the parts they need). */
export interface ConversationActionResult extends ActionResult {
  mergedIntoId?: string;
  orderAction?: { id: string; kind: string; status: string; created: boolean };
}

/** Parses the posted form; a 400 answer when it is not one of the commands. */
export function parseConversationForm(form: FormData) {
  const parsed = ConversationForm.safeParse(Object.fromEntries(form));
  if (parsed.success) return { ok: true as const, data: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join(".") || null;
  return {
    ok: false as const,
    response: json<ConversationActionResult>({ error: { message: issue ? `${field ?? "request"}: ${issue.message}` : "This request is not understood", field } }, { status: 400 }),
  };
}

type Form = z.infer<typeof ConversationForm>;

/** Runs one command for the signed-in staff member; InboxError → its status with the message and field. */
export async function runConversationCommand(scope: { shopId: string; staffId: string; conversationId: string }, form: Form) {
  try {
    const result = await dispatch(scope, form);
    return json<ConversationActionResult>({ ok: true, intent: form.intent, ...result });
  } catch (error) {
    if (!(error instanceof InboxError)) throw error;
    const details = (error.details ?? {}) as { messages?: { id: string; author: string; body: string; createdAt: string; staffName: string | null }[]; mergedIntoId?: string };
    return json<ConversationActionResult>(
      {
        intent: form.intent,
        error: {
          message: error.message,
          field: error.field ?? null,
          code: error.code ?? null,
          ...(details.messages ? { messages: details.messages.map((message) => ({ id: message.id, author: message.author, body: message.body, createdAt: message.createdAt, authorName: message.staffName })) } : {}),
        },
        ...(details.mergedIntoId ? { mergedIntoId: details.mergedIntoId } : {}),
      },
      { status: error.status },
    );
  }
}

async function dispatch(scope: { shopId: string; staffId: string; conversationId: string }, form: Form): Promise<Partial<ConversationActionResult>> {
  switch (form.intent) {
    case "reply":
      await sendStaffReply(prisma, { ...scope, body: form.body, lastSeenMessageId: form.lastSeenMessageId ?? null, force: form.force, idempotencyKey: form.idempotencyKey });
      return {};
    case "note":
      await addInternalNote(prisma, { ...scope, body: form.body });
      return {};
    case "assign":
      await assignConversation(prisma, { ...scope, assigneeId: form.assigneeId || null });
      return {};
    case "priority":
      await setPriority(prisma, { ...scope, priority: form.priority });
      return {};
    case "tags":
      await updateTags(prisma, { ...scope, add: form.add, remove: form.remove });
      return {};
    case "snooze":
      await snoozeConversation(prisma, { ...scope, until: form.until });
      return {};
    case "resolve":
      await resolveConversation(prisma, scope);
      return {};
    case "reopen":
      await reopenConversation(prisma, scope);
      return {};
    case "take_over":
      await takeOver(prisma, scope);
      return {};
    case "hand_back":
      await handBack(prisma, scope);
      return {};
    case "merge":
      await mergeConversations(prisma, { shopId: scope.shopId, staffId: scope.staffId, sourceId: form.sourceId, targetId: scope.conversationId });
      return {};
    case "draft": {
      const draft = await draftReply(prisma, scope);
      if (!draft.text) return { error: { message: draft.note ?? "The assistant has no draft for this conversation." } };
      return { draft: { text: draft.text, source: draft.source } };
    }
    case "render_macro": {
      const rendered = await renderMacro(prisma, { ...scope, macroId: form.macroId });
      return { macro: { text: rendered.text, missing: rendered.missing } };
    }
    case "mark_read":
      await markRead(prisma, scope);
      return {};
    case "heartbeat":
      await heartbeatPresence(prisma, { ...scope, typing: form.typing });
      return {};
    case "leave":
      await leaveConversation(prisma, scope);
      return {};
    case "order_action": {
      const { action, created } = await staffOrderAction(prisma, {
        shopId: scope.shopId,
        staffId: scope.staffId,
        conversationId: scope.conversationId,
        orderId: form.orderId,
        kind: form.kind,
        input: form.input,
        idempotencyKey: form.idempotencyKey,
        reason: form.reason,
      });
      return { orderAction: { id: action.id, kind: action.kind, status: action.status, created } };
    }
  }
}
