import type { PrismaClient } from "@prisma/client";
import { getPool } from "~/lib/db/pool.server";

/**
 * The first-run checklist on the dashboard: what a new shop does before the assistant answers its shoppers well.
 * Steps are read from what the shop holds (articles, conversations through the chat bubble, staff), except the two
 * nobody can detect from here, which a staff member marks done: reviewing the policies the assistant quotes, and
 * turning on the app embed in the theme editor (Shopify does not tell the app; a shopper's first message through the
 * bubble proves it too). Marks are action log entries: who marked what, once.
 */

export const ONBOARDING_STEPS = ["import_knowledge", "review_policies", "enable_chat_bubble", "send_test_message", "invite_staff"] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];
/** The steps a staff member marks done by hand. */
export const MARKABLE_STEPS = ["review_policies", "enable_chat_bubble"] as const satisfies readonly OnboardingStep[];
export type MarkableStep = (typeof MARKABLE_STEPS)[number];

/** The app embed's block (extensions/chat-bubble/blocks/chat-bubble.liquid), for the theme editor's deep link. */
const APP_EMBED_HANDLE = "chat-bubble";

export interface OnboardingItem {
  step: OnboardingStep;
  title: string;
  description: string;
  done: boolean;
  /** Who or what says it is done: the shop's data, or a staff member's mark. */
  doneBy: "data" | "marked" | null;
  action: { label: string; url: string; external: boolean };
  /** A staff member may mark it done (nothing else can tell). */
  markable: boolean;
}

export interface OnboardingChecklist {
  items: OnboardingItem[];
  done: number;
  total: number;
  complete: boolean;
}

interface Facts {
  articles: number;
  policies: number;
  storefrontConversations: number;
  staff: number;
  marked: string[];
}

export async function getOnboardingChecklist(input: { shopId: string; shopDomain: string; apiKey: string; demo: boolean }): Promise<OnboardingChecklist> {
  const { rows } = await getPool().query<Facts>(
    `SELECT
       (SELECT count(*) FROM "KnowledgeSource" k WHERE k."shopId" = $1 AND k."kind" IN ('article', 'faq') AND k."status" = 'published')::int AS "articles",
       (SELECT count(*) FROM "KnowledgeSource" k WHERE k."shopId" = $1 AND k."kind" = 'policy')::int AS "policies",
       (SELECT count(*) FROM (SELECT 1 FROM "Conversation" c WHERE c."shopId" = $1 AND c."channel" = 'web_chat' AND c."lastMessageAuthor" IS NOT NULL LIMIT 1) x)::int
         AS "storefrontConversations",
       (SELECT count(*) FROM "StaffMember" s WHERE s."shopId" = $1 AND s."active")::int AS "staff",
       ARRAY(SELECT l."targetId" FROM "ActionLog" l WHERE l."shopId" = $1 AND l."idempotencyKey" = ANY($2::text[])) AS "marked"`,
    [input.shopId, MARKABLE_STEPS.map(markKey)],
  );
  const facts = rows[0]!;
  const marked = new Set(facts.marked);
  const store = input.shopDomain.replace(/\.myshopify\.com$/, "");
  const storefront = input.demo ? "/demo/storefront" : `https://${input.shopDomain}`;
  const chatting = facts.storefrontConversations > 0;
  const item = (step: OnboardingStep, fields: Omit<OnboardingItem, "step" | "done" | "doneBy" | "markable">, detected: boolean): OnboardingItem => {
    const markable = (MARKABLE_STEPS as readonly string[]).includes(step);
    const byMark = markable && marked.has(step);
    return { step, ...fields, done: detected || byMark, doneBy: detected ? "data" : byMark ? "marked" : null, markable };
  };
  const items = [
    item(
      "import_knowledge",
      {
        title: "Import your help center",
        description: "Articles and FAQs the assistant answers from: import a CSV, JSON or Markdown file, or write an article.",
        action: { label: "Import articles", url: "/app/knowledge/import", external: false },
      },
      facts.articles > 0,
    ),
    item(
      "review_policies",
      {
        title: "Review the policies the assistant will quote",
        description:
          facts.policies > 0
            ? `${facts.policies} ${facts.policies === 1 ? "policy" : "policies"} from your store settings (returns, shipping, privacy, terms): check they say what you want shoppers to hear.`
            : "No store policies synced yet: add them in Shopify's Settings › Policies, then check them here.",
        action: { label: "Review policies", url: "/app/knowledge?kind=policy", external: false },
      },
      false,
    ),
    item(
      "enable_chat_bubble",
      {
        title: "Turn on the chat bubble in your theme",
        description: input.demo
          ? "In a real store this opens the theme editor's App embeds with Shopdesk chat selected; the demo storefront already shows it."
          : "Opens the theme editor's App embeds with Shopdesk chat selected: switch it on and save.",
        action: {
          label: input.demo ? "Open the demo storefront" : "Open the theme editor",
          url: input.demo ? storefront : `https://${input.shopDomain}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(input.apiKey)}/${APP_EMBED_HANDLE}`,
          external: true,
        },
      },
      chatting,
    ),
    item(
      "send_test_message",
      {
        title: "Send a test message",
        description: "Ask the assistant something on your storefront, as a shopper would; it appears in the inbox.",
        action: { label: "Open the storefront", url: storefront, external: true },
      },
      chatting,
    ),
    item(
      "invite_staff",
      {
        title: "Invite your team",
        description: "Staff with access to the app in Shopify share the inbox; they appear here once they open it.",
        action: { label: "Manage staff in Shopify", url: `https://admin.shopify.com/store/${store}/settings/account`, external: true },
      },
      facts.staff > 1,
    ),
  ];
  const done = items.filter((entry) => entry.done).length;
  return { items, done, total: items.length, complete: done === items.length };
}

function markKey(step: string) {
  return `onboarding:${step}`;
}

/** A staff member marks a step done (once; marking again changes nothing). */
export async function markOnboardingStep(db: PrismaClient, input: { shopId: string; staffId: string; step: MarkableStep }) {
  await db.actionLog.createMany({
    data: [
      {
        shopId: input.shopId,
        actor: `staff:${input.staffId}`,
        action: `onboarding.${input.step}`,
        targetType: "onboarding",
        targetId: input.step,
        reason: "marked done in the setup checklist",
        idempotencyKey: markKey(input.step),
      },
    ],
    skipDuplicates: true,
  });
}
