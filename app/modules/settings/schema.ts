import { z } from "zod";
import { BRAND_TONE_IDS, type BrandTone, REPLY_LANGUAGES } from "~/modules/assistant";

/**
 * The Settings page's form as the browser sends it (text as typed, one value per input) and its validation
 * into the values stored. Error paths are the form's field names, so each message is shown under its input.
 */

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const APPROVAL_ACTIONS = ["cancel", "addressChange", "return", "refund"] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

export interface DayHoursForm {
  open: boolean;
  from: string;
  to: string;
}

/** What the form holds and posts: text fields as typed, lists one entry per line (tags: comma-separated). */
export interface SettingsForm {
  assistantName: string;
  greeting: string;
  avatarUrl: string;
  brandTone: string;
  brandVoice: string;
  replyLanguages: string[];
  neverSay: string;
  handoffKeywords: string;
  returnWindowDays: string;
  returnConditions: string;
  nonReturnableTags: string;
  autoApproveRefundLimit: string;
  returnFee: string;
  refundTax: boolean;
  /** "until_shipped", or "minutes" with cancelWindowMinutes. */
  cancelWindow: string;
  cancelWindowMinutes: string;
  approvals: Record<ApprovalAction, boolean>;
  orderValueThreshold: string;
  /** Percent, 1–100. */
  frustrationThreshold: string;
  maxFailedTurns: string;
  timezone: string;
  hours: Record<Weekday, DayHoursForm>;
  expectedResponse: string;
  conversationRetentionDays: string;
  webhookPayloadRetentionDays: string;
  /** Empty: the environment's OPENAI_CHAT_MODEL. Only read when an OpenAI key is configured. */
  chatModel: string;
}

/** The stored values, normalised: what the action log compares. */
export interface SettingsValues {
  assistantName: string;
  greeting: string;
  avatarUrl: string | null;
  brandTone: BrandTone;
  brandVoice: string;
  /** Empty: every language the assistant speaks. */
  replyLanguages: string[];
  neverSay: string[];
  handoffKeywords: string[];
  returnWindowDays: number;
  returnConditions: string;
  nonReturnableTags: string[];
  /** Two decimals, as stored. */
  autoApproveRefundLimit: string;
  returnFee: string;
  refundTax: boolean;
  /** Null: until the order ships. */
  cancelWindowMinutes: number | null;
  approvals: Record<ApprovalAction, boolean>;
  escalation: { orderValueThreshold: number | null; frustrationThreshold: number; maxFailedTurns: number };
  businessHours: { timezone: string; days: Record<Weekday, { open: string; close: string } | null>; expectedResponse: string };
  retention: { conversationDays: number | null; webhookPayloadDays: number };
  chatModel: string | null;
}

const text = (label: string, max: number) => z.string({ error: `${label} must be text` }).trim().max(max, `${label} can be at most ${max} characters.`);
const required = (label: string, max: number) => text(label, max).min(1, `Enter ${label.toLowerCase()}.`);

/** A whole number typed into a text field, within bounds. */
const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `${label} must be a number` })
    .trim()
    .min(1, `Enter ${label.toLowerCase()}.`)
    .regex(/^\d+$/, `${label} must be a whole number.`)
    .transform(Number)
    .pipe(z.number().min(min, `${label} must be at least ${min}.`).max(max, `${label} can be at most ${max.toLocaleString("en-US")}.`));

/** Blank for "none", else a whole number within bounds. */
const optionalWholeNumber = (label: string, min: number, max: number) =>
  z.string({ error: `${label} must be a number` }).trim().pipe(z.union([z.literal("").transform(() => null), wholeNumber(label, min, max)]));

/** An amount of money typed into a text field: at most two decimals, stored as "12.50". */
const money = (label: string, max: number) =>
  z
    .string({ error: `${label} must be a number` })
    .trim()
    .min(1, `Enter ${label.toLowerCase()}.`)
    .regex(/^\d+(\.\d{1,2})?$/, `${label} must be an amount like 50 or 49.99.`)
    .transform(Number)
    .pipe(z.number().max(max, `${label} can be at most ${max.toLocaleString("en-US")}.`))
    .transform((value) => value.toFixed(2));

