/**
 * Masks personal data before text reaches logs or the action log's free-text fields. Keeps enough to be
 * useful to staff reading a log ("j***@example.com", "•••• 4242") and nothing more.
 */
const EMAIL = /([\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]*@([\p{L}\p{N}.-]+\.[\p{L}]{2,})/gu;
// 13–19 digits with optional spaces/dashes: payment card numbers.
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
// Phone numbers with at least 9 digits: international (+33 6 12 34 56 78, +1 (503) 555-0134), with an area code in
// parentheses ((503) 555-0134), grouped (503-555-0134, 020 7946 0958) and French national (06 12 34 56 78).
const PHONE = new RegExp(
  [
    String.raw`\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,5}`,
    String.raw`\(\d{2,4}\)[\s.-]?\d{3,4}[\s.-]?\d{3,4}`,
    String.raw`\d{2,4}[\s.-]\d{3,4}[\s.-]?\d{3,4}`,
    String.raw`0\d(?:[\s.-]?\d{2}){4}`,
  ]
    .map((form) => `(?<![\\p{L}\\p{N}+#$€£.,])(?:${form})(?![\\p{L}\\p{N}])`)
    .join("|"),
  "gu",
);
// Street addresses: a house number and a street word (English, any case for the long words), "4 rue de la Paix",
// "Hauptstraße 5", "Calle Mayor 12".
const STREET = new RegExp(
  [
    String.raw`\b\d{1,6}[A-Za-z]?\s+(?:[A-Z][\p{L}.'-]*\s+){1,4}(?:(?:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Pkwy|Hwy)\b\.?|(?:Street|Avenue|Road|Boulevard|Lane|Drive|Way|Court|Place|Terrace|Parkway|Highway)\b)`,
    String.raw`\b\d{1,6}[A-Za-z]?\s+(?:[\p{L}.'-]+\s+){1,4}(?:[Ss]treet|STREET|[Aa]venue|[Rr]oad|[Bb]oulevard|[Ll]ane|[Dd]rive|[Cc]ourt|[Tt]errace|[Pp]arkway|[Hh]ighway)\b`,
    String.raw`\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Cc]hemin|[Aa]llée|[Pp]lace|[Ii]mpasse|[Qq]uai|[Rr]oute)\s+(?:[\p{L}'’-]+(?:\s+|(?=[,.;]|$))){1,5}`,
    String.raw`[\p{L}-]*(?:straße|strasse|Straße|Strasse|str\.|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?\b`,
    String.raw`\b(?:[Cc]alle|C\/|[Aa]venida|[Aa]vda\.|[Pp]aseo|[Pp]laza|[Cc]arrera)\s+(?:[\p{L}.'-]+\s+){0,3}[\p{L}.'-]+,?\s+(?:n[º°o]\.?\s*)?\d{1,4}\b`,
  ].join("|"),
  "gu",
);

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
    .replace(STREET, (match) => (/\s$/.test(match) ? "[address] " : "[address]"));
}
