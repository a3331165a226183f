import { Prisma, type PrismaClient } from "@prisma/client";
import { z } from "zod";
import { InboxError } from "../errors";
import { ConversationScope, Id, logAction, MAX_STAFF_MESSAGE_CHARS, parseInput, refuseMerged, requireConversation, requireStaff, StaffScope } from "./shared.server";

/**
 * Saved replies with variables filled from the conversation: `{{customer.first_name}}`, `{{order.tracking_url}}`…
 * Only known variables can be saved. Rendering never drops a variable silently: one without a value stays in
 * the text as written and is listed in `missing`, so the reply box can warn before anything is sent.
 */

export const MACRO_VARIABLES = [
  "customer.first_name",
  "customer.name",
  "customer.email",
  "order.name",
  "order.status",
  "order.tracking_number",
  "order.tracking_url",
  "refund.amount",
  "shop.name",
  "agent.first_name",
] as const;

export type MacroVariable = (typeof MACRO_VARIABLES)[number];

const MAX_NAME_CHARS = 100;
const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables a macro body uses; a 400 names the first unknown one or an unclosed `{{`. */
export function macroVariables(body: string, field = "body"): MacroVariable[] {
  const used: MacroVariable[] = [];
  for (const match of body.matchAll(VARIABLE)) {
    const name = match[1]!;
    if (!(MACRO_VARIABLES as readonly string[]).includes(name)) {
      throw new InboxError(`Unknown variable {{${name}}}. Use one of: ${MACRO_VARIABLES.map((variable) => `{{${variable}}}`).join(", ")}.`, 400, field, "unknown_variable", { variable: name });
    }
    if (!used.includes(name as MacroVariable)) used.push(name as MacroVariable);
  }
  if (body.replace(VARIABLE, "").includes("{{")) throw new InboxError("A variable is not closed: write it as {{name}}.", 400, field, "unclosed_variable");
  return used;
}

const MacroBody = z
  .string({ error: "body must be text" })
  .transform((value) => value.replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().min(1, "A macro needs a text.").max(MAX_STAFF_MESSAGE_CHARS, `Macros can be at most ${MAX_STAFF_MESSAGE_CHARS} characters.`));
const MacroName = z
  .string({ error: "name must be text" })
  .transform((value) => value.replace(/\s+/g, " ").trim())
  .pipe(z.string().min(1, "Give the macro a name.").max(MAX_NAME_CHARS, `Names can be at most ${MAX_NAME_CHARS} characters.`));

export interface MacroSummary {
  id: string;
  name: string;
  body: string;
  variables: MacroVariable[];
  usageCount: number;
  updatedAt: string;
}

function toSummary(macro: { id: string; name: string; body: string; usageCount: number; updatedAt: Date }): MacroSummary {
  // Bodies were validated when saved; a variable removed from the list since then still shows up as missing.
  let variables: MacroVariable[] = [];
  try {
    variables = macroVariables(macro.body);
  } catch {
    variables = [];
  }
  return { id: macro.id, name: macro.name, body: macro.body, variables, usageCount: macro.usageCount, updatedAt: macro.updatedAt.toISOString() };
}

const ListSchema = z.object(StaffScope);

/** The shop's macros, most used first. */
export async function listMacros(db: PrismaClient, input: z.input<typeof ListSchema>): Promise<MacroSummary[]> {
  const parsed = parseInput(ListSchema, input);
  await requireStaff(db, parsed.shopId, parsed.staffId);
  const macros = await db.macro.findMany({ where: { shopId: parsed.shopId }, orderBy: [{ usageCount: "desc" }, { name: "asc" }], take: 500 });
  return macros.map(toSummary);
}

const SaveSchema = z.object({ ...StaffScope, id: Id("id").optional(), name: MacroName, body: MacroBody });

