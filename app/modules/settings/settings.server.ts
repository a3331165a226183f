import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient, type ShopSettings, type StaffRole } from "@prisma/client";
import { getEnv } from "~/env.server";
import { BRAND_TONES, invalidateAssistantProfile, isBrandTone, REPLY_LANGUAGES } from "~/modules/assistant";
import { parseBusinessHours, parseEscalationRules } from "~/modules/routing";
import { APPROVAL_ACTIONS, type FieldErrors, fieldErrorsOf, formOf, type SettingsForm, SettingsFormSchema, type SettingsValues, WEEKDAYS } from "./schema";

/**
 * A shop's settings as the Settings page edits them: read into one form, validated as a whole (an invalid form
 * saves nothing), written in one transaction with an action-log entry naming who changed which field from what
 * to what, and applied from the next shopper message (the assistant's cached profile is dropped).
 */

/** Who may change settings: the store's owner and admins (agents see them read-only). */
export const SETTINGS_EDITOR_ROLES: readonly StaffRole[] = ["owner", "admin"];

export interface SettingsEditor {
  id: string;
  name: string;
  role: StaffRole;
}

export interface SettingsPage {
  form: SettingsForm;
  /** The row's version: a save from a page opened before another save is refused. */
  updatedAt: string;
  options: {
    tones: { value: string; label: string; description: string }[];
    languages: string[];
    timezones: string[];
  };
  currency: string;
  /** Whether the OpenAI model field is shown (an API key is configured); the key itself never leaves the server. */
  modelConfigurable: boolean;
  /** The environment's model, used when the shop names none. */
  defaultChatModel: string;
}

export interface SettingChange {
  field: string;
  from: string;
  to: string;
}

export type SaveSettingsResult =
  | { ok: true; changes: SettingChange[]; updatedAt: string }
  | { ok: false; status: 400; fieldErrors: FieldErrors }
  | { ok: false; status: 403 | 409; message: string };

export interface ModelOptions {
  /** An OpenAI key is configured, so the shop may pick a model. */
  configurable: boolean;
  defaultModel: string;
}

/** The model field is offered only when an OpenAI key is configured; the key itself is never read out. */
export function modelOptionsFromEnv(env = getEnv()): ModelOptions {
  return { configurable: Boolean(env.OPENAI_API_KEY), defaultModel: env.OPENAI_CHAT_MODEL };
}

async function settingsRow(db: PrismaClient | Prisma.TransactionClient, shopId: string): Promise<ShopSettings> {
  return db.shopSettings.upsert({ where: { shopId }, create: { shopId }, update: {} });
}

function valuesOf(row: ShopSettings, shopTimezone: string): SettingsValues {
  const escalation = parseEscalationRules(row.escalationRules);
  const hours = parseBusinessHours(row.businessHours);
  return {
    assistantName: row.assistantName,
    greeting: row.greeting,
    avatarUrl: row.assistantAvatarUrl,
    brandTone: isBrandTone(row.brandTone) ? row.brandTone : "friendly",
    brandVoice: row.brandVoice,
    replyLanguages: REPLY_LANGUAGES.filter((code) => row.replyLanguages.includes(code)),
    neverSay: row.neverSay,
    handoffKeywords: escalation.keywords,
    returnWindowDays: row.returnWindowDays,
    returnConditions: row.returnConditions,
    nonReturnableTags: row.nonReturnableTags,
    autoApproveRefundLimit: row.autoApproveRefundLimit.toFixed(2),
    returnFee: row.returnFee.toFixed(2),
    refundTax: row.refundTax,
    cancelWindowMinutes: row.cancelWindowMinutes,
    approvals: { cancel: !row.allowCancelUnfulfilled, addressChange: row.addressChangeNeedsApproval, return: row.returnNeedsApproval, refund: row.refundNeedsApproval },
    escalation: { orderValueThreshold: escalation.orderValueThreshold, frustrationThreshold: escalation.frustrationThreshold, maxFailedTurns: escalation.maxFailedTurns },
    businessHours: {
      timezone: hours.timezone || shopTimezone,
      days: Object.fromEntries(WEEKDAYS.map((day) => [day, hours.days?.[day] ?? null])) as SettingsValues["businessHours"]["days"],
      expectedResponse: hours.expectedResponse ?? "",
    },
    retention: { conversationDays: row.conversationRetentionDays, webhookPayloadDays: row.webhookPayloadRetentionDays },
    chatModel: row.chatModel,
  };
}

