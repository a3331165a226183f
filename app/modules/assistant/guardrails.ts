/**
 * Checks around the chat model. The tools enforce policy on actions whatever is said; these checks keep the
 * words honest: no prices, discounts, codes or identifiers the merchant or a tool did not write, no claim
 * that an action happened unless a tool did it, none of the merchant's "never say" phrases, and a flag on
 * messages that try to rewrite the assistant's instructions.
 */

const FOREIGN_QUALIFIER = String.raw`(?<!\p{L})(?:pr[ée]c[ée]dent(?:e|s|es)?|ant[ée]rieur(?:e|s|es)?|tou(?:te)?s|vos|tes|ci-dessus|vorherigen?|bisherigen?|obigen?|alle[ns]?|deine[n]?|ihre[n]?|anteriores|previas|todas|tus|sus|sistema|syst[èe]me|system)(?!\p{L})`;
const FOREIGN_RULES = String.raw`(?<!\p{L})(?:instructions?|r[èe]gles?|consignes?|anweisungen|regeln|vorgaben|richtlinien|instruktionen|instrucciones|reglas|normas|pol[íi]ticas?)(?!\p{L})`;

const INJECTION_PATTERNS: RegExp[] = [
  /\b(ignore|disregard|forget|override|bypass)\b[^.?!]{0,40}\b(previous|prior|above|earlier|all|your|the|system)\b[^.?!]{0,20}\b(instructions?|rules?|prompts?|polic(?:y|ies)|guidelines?|restrictions?)/i,
  /\b(system|developer|admin)\s*(prompt|message|mode|override)\b/i,
  /\byou are now\b|\bact as (an? )?(admin|administrator|manager|developer|system|dan)\b|\bjailbreak\b|\bDAN\b/,
  /\b(new|updated|real) (instructions?|rules?|policy)\s*[:：]/i,
  /\bpretend (that )?(you|the (policy|rules?))\b/i,
  /<\/?(system|assistant|tool|instructions?)>|\[\/?(SYSTEM|INST)\]|^\s*(system|assistant)\s*:/im,
  /\b(reveal|print|show|repeat|output)\b[^.?!]{0,30}\b(system prompt|instructions|api key|secret|hidden prompt)/i,
  /\b(approve|authori[sz]e|issue|process|grant)\b[^.?!]{0,40}\b(refund|discount|coupon|credit|return)\b[^.?!]{0,40}\b(without|regardless|no matter|skip|bypass|even though|even if)\b/i,
  /\b(as|i am|i'm) (the|a|an) (store )?(owner|admin|manager|staff member|employee|developer)\b[^.?!]{0,80}\b(approve|refund|give|discount|override|authori[sz]e)/i,
  // The shop's other reply languages (fr, de, es): "ignore the previous instructions" (either word order), "you are
  // now", "developer mode", role labels.
  new RegExp(
    String.raw`(?<!\p{L})(?:ignore[zr]?|oublie[zr]?|ignorier(?:e|en|t)?|vergiss|vergessen sie|ignora[rd]?|olvida[rd]?|olvide)(?!\p{L})[^.?!]{0,40}(?:${FOREIGN_QUALIFIER}[^.?!]{0,20}${FOREIGN_RULES}|${FOREIGN_RULES}[^.?!]{0,20}${FOREIGN_QUALIFIER})`,
    "iu",
  ),
  /(?<!\p{L})(tu es|vous [êe]tes) (maintenant|d[ée]sormais)(?!\p{L})|(?<!\p{L})du bist (jetzt|nun|ab sofort)(?!\p{L})|(?<!\p{L})(ahora|desde ahora|a partir de ahora) (eres|es usted)(?!\p{L})/iu,
  /(?<!\p{L})(mode (d[ée]veloppeur|administrateur|admin)|(entwickler|admin|administrator)modus|modo (desarrollador|administrador|admin))(?!\p{L})/iu,
  /^\s*(syst[èe]me|sistema|asistente|assistent)\s*:/imu,
];

export function detectPromptInjection(text: string): boolean {
  return INJECTION_PATTERNS.some((pattern) => pattern.test(text));
}

const MONEY = /(?:[$€£]\s?\d[\d,]*(?:\.\d{1,2})?|\d[\d,]*(?:[.,]\d{1,2})?\s?(?:€|USD|EUR|GBP|CAD|dollars?|euros?|pounds?))/gi;
const PERCENT = /\d{1,3}(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b|pour ?cent\b|prozent\b|por ciento\b)/gi;
// Discount-code-looking tokens: upper-case letters followed by digits, e.g. WELCOME10, SAVE20.
const CODE = /\b[A-Z]{3,}\d{1,3}\b/g;
// Identifiers: upper-case letters and digits mixed (codes like 2FOR1X, tracking numbers like 1Z999AA10123456784)
// and long digit runs (numeric tracking numbers). A model can only know these from a tool result or a passage.
const IDENTIFIER = /(?<![\p{L}\p{N}])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{3,}(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])\d{10,}(?![\p{L}\p{N}])/gu;
// Whatever follows "code"/"coupon"/"promo code" and looks like one (has a capital or a digit), e.g. "code FREESHIP".
const NAMED_CODE =
  /(?<!\p{L})(?:codes?|coupons?|promo(?:tion)?(?: codes?)?|vouchers?|code promo|bon de réduction|gutschein(?:code)?|rabattcode|c[óo]digos?(?: promocional| de descuento)?|cup[óo]n)\s*[:"“”'«»]?\s*([\p{L}\p{N}][\p{L}\p{N}_-]{3,})/giu;
// Invisible characters a model (or an injection) can use to split a banned phrase or a code.
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/g;

/**
 * Claims that an action was carried out, and what a tool result (or passage) must say for the claim to be
 * true. Refusals (`{"error": ...}`) never ground a claim.
 */
const ACTION_CLAIMS: { name: string; claim: RegExp; evidence: RegExp }[] = [
  {
    name: "approved",
    claim:
      /(?<!\p{L})(?:(?:is|are|was|were|has been|have been|got|'s|’s)\s+(?:now\s+|already\s+|just\s+|been\s+|fully\s+)*approved|I(?:'ve|’ve| have)?\s+(?:just\s+|already\s+)?approved|(?:est|a été|sont|ont été)\s+(?:accept[ée]e?s?|approuv[ée]e?s?)|(?:ist|wurde|sind|wurden)\s+(?:\p{L}+\s+)?genehmigt|(?:est[áa]|fue|ha sido|han sido)\s+aprobad[oa]s?)(?!\p{L})/iu,
    evidence: /\bapproved\b/i,
  },
  {
    name: "cancelled",
    claim:
      /(?<!\p{L})(?:(?:is|are|was|were|has been|have been|'s|’s)\s+(?:now\s+|already\s+|just\s+|successfully\s+|been\s+)*cancell?ed|I(?:'ve|’ve| have)?\s+(?:just\s+|already\s+)?cancell?ed|(?:est|a été)\s+annul[ée]e?|(?:ist|wurde)\s+(?:\p{L}+\s+)?storniert|(?:est[áa]|fue|ha sido)\s+cancelad[oa])(?!\p{L})/iu,
    evidence: /\bcancell?ed\b|"cancelledAt":"\d/i,
  },
  {
    name: "refunded",
    claim:
      /(?<!\p{L})(?:(?:is|are|was|were|has been|have been|'s|’s)\s+(?:now\s+|already\s+|just\s+|fully\s+|been\s+)*refunded|I(?:'ve|’ve| have)?\s+(?:just\s+|already\s+)?refunded|refund (?:has been|was|is) (?:issued|processed|sent|approved)|(?:est|a été)\s+rembours[ée]e?|(?:ist|wurde)\s+(?:\p{L}+\s+)?erstattet|(?:fue|ha sido)\s+reembolsad[oa])(?!\p{L})/iu,
    evidence: /\brefunded\b|"refundAmount"|"refunds":\[\{/i,
  },
];

function numbersIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.matchAll(/\d[\d,]*(?:[.,]\d+)?/g)) {
    const normalised = Number(match[0].replace(/,(?=\d{3}\b)/g, "").replace(",", "."));
    if (Number.isFinite(normalised)) out.add(String(normalised));
  }
  return out;
}

/** Lower case, invisible characters removed, runs of spaces and hyphens as one space: "Guaranteed-\u200bDelivery" → "guaranteed delivery". */
function normalisePhrase(text: string): string {
  return text.replace(INVISIBLE, "").toLowerCase().replace(/[\s\-‐‑–—_]+/g, " ");
}

function isRefusal(text: string): boolean {
  if (!text.trimStart().startsWith("{")) return false;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null && "error" in parsed;
  } catch {
    return false;
  }
}