/** Creates a macro, or updates the one with `id`. Names are unique per shop (409). */
export async function saveMacro(db: PrismaClient, input: z.input<typeof SaveSchema>): Promise<MacroSummary> {
  const parsed = parseInput(SaveSchema, input);
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  const variables = macroVariables(parsed.body);
  try {
    return await db.$transaction(async (tx) => {
      let macro: { id: string; name: string; body: string; usageCount: number; updatedAt: Date };
      if (parsed.id) {
        const { count } = await tx.macro.updateMany({ where: { id: parsed.id, shopId: parsed.shopId }, data: { name: parsed.name, body: parsed.body } });
        if (count === 0) throw new InboxError("Macro not found.", 404, "id");
        macro = await tx.macro.findUniqueOrThrow({ where: { id: parsed.id } });
      } else {
        macro = await tx.macro.create({ data: { shopId: parsed.shopId, name: parsed.name, body: parsed.body, createdById: staff.id } });
      }
      await logAction(tx, {
        shopId: parsed.shopId,
        staffId: staff.id,
        conversationId: null,
        action: parsed.id ? "macro.updated" : "macro.created",
        targetType: "macro",
        targetId: macro.id,
        input: { name: parsed.name, variables },
        now,
      });
      return toSummary(macro);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new InboxError(`A macro named "${parsed.name}" already exists.`, 409, "name");
    throw error;
  }
}

const DeleteSchema = z.object({ ...StaffScope, id: Id("id") });

export async function deleteMacro(db: PrismaClient, input: z.input<typeof DeleteSchema>): Promise<{ deleted: true }> {
  const parsed = parseInput(DeleteSchema, input);
  const now = parsed.now ?? new Date();
  const staff = await requireStaff(db, parsed.shopId, parsed.staffId);
  return db.$transaction(async (tx) => {
    const macro = await tx.macro.findFirst({ where: { id: parsed.id, shopId: parsed.shopId }, select: { id: true, name: true } });
    if (!macro) throw new InboxError("Macro not found.", 404, "id");
    await tx.macro.delete({ where: { id: macro.id } });
    await logAction(tx, { shopId: parsed.shopId, staffId: staff.id, conversationId: null, action: "macro.deleted", targetType: "macro", targetId: macro.id, input: { name: macro.name }, now });
    return { deleted: true as const };
  });
}

const RenderSchema = z
  .object({ ...ConversationScope, macroId: Id("macroId").optional(), body: MacroBody.optional() })
  .refine((value) => (value.macroId === undefined) !== (value.body === undefined), { message: "Give either macroId or body.", path: ["macroId"] });

export interface RenderedMacro {
  text: string;
  /** Variables with no value in this conversation: left in the text as {{name}} for the agent to fill. */
  missing: MacroVariable[];
}

function formatMoney(amount: Prisma.Decimal, currency: string, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** An order's state in a few words, as a reply would put it. */
function orderStatusText(order: { status: string; fulfillmentStatus: string; shipments: { status: string }[] }): string {
  if (order.status === "cancelled") return "cancelled";
  if (order.shipments.some((shipment) => shipment.status === "delivered") && order.fulfillmentStatus === "fulfilled") return "delivered";
  if (order.fulfillmentStatus === "fulfilled") return "shipped";
  if (order.fulfillmentStatus === "partial") return "partly shipped";
  return "not shipped yet";
}

/** Every variable's value in this conversation (null when unknown). */
export async function macroContext(db: PrismaClient, input: { shopId: string; conversationId: string; staffId: string }): Promise<Record<MacroVariable, string | null>> {
  const conversation = await requireConversation(db, input.shopId, input.conversationId);
  refuseMerged(conversation);
  const [shop, staff, customer] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: input.shopId }, select: { name: true } }),
    db.staffMember.findFirstOrThrow({ where: { id: input.staffId, shopId: input.shopId }, select: { name: true } }),
    conversation.customerId ? db.customer.findFirst({ where: { id: conversation.customerId, shopId: input.shopId } }) : null,
  ]);
  const orderInclude = { shipments: { orderBy: { createdAt: "desc" } }, refunds: { where: { status: { in: ["succeeded", "pending"] } }, orderBy: { createdAt: "desc" } } } satisfies Prisma.OrderInclude;
  // The order the conversation is about: the one the assistant last talked about, among those the shopper proved
  // or owns; else the latest they proved; else the logged-in customer's latest.
  const [discussed] = await db.$queryRaw<{ name: string }[]>`
    SELECT "metadata"->'memory'->>'focusOrderName' AS "name" FROM "Message"
    WHERE "shopId" = ${input.shopId} AND "conversationId" = ${conversation.id} AND "author" = 'assistant'
      AND "metadata"->'memory'->>'focusOrderName' IS NOT NULL
    ORDER BY "createdAt" DESC LIMIT 1`;
  const mine: Prisma.OrderWhereInput[] = [
    ...(conversation.verifiedOrderIds.length > 0 ? [{ id: { in: conversation.verifiedOrderIds } }] : []),
    ...(customer ? [{ customerId: customer.id }] : []),
  ];
  const findOrder = (where: Prisma.OrderWhereInput) => db.order.findFirst({ where: { shopId: input.shopId, ...where }, orderBy: { placedAt: "desc" }, include: orderInclude });
  const order =
    mine.length === 0
      ? null
      : ((discussed ? await findOrder({ name: discussed.name, OR: mine }) : null) ??
        (conversation.verifiedOrderIds.length > 0 ? await findOrder({ id: { in: conversation.verifiedOrderIds } }) : null) ??
        (customer ? await findOrder({ customerId: customer.id }) : null));
  const tracked = order?.shipments.find((shipment) => shipment.trackingNumber || shipment.trackingUrl);
  const refund = order?.refunds[0];
  const fullName = [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || conversation.shopperName?.trim() || null;
  return {
    "customer.first_name": customer?.firstName?.trim() || conversation.shopperName?.trim().split(/\s+/)[0] || null,
    "customer.name": fullName,
    "customer.email": customer?.email ?? conversation.shopperEmail ?? null,
    "order.name": order?.name ?? null,
    "order.status": order ? orderStatusText(order) : null,
    "order.tracking_number": tracked?.trackingNumber ?? null,
    "order.tracking_url": tracked?.trackingUrl ?? null,
    "refund.amount": refund && order ? formatMoney(refund.amount, refund.currency || order.currency, conversation.language) : null,
    "shop.name": shop.name,
    "agent.first_name": staff.name.trim().split(/\s+/)[0] || null,
  };
}

/** Fills a macro (saved, or a body being edited) for one conversation. */
export async function renderMacro(db: PrismaClient, input: z.input<typeof RenderSchema>): Promise<RenderedMacro> {
  const parsed = parseInput(RenderSchema, input);
  await requireStaff(db, parsed.shopId, parsed.staffId);
  let body = parsed.body;
  if (parsed.macroId) {
    const macro = await db.macro.findFirst({ where: { id: parsed.macroId, shopId: parsed.shopId }, select: { body: true } });
    if (!macro) throw new InboxError("Macro not found.", 404, "macroId");
    body = macro.body;
  }
  macroVariables(body!);
  const values = await macroContext(db, parsed);
  const missing: MacroVariable[] = [];
  const text = body!.replace(VARIABLE, (written, name: MacroVariable) => {
    const value = values[name];
    if (value) return value;
    if (!missing.includes(name)) missing.push(name);
    return written;
  });
  if (parsed.macroId) await db.macro.updateMany({ where: { id: parsed.macroId, shopId: parsed.shopId }, data: { usageCount: { increment: 1 } } });
  return { text, missing };
}
