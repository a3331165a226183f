/**
 * The notification e-mails' subjects and plain-text bodies. Staff e-mails are in English (the admin is);
 * the shopper's is in the conversation's language. They promise nothing the app does not do: the way back
 * is the store's chat, which keeps the conversation in the browser the shopper used.
 */

export interface EmailContent {
  subject: string;
  text: string;
}

/** When a time falls in the shop's time zone, e.g. "Dec 2, 2026, 2:30 PM (Europe/Paris)". */
export function formatShopTime(at: Date, timeZone: string): string {
  // ICU puts a narrow no-break space before AM/PM; a plain one keeps the e-mail ASCII.
  const format = (zone: string) => new Intl.DateTimeFormat("en-US", { timeZone: zone, dateStyle: "medium", timeStyle: "short" }).format(at).replace(/\u202f/g, " ");
  try {
    return `${format(timeZone)} (${timeZone})`;
  } catch {
    return `${format("UTC")} (UTC)`;
  }
}

function firstName(name: string | null | undefined): string {
  return (name ?? "").trim().split(/\s+/)[0] ?? "";
}

export interface ConversationFacts {
  shopName: string;
  shopTimezone: string;
  /** The shopper's name or e-mail, "a shopper" when neither is known. */
  customer: string;
  inboxUrl: string;
}

export function escalationAssignedEmail(
  facts: ConversationFacts & {
    staffName: string;
    priority: string;
    slaDueAt: Date | null;
    slaKind: string | null;
    reason: string | null;
    summary: string | null;
  },
): EmailContent {
  const due = facts.slaDueAt
    ? `${facts.slaKind === "next_response" ? "Next response" : "First response"} due: ${formatShopTime(facts.slaDueAt, facts.shopTimezone)}`
    : "Response due: no target set";
  const lines = [
    `Hi ${firstName(facts.staffName) || "there"},`,
    "",
    `A conversation with ${facts.customer} was assigned to you.`,
    "",
    `Priority: ${facts.priority}`,
    due,
    ...(facts.reason ? [`Reason: ${facts.reason}`] : []),
    ...(facts.summary ? ["", facts.summary] : []),
    "",
    `Open it in the inbox: ${facts.inboxUrl}`,
  ];
  return { subject: `[${facts.shopName}] Assigned to you: ${facts.customer} (${facts.priority} priority)`, text: lines.join("\n") };
}

export function mentionEmail(facts: ConversationFacts & { staffName: string; authorName: string; note: string }): EmailContent {
  const lines = [
    `Hi ${firstName(facts.staffName) || "there"},`,
    "",
    `${facts.authorName} mentioned you in an internal note on the conversation with ${facts.customer}:`,
    "",
    facts.note,
    "",
    `Open it in the inbox: ${facts.inboxUrl}`,
  ];
  return { subject: `[${facts.shopName}] ${facts.authorName} mentioned you: ${facts.customer}`, text: lines.join("\n") };
}

const SHOPPER_TEXT = {
  en: {
    subject: "Reply from {shop}",
    greeting: "Hi {name},",
    greetingNoName: "Hello,",
    repliedBy: "{staff} from {shop} replied to your chat:",
    replied: "{shop} replied to your chat:",
    wayBack: "To reply, open the chat on our store in the browser you used before: {url}",
  },
  fr: {
    subject: "Réponse de {shop}",
    greeting: "Bonjour {name},",
    greetingNoName: "Bonjour,",
    repliedBy: "{staff} de {shop} a répondu à votre message :",
    replied: "{shop} a répondu à votre message :",
    wayBack: "Pour répondre, ouvrez le chat sur notre boutique dans le navigateur utilisé précédemment : {url}",
  },
  de: {
    subject: "Antwort von {shop}",
    greeting: "Hallo {name},",
    greetingNoName: "Hallo,",
    repliedBy: "{staff} von {shop} hat auf Ihre Chat-Nachricht geantwortet:",
    replied: "{shop} hat auf Ihre Chat-Nachricht geantwortet:",
    wayBack: "Um zu antworten, öffnen Sie den Chat in unserem Shop im selben Browser wie zuvor: {url}",
  },
  es: {
    subject: "Respuesta de {shop}",
    greeting: "Hola, {name}:",
    greetingNoName: "Hola:",
    repliedBy: "{staff}, de {shop}, respondió a tu mensaje:",
    replied: "{shop} respondió a tu mensaje:",
    wayBack: "Para responder, abre el chat en nuestra tienda en el mismo navegador que usaste antes: {url}",
  },
} as const;

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
}

/** The staff replies the shopper has not seen, oldest first, with the way back to the chat. */
export function staffReplyEmail(facts: { shopName: string; language: string; shopperName: string | null; replies: { staffName: string | null; body: string }[]; storeUrl: string }): EmailContent {
  const t = SHOPPER_TEXT[(facts.language in SHOPPER_TEXT ? facts.language : "en") as keyof typeof SHOPPER_TEXT];
  const staffNames = new Set(facts.replies.map((reply) => firstName(reply.staffName)));
  const [only] = staffNames;
  const values = { shop: facts.shopName, name: firstName(facts.shopperName), staff: only ?? "", url: facts.storeUrl };
  const lines = [
    fill(values.name ? t.greeting : t.greetingNoName, values),
    "",
    fill(staffNames.size === 1 && only ? t.repliedBy : t.replied, values),
    "",
    facts.replies.map((reply) => reply.body).join("\n\n"),
    "",
    fill(t.wayBack, values),
    "",
    facts.shopName,
  ];
  return { subject: fill(t.subject, values), text: lines.join("\n") };
}