function timezonesWith(current: string): string[] {
  const zones = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  zones.add(current);
  return [...zones].sort();
}

export async function loadSettingsPage(db: PrismaClient, shop: { id: string; timezone: string; currency: string }, model: ModelOptions): Promise<SettingsPage> {
  const row = await settingsRow(db, shop.id);
  const values = valuesOf(row, shop.timezone);
  return {
    form: formOf(values),
    updatedAt: row.updatedAt.toISOString(),
    options: {
      tones: Object.entries(BRAND_TONES).map(([value, tone]) => ({ value, label: tone.label, description: tone.description })),
      languages: [...REPLY_LANGUAGES],
      timezones: timezonesWith(values.businessHours.timezone),
    },
    currency: shop.currency,
    modelConfigurable: model.configurable,
    defaultChatModel: model.defaultModel,
  };
}

/** Each setting as one line of text, for comparing and for the action log. */
function displayed(values: SettingsValues, options: { withModel: boolean }): Map<string, string> {
  const list = (entries: string[]) => (entries.length > 0 ? entries.join(", ") : "(none)");
  const fields = new Map<string, string>([
    ["assistantName", values.assistantName],
    ["greeting", values.greeting],
    ["avatarUrl", values.avatarUrl ?? "(none)"],
    ["brandTone", values.brandTone],
    ["brandVoice", values.brandVoice],
    ["replyLanguages", values.replyLanguages.length > 0 ? values.replyLanguages.join(", ") : "all"],
    ["neverSay", list(values.neverSay)],
    ["handoffKeywords", list(values.handoffKeywords)],
    ["returnWindowDays", String(values.returnWindowDays)],
    ["returnConditions", values.returnConditions],
    ["nonReturnableTags", list(values.nonReturnableTags)],
    ["autoApproveRefundLimit", values.autoApproveRefundLimit],
    ["returnFee", values.returnFee],
    ["refundTax", String(values.refundTax)],
    ["cancelWindowMinutes", values.cancelWindowMinutes === null ? "until shipped" : String(values.cancelWindowMinutes)],
    ...APPROVAL_ACTIONS.map((action) => [`approvals.${action}`, values.approvals[action] ? "staff approval" : "assistant"] as [string, string]),
    ["escalation.orderValueThreshold", values.escalation.orderValueThreshold === null ? "(none)" : values.escalation.orderValueThreshold.toFixed(2)],
    ["escalation.frustrationThreshold", String(values.escalation.frustrationThreshold)],
    ["escalation.maxFailedTurns", String(values.escalation.maxFailedTurns)],
    ["businessHours.timezone", values.businessHours.timezone],
    ...WEEKDAYS.map((day) => {
      const slot = values.businessHours.days[day];
      return [`businessHours.${day}`, slot ? `${slot.open}–${slot.close}` : "closed"] as [string, string];
    }),
    ["businessHours.expectedResponse", values.businessHours.expectedResponse || "(none)"],
    ["retention.conversationDays", values.retention.conversationDays === null ? "kept" : String(values.retention.conversationDays)],
    ["retention.webhookPayloadDays", String(values.retention.webhookPayloadDays)],
  ]);
  if (options.withModel) fields.set("chatModel", values.chatModel ?? "(default)");
  return fields;
}

export function settingChanges(before: SettingsValues, after: SettingsValues, options: { withModel: boolean }): SettingChange[] {
  const old = displayed(before, options);
  return [...displayed(after, options)].filter(([field, value]) => old.get(field) !== value).map(([field, to]) => ({ field, from: old.get(field)!, to }));
}

function jsonObject(value: Prisma.JsonValue): Record<string, Prisma.JsonValue> {
  return value && typeof value === "object" && !Array.isArray(value) ? ({ ...value } as Record<string, Prisma.JsonValue>) : {};
}

