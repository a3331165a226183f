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

/** Luhn checksum: true for a plausible payment card number (13–19 digits). */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

// A card security code named as such: "CVC 123", "cvv: 1234", "code de sécurité 123", "Prüfnummer 123".
const SECURITY_CODE = /\b(cvc2?|cvv2?|cid|security code|card code|code de s[ée]curit[ée]|cryptogramme|pr[üu]fnummer|kartenpr[üu]fnummer|sicherheitscode|c[óo]digo de seguridad)\b(\s*(?:is|est|ist|es)?\s*[:#=-]?\s*)(\d{3,4})\b/giu;
// An expiry date next to card data: "exp 12/27", "expires 12/2027".
const EXPIRY = /\b(exp(?:iry|ires|iration)?|valid thru|ablauf(?:datum)?|date d'expiration|caducidad|vence)\b(\s*[:#=-]?\s*)(\d{1,2}\s*\/\s*\d{2,4})\b/giu;

export interface CardMasking {
  text: string;
  /** True when the message held card data (a Luhn-valid number, or a security code or expiry named as such). */
  masked: boolean;
}

/**
 * Removes payment card data from a shopper's message before it is stored or read: Luhn-valid numbers become
 * "[card number removed]", security codes and expiry dates "[removed]". Other long numbers (order numbers,
 * tracking numbers) fail the Luhn check or are shorter, and stay.
 */
export function maskPaymentCards(text: string): CardMasking {
  let masked = false;
  let out = text.replace(CARD, (match) => {
    const digits = match.replace(/\D/g, "");
    if (!isLuhnValid(digits)) return match;
    masked = true;
    // No digits left behind: "ending 4242" would read as an order number.
    return "[card number removed]";
  });
  if (masked) {
    out = out.replace(SECURITY_CODE, (_match, label: string, gap: string) => `${label}${gap}[removed]`).replace(EXPIRY, (_match, label: string, gap: string) => `${label}${gap}[removed]`);
  } else {
    const before = out;
    out = out.replace(SECURITY_CODE, (_match, label: string, gap: string) => `${label}${gap}[removed]`);
    masked = out !== before;
  }
  return { text: out, masked };
}