/** One entry per line (or comma, when allowed), trimmed, blanks and repeats dropped. */
const list = (label: string, options: { maxItems: number; maxLength: number; commas?: boolean }) =>
  z
    .string({ error: `${label} must be text` })
    .transform((value) => [
      ...new Set(
        value
          .split(options.commas ? /[\n,]/ : /\n/)
          .map((entry) => entry.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(
      z
        .array(z.string().max(options.maxLength, `Each entry can be at most ${options.maxLength} characters.`))
        .max(options.maxItems, `${label}: at most ${options.maxItems} entries.`),
    );

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Enter a time like 09:00.");

const DayHoursSchema = z.object({ open: z.boolean(), from: z.string(), to: z.string() }).transform((day, ctx) => {
  if (!day.open) return null;
  for (const [key, value] of [
    ["from", day.from],
    ["to", day.to],
  ] as const) {
    if (!time.safeParse(value).success) ctx.addIssue({ code: "custom", path: [key], message: "Enter a time like 09:00." });
  }
  return { open: day.from, close: day.to };
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An https address of an image; blank: no avatar. */
const avatarUrl = z
  .string({ error: "Avatar must be text" })
  .trim()
  .max(2000, "The avatar address can be at most 2000 characters.")
  .refine((value) => {
    if (value === "") return true;
    try {
      const url = new URL(value);
      return url.protocol === "https:" && url.hostname.includes(".") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "Enter an https:// address of an image, or leave it empty.")
  .transform((value) => value || null);

/** OpenAI (or compatible) model ids: letters, digits and . _ : / - */
const chatModel = z
  .string({ error: "Model must be text" })
  .trim()
  .max(100, "The model name can be at most 100 characters.")
  .regex(/^([A-Za-z0-9][A-Za-z0-9._:/-]*)?$/, "A model name uses letters, digits and . _ : / - only, like gpt-4o-mini.")
  .transform((value) => value || null);

const cancelWindowMinutes = wholeNumber("The cancellation window", 1, 43_200);

export const SettingsFormSchema = z
  .object({
    assistantName: required("A name", 60),
    greeting: required("A greeting", 500),
    avatarUrl,
    brandTone: z.enum(BRAND_TONE_IDS as [BrandTone, ...BrandTone[]], { error: "Choose one of the tones." }),
    brandVoice: text("The brand voice", 1000),
    replyLanguages: z
      .array(z.enum(REPLY_LANGUAGES as unknown as [string, ...string[]], { error: "Choose among the languages listed." }))
      .min(1, "Choose at least one language.")
      // All of them is no restriction (a chat model may then also answer in other languages).
      .transform((languages) => (REPLY_LANGUAGES.every((code) => languages.includes(code)) ? [] : REPLY_LANGUAGES.filter((code) => languages.includes(code)))),
    neverSay: list("Never say", { maxItems: 50, maxLength: 200 }),
    handoffKeywords: list("Handoff keywords", { maxItems: 100, maxLength: 60 }),
    returnWindowDays: wholeNumber("The return window", 1, 365),
    returnConditions: text("Return conditions", 2000),
    nonReturnableTags: list("Non-returnable tags", { maxItems: 50, maxLength: 255, commas: true }).transform((tags) => [...new Set(tags.map((tag) => tag.toLowerCase()))]),
    autoApproveRefundLimit: money("The auto-approve limit", 1_000_000),
    returnFee: money("The return fee", 10_000),
    refundTax: z.boolean(),
    cancelWindow: z.enum(["until_shipped", "minutes"], { error: "Choose when orders can be cancelled." }),
    cancelWindowMinutes: z.string(),
    approvals: z.object({ cancel: z.boolean(), addressChange: z.boolean(), return: z.boolean(), refund: z.boolean() }),
    orderValueThreshold: z
      .string({ error: "The order value must be a number" })
      .trim()
      .pipe(z.union([z.literal("").transform(() => null), money("The order value", 10_000_000).transform(Number)]))
      .refine((value) => value === null || value > 0, "The order value must be more than 0, or left empty."),
    frustrationThreshold: wholeNumber("The frustration threshold", 1, 100).transform((percent) => percent / 100),
    maxFailedTurns: wholeNumber("Unanswered messages", 1, 10),
    timezone: z.string().refine(isTimeZone, "Choose a time zone from the list."),
    hours: z.object(Object.fromEntries(WEEKDAYS.map((day) => [day, DayHoursSchema])) as Record<Weekday, typeof DayHoursSchema>),
    expectedResponse: text("The expected response time", 200),
    conversationRetentionDays: optionalWholeNumber("Conversation retention", 1, 3650),
    webhookPayloadRetentionDays: wholeNumber("Webhook payload retention", 1, 365),
    chatModel,
  })
  // The minutes count only with "within a time", and are checked alongside every other field's errors.
  .superRefine(
    (form, ctx) => {
      if (form.cancelWindow !== "minutes") return;
      const parsed = cancelWindowMinutes.safeParse(form.cancelWindowMinutes);
      if (!parsed.success) ctx.addIssue({ code: "custom", path: ["cancelWindowMinutes"], message: parsed.error.issues[0]!.message });
    },
    { when: () => true },
  )
  .transform(
    (form): SettingsValues => ({
      assistantName: form.assistantName,
      greeting: form.greeting,
      avatarUrl: form.avatarUrl,
      brandTone: form.brandTone,
      brandVoice: form.brandVoice,
      replyLanguages: form.replyLanguages,
      neverSay: form.neverSay,
      handoffKeywords: form.handoffKeywords,
      returnWindowDays: form.returnWindowDays,
      returnConditions: form.returnConditions,
      nonReturnableTags: form.nonReturnableTags,
      autoApproveRefundLimit: form.autoApproveRefundLimit,
      returnFee: form.returnFee,
      refundTax: form.refundTax,
      cancelWindowMinutes: form.cancelWindow === "minutes" ? cancelWindowMinutes.parse(form.cancelWindowMinutes) : null,
      approvals: form.approvals,
      escalation: { orderValueThreshold: form.orderValueThreshold, frustrationThreshold: form.frustrationThreshold, maxFailedTurns: form.maxFailedTurns },
      businessHours: { timezone: form.timezone, days: form.hours, expectedResponse: form.expectedResponse },
      retention: { conversationDays: form.conversationRetentionDays, webhookPayloadDays: form.webhookPayloadRetentionDays },
      chatModel: form.chatModel,
    }),
  );

/** Field path → first message, e.g. { "hours.monday.from": "Enter a time like 09:00." }. */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The form showing stored values. */
export function formOf(values: SettingsValues): SettingsForm {
  const amount = (value: number | null) => (value === null ? "" : String(value));
  return {
    assistantName: values.assistantName,
    greeting: values.greeting,
    avatarUrl: values.avatarUrl ?? "",
    brandTone: values.brandTone,
    brandVoice: values.brandVoice,
    replyLanguages: values.replyLanguages.length > 0 ? values.replyLanguages : [...REPLY_LANGUAGES],
    neverSay: values.neverSay.join("\n"),
    handoffKeywords: values.handoffKeywords.join("\n"),
    returnWindowDays: String(values.returnWindowDays),
    returnConditions: values.returnConditions,
    nonReturnableTags: values.nonReturnableTags.join(", "),
    autoApproveRefundLimit: values.autoApproveRefundLimit,
    returnFee: values.returnFee,
    refundTax: values.refundTax,
    cancelWindow: values.cancelWindowMinutes === null ? "until_shipped" : "minutes",
    cancelWindowMinutes: amount(values.cancelWindowMinutes),
    approvals: { ...values.approvals },
    orderValueThreshold: amount(values.escalation.orderValueThreshold),
    frustrationThreshold: String(Math.round(values.escalation.frustrationThreshold * 100)),
    maxFailedTurns: String(values.escalation.maxFailedTurns),
    timezone: values.businessHours.timezone,
    hours: Object.fromEntries(
      WEEKDAYS.map((day) => {
        const slot = values.businessHours.days[day];
        return [day, slot ? { open: true, from: slot.open, to: slot.close } : { open: false, from: "09:00", to: "17:00" }];
      }),
    ) as Record<Weekday, DayHoursForm>,
    expectedResponse: values.businessHours.expectedResponse,
    conversationRetentionDays: amount(values.retention.conversationDays),
    webhookPayloadRetentionDays: String(values.retention.webhookPayloadDays),
    chatModel: values.chatModel ?? "",
  };
}