function rowData(row: ShopSettings, values: SettingsValues, model: ModelOptions): Prisma.ShopSettingsUpdateInput {
  // Keys of the JSON columns this page does not edit are kept as they are.
  const escalationRules = {
    ...jsonObject(row.escalationRules),
    orderValueThreshold: values.escalation.orderValueThreshold,
    keywords: values.handoffKeywords,
    frustrationThreshold: values.escalation.frustrationThreshold,
    maxFailedTurns: values.escalation.maxFailedTurns,
  };
  const businessHours: Record<string, Prisma.JsonValue> = { ...jsonObject(row.businessHours), timezone: values.businessHours.timezone };
  // No open day at all means "no hours configured": the assistant then promises no response time.
  const anyOpen = WEEKDAYS.some((day) => values.businessHours.days[day] !== null);
  businessHours.days = anyOpen ? values.businessHours.days : {};
  if (values.businessHours.expectedResponse) businessHours.expectedResponse = values.businessHours.expectedResponse;
  else delete businessHours.expectedResponse;
  return {
    assistantName: values.assistantName,
    greeting: values.greeting,
    assistantAvatarUrl: values.avatarUrl,
    brandTone: values.brandTone,
    brandVoice: values.brandVoice,
    replyLanguages: values.replyLanguages,
    neverSay: values.neverSay,
    returnWindowDays: values.returnWindowDays,
    returnConditions: values.returnConditions,
    nonReturnableTags: values.nonReturnableTags,
    autoApproveRefundLimit: new Prisma.Decimal(values.autoApproveRefundLimit),
    returnFee: new Prisma.Decimal(values.returnFee),
    refundTax: values.refundTax,
    cancelWindowMinutes: values.cancelWindowMinutes,
    allowCancelUnfulfilled: !values.approvals.cancel,
    addressChangeNeedsApproval: values.approvals.addressChange,
    returnNeedsApproval: values.approvals.return,
    refundNeedsApproval: values.approvals.refund,
    escalationRules,
    businessHours: businessHours as Prisma.InputJsonObject,
    conversationRetentionDays: values.retention.conversationDays,
    webhookPayloadRetentionDays: values.retention.webhookPayloadDays,
    // Without a key the field is not shown, so whatever was chosen before stays.
    ...(model.configurable ? { chatModel: values.chatModel } : {}),
  };
}

const short = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

/**
 * Validates the whole form and saves it, or nothing. The row is locked while it is compared and written, so the
 * logged "from" values are the ones replaced; a page opened before someone else's save is refused (409).
 */
export async function saveShopSettings(
  db: PrismaClient,
  input: { shop: { id: string; timezone: string }; editor: SettingsEditor; form: unknown; updatedAt?: string; model: ModelOptions; now?: Date },
): Promise<SaveSettingsResult> {
  if (!SETTINGS_EDITOR_ROLES.includes(input.editor.role)) {
    return { ok: false, status: 403, message: "Only the store owner and admins can change settings." };
  }
  const parsed = SettingsFormSchema.safeParse(input.form);
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) };
  const values = parsed.data;
  const shopId = input.shop.id;
  const now = input.now ?? new Date();

  const outcome = await db.$transaction(async (tx) => {
    await settingsRow(tx, shopId);
    await tx.$executeRaw`SELECT 1 FROM "ShopSettings" WHERE "shopId" = ${shopId} FOR UPDATE`;
    const row = await tx.shopSettings.findUniqueOrThrow({ where: { shopId } });
    if (input.updatedAt && row.updatedAt.toISOString() !== input.updatedAt) return { conflict: true as const };
    const changes = settingChanges(valuesOf(row, input.shop.timezone), values, { withModel: input.model.configurable });
    if (changes.length === 0) return { changes, updatedAt: row.updatedAt };
    const saved = await tx.shopSettings.update({ where: { shopId }, data: rowData(row, values, input.model) });
    await tx.actionLog.create({
      data: {
        shopId,
        actor: `staff:${input.editor.id}`,
        action: "settings.updated",
        targetType: "shop_settings",
        targetId: row.id,
        reason: `${input.editor.name} changed ${changes.map((change) => `${change.field}: ${short(change.from)} → ${short(change.to)}`).join("; ")}`.slice(0, 2000),
        idempotencyKey: `settings:${randomUUID()}`,
        input: { staff: { id: input.editor.id, name: input.editor.name }, changes: changes.map((change) => ({ ...change })) },
        createdAt: now,
      },
    });
    return { changes, updatedAt: saved.updatedAt };
  });
  if ("conflict" in outcome) {
    return { ok: false, status: 409, message: "Someone saved these settings after you opened this page. Reload it to see their changes, then make yours again." };
  }
  // From the next shopper message on (in this process; other instances within their cache's 15 s).
  if (outcome.changes.length > 0) invalidateAssistantProfile(shopId);
  return { ok: true, changes: outcome.changes, updatedAt: outcome.updatedAt.toISOString() };
}
