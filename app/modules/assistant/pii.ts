/**
 * Masks personal data before text reaches logs or the action log's free-text fields. Keeps enough to be
 * useful to staff reading a log ("j***@example.com", "•••• 4242") and nothing more.
 */
const EMAIL = /([\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]*@([\p{L}\p{N}.-]+\.[\p{L}]{2,})/gu;
// 13–19 digits with optional spaces/dashes: payment card numbers.
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
// Phone numbers: +country or (area) forms with at least 9 digits.
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{3,4}\b/g;
// Street addresses: a house number followed by a street word.
const STREET = /\b\d{1,6}\s+(?:[A-Z][\p{L}.'-]*\s+){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Way|Ct|Court|Pl|Place|Terrace|Pkwy)\b\.?/gu;

export function maskEmail(email: string): string {
  return email.replace(EMAIL, (_match, first: string, domain: string) => `${first}***@${domain}`);
}

export function maskPii(text: string): string {
  return text
    .replace(EMAIL, (_match, first: string, domain: string) => `${first}***@${domain}`)
    .replace(CARD, (match) => {
      const digits = match.replace(/\D/g, "");
      return digits.length >= 13 ? `•••• ${digits.slice(-4)}` : match;
    })
    .replace(PHONE, (match) => (match.replace(/\D/g, "").length >= 9 ? "[phone]" : match))
    .replace(STREET, "[address]");
}
