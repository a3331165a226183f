/**
 * Reads a new shipping address the shopper typed ("12 Alder Street, Apt 4B, Portland OR 97209") into the
 * platform's address fields. Only common layouts are read (US, Canada, UK, and "postcode city" as in most of
 * Europe); anything else returns null, and a person applies the change instead of a guess.
 */

export interface TypedAddress {
  address1: string;
  address2?: string;
  city: string;
  provinceCode?: string;
  zip?: string;
  /** Only when the shopper named the country; otherwise the order's current country applies. */
  countryCode?: string;
}

const COUNTRIES: Record<string, string> = {
  us: "US",
  usa: "US",
  "united states": "US",
  "united states of america": "US",
  canada: "CA",
  uk: "GB",
  "united kingdom": "GB",
  "great britain": "GB",
  england: "GB",
  france: "FR",
  germany: "DE",
  deutschland: "DE",
  allemagne: "DE",
  spain: "ES",
  españa: "ES",
  espagne: "ES",
  spanien: "ES",
};

const HOUSE_NUMBER_FIRST = /(?<![\p{L}\p{N}#])(\d+[a-z]?\s+\p{L}[\p{L}\p{N} .'-]*)$/iu;
const STREET_NAME_FIRST = /^(\p{L}[\p{L} .'-]*\s\d+[a-z]?)$/iu;

/** The street line, at the end of the first segment: "please ship it to 12 Alder Street" → "12 Alder Street". */
function streetLine(segment: string): string | undefined {
  const numbered = segment.match(HOUSE_NUMBER_FIRST)?.[1];
  if (numbered) return numbered.trim();
  const afterLead = segment.replace(/^.*?(?:\bto\b|\bà\b|\bnach\b|\ba\b|:)\s+/iu, "");
  return afterLead.match(STREET_NAME_FIRST)?.[1]?.trim();
}

type Locality = { city: string; provinceCode?: string; zip?: string; countryCode?: string; usesPrevious?: boolean };

function locality(segment: string): Locality | undefined {
  let match = segment.match(/^(.+?)\s+([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$/);
  if (match) return { city: match[1]!, provinceCode: match[2]!, zip: match[3]! };
  match = segment.match(/^([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$/);
  if (match) return { city: "", provinceCode: match[1]!, zip: match[2]!, usesPrevious: true };
  match = segment.match(/^(.+?)\s+([A-Z]{2})\s+([A-Z]\d[A-Z]\s?\d[A-Z]\d)$/i);
  if (match) return { city: match[1]!, provinceCode: match[2]!.toUpperCase(), zip: match[3]!.toUpperCase(), countryCode: "CA" };
  match = segment.match(/^(\d{4,5})\s+(\p{L}.*)$/u);
  if (match) return { city: match[2]!, zip: match[1]! };
  match = segment.match(/^(\p{L}.*?)\s+([A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})$/iu);
  if (match) return { city: match[1]!, zip: match[2]!.toUpperCase(), countryCode: "GB" };
  return undefined;
}

export function parseTypedAddress(text: string): TypedAddress | null {
  const segments = text
    .replace(/[.!]+$/, "")
    .split(/[,\n;]+/)
    .map((segment) => segment.trim().replace(/\s+/g, " "))
    .filter(Boolean);
  if (segments.length < 2) return null;
  let countryCode: string | undefined;
  const named = COUNTRIES[segments.at(-1)!.toLowerCase()];
  if (named) {
    countryCode = named;
    segments.pop();
  }
  const address1 = streetLine(segments[0]!);
  if (!address1 || segments.length < 2) return null;
  const found = locality(segments.at(-1)!);
  if (!found) return null;
  let middle = segments.slice(1, -1);
  let city = found.city;
  if (found.usesPrevious) {
    if (middle.length === 0) return null;
    city = middle.at(-1)!;
    middle = middle.slice(0, -1);
  }
  if (!city.trim()) return null;
  return {
    address1,
    ...(middle.length > 0 ? { address2: middle.join(", ") } : {}),
    city: city.trim(),
    ...(found.provinceCode ? { provinceCode: found.provinceCode } : {}),
    ...(found.zip ? { zip: found.zip } : {}),
    ...((countryCode ?? found.countryCode) ? { countryCode: countryCode ?? found.countryCode } : {}),
  };
}

/** A house number plus words, or a postcode: enough to take as a new address (a person or the parser checks it). */
export function looksLikeAddress(text: string): boolean {
  return /\d+\s+\p{L}{2,}/u.test(text) && text.replace(/[^\p{L}]/gu, "").length >= 8;
}