export interface ReplyCheck {
  ok: boolean;
  violations: string[];
}

/**
 * Whether a reply only repeats figures, codes and identifiers found in its grounding (retrieved passages,
 * tool results, settings), claims only actions a tool carried out, and avoids the merchant's banned phrases.
 * Grounding that itself reads like instructions to the assistant (an injection planted in an article) grounds
 * nothing: the figures and codes it contains are treated as invented.
 */
export function checkReply(reply: string, grounding: string[], neverSay: string[]): ReplyCheck {
  return createReplyChecker(grounding, neverSay)(reply);
}

/**
 * checkReply with its grounding read once: the stream gate checks the reply so far at every streamed
 * token, and scanning the passages and tool results for injections and figures each time cost more CPU
 * than everything else in an online turn.
 */
export function createReplyChecker(grounding: string[], neverSay: string[]): (reply: string) => ReplyCheck {
  const banned = neverSay.map((phrase) => ({ phrase, normalised: normalisePhrase(phrase).trim() })).filter((entry) => entry.normalised);
  const trusted = grounding.filter((text) => !detectPromptInjection(text));
  const source = trusted.join("\n");
  const lowerSource = source.toLowerCase();
  const known = numbersIn(source);
  // A percentage must be written as one in the grounding: "$75" does not ground "75% off".
  const knownPercents = new Set([...source.matchAll(PERCENT)].flatMap((match) => [...numbersIn(match[0])]));
  const evidence = trusted.filter((text) => !isRefusal(text)).join("\n");
  const provenClaims = new Set(ACTION_CLAIMS.filter((claim) => claim.evidence.test(evidence)).map((claim) => claim.name));

  return (reply) => {
    const violations: string[] = [];
    const visible = reply.replace(INVISIBLE, "");
    const normalisedReply = normalisePhrase(reply);
    for (const { phrase, normalised } of banned) if (normalisedReply.includes(normalised)) violations.push(`never-say phrase "${phrase}"`);
    for (const [pattern, grounded] of [
      [MONEY, known],
      [PERCENT, knownPercents],
    ] as const) {
      for (const match of visible.matchAll(pattern)) {
        const figures = [...numbersIn(match[0])];
        if (figures.some((figure) => !grounded.has(figure))) violations.push(`ungrounded figure "${match[0].trim()}"`);
      }
    }
    const codes = new Set<string>();
    for (const match of visible.matchAll(CODE)) if (!source.includes(match[0])) codes.add(match[0]);
    for (const match of visible.matchAll(IDENTIFIER)) if (!source.includes(match[0])) codes.add(match[0]);
    for (const match of visible.matchAll(NAMED_CODE)) {
      const token = match[1]!;
      if (/[\p{Lu}\p{N}]/u.test(token) && !lowerSource.includes(token.toLowerCase())) codes.add(token);
    }
    for (const code of codes) violations.push(`ungrounded code "${code}"`);
    for (const { name, claim } of ACTION_CLAIMS) {
      if (provenClaims.has(name)) continue;
      const match = visible.match(claim);
      if (match) violations.push(`unsupported claim "${match[0].trim()}" (no tool result says ${name})`);
    }
    return { ok: violations.length === 0, violations };
  };
}
