/**
 * Checks around the chat model. The tools enforce policy on actions whatever is said; these checks keep the
 * words honest: no prices, discounts or codes the merchant did not write, none of the merchant's "never say"
 * phrases, and a flag on messages that try to rewrite the assistant's instructions.
 */

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
];

export function detectPromptInjection(text: string): boolean {
  return INJECTION_PATTERNS.some((pattern) => pattern.test(text));
}

const MONEY = /(?:[$€£]\s?\d[\d,]*(?:\.\d{1,2})?|\d[\d,]*(?:[.,]\d{1,2})?\s?(?:€|USD|EUR|GBP|CAD|dollars?|euros?|pounds?))/gi;
const PERCENT = /\d{1,3}(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b|pour ?cent\b|prozent\b|por ciento\b)/gi;
// Discount-code-looking tokens: upper-case letters followed by digits, e.g. WELCOME10, SAVE20.
const CODE = /\b[A-Z]{3,}\d{1,3}\b/g;

function numbersIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.matchAll(/\d[\d,]*(?:[.,]\d+)?/g)) {
    const normalised = Number(match[0].replace(/,(?=\d{3}\b)/g, "").replace(",", "."));
    if (Number.isFinite(normalised)) out.add(String(normalised));
  }
  return out;
}

export interface ReplyCheck {
  ok: boolean;
  violations: string[];
}

/**
 * Whether a reply only repeats figures and codes found in its grounding (retrieved passages, tool results,
 * settings) and avoids the merchant's banned phrases.
 */
export function checkReply(reply: string, grounding: string[], neverSay: string[]): ReplyCheck {
  const violations: string[] = [];
  const lowerReply = reply.toLowerCase();
  for (const banned of neverSay) {
    if (banned.trim() && lowerReply.includes(banned.trim().toLowerCase())) violations.push(`never-say phrase "${banned}"`);
  }
  const source = grounding.join("\n");
  const known = numbersIn(source);
  for (const match of [...reply.matchAll(MONEY), ...reply.matchAll(PERCENT)]) {
    const figures = [...numbersIn(match[0])];
    if (figures.some((figure) => !known.has(figure))) violations.push(`ungrounded figure "${match[0].trim()}"`);
  }
  for (const match of reply.matchAll(CODE)) {
    if (!source.includes(match[0])) violations.push(`ungrounded code "${match[0]}"`);
  }
  return { ok: violations.length === 0, violations };
}
