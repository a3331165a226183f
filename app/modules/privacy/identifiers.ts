/**
 * What identifies a customer in free text and JSON (e-mail addresses, phone numbers, names, street lines), as
 * PostgreSQL regular expressions (ARE, matched case-insensitively with `~*` and `regexp_replace(…, 'gi')`), so
 * redaction can find and scrub them in any text or JSON column in SQL.
 */

export interface CustomerIdentifiers {
  emails: string[];
  phones: string[];
  /** Given and family names, each alone. */
  names: string[];
  /** "Given Family" as written together. */
  fullNames: string[];
  /** Street lines of the customer's addresses. */
  addressLines: string[];
}

export const REDACTED = "[redacted]";

const MIN_PHONE_DIGITS = 7;
const MIN_NAME_CHARS = 2;
const MIN_ADDRESS_CHARS = 5;
/** Separators people and platforms write inside phone numbers. */
const PHONE_SEPARATORS = "[-. ()/]*";

/** The value as a literal in an ARE: regex syntax escaped, any run of whitespace matching any other. */
function literal(value: string): string {
  return value
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&"))
    .join("\\s+");
}

/**
 * A phone number in any common writing: "+1 (503) 555-0142", "503.555.0142", "+15035550142". The national
 * part (up to the last 10 digits) must match whole, optionally behind a country or trunk prefix, and not
 * inside a longer number.
 */
export function phonePattern(phone: string): string | null {
  const digits = phone.replace(/\D/g, "");
  if (digits.length < MIN_PHONE_DIGITS) return null;
  const national = digits.slice(-10);
  return `(?<![0-9])(?:\\+?[0-9]{1,3}${PHONE_SEPARATORS})?${national.split("").join(PHONE_SEPARATORS)}(?![0-9])`;
}

/** One pattern matching any of the given ones (nulls skipped); null when there are none. */
export function anyOf(parts: (string | null)[]): string | null {
  const unique = [...new Set(parts.filter((part): part is string => Boolean(part)))];
  // Longest first, so a full name is replaced whole rather than a name inside it.
  unique.sort((a, b) => b.length - a.length);
  return unique.length > 0 ? `(?:${unique.join("|")})` : null;
}

const word = (value: string) => `\\m${literal(value)}\\M`;

/**
 * What is unique enough to scrub wherever it appears in the shop: e-mail addresses, phone numbers and full
 * names. A given name alone is not (another customer may share it).
 */
export function shopWidePattern(ids: CustomerIdentifiers): string | null {
  return anyOf([
    ...ids.emails.filter((email) => email.includes("@")).map(literal),
    ...ids.phones.map(phonePattern),
    ...ids.fullNames.filter((name) => name.trim().length >= MIN_NAME_CHARS * 2 + 1).map(word),
  ]);
}

/** Everything of the customer's, for rows that are about them (their orders, conversations, actions). */
export function customerPattern(ids: CustomerIdentifiers): string | null {
  return anyOf([
    shopWidePattern(ids),
    ...ids.names.filter((name) => name.trim().length >= MIN_NAME_CHARS).map(word),
    ...ids.addressLines.filter((line) => line.trim().length >= MIN_ADDRESS_CHARS).map(literal),
  ]);
}

const clean = (values: (string | null | undefined)[]) => [...new Set(values.map((value) => value?.trim() ?? "").filter((value) => value && value !== "null"))];

/** Collects identifiers from customer rows and order addresses (REST or GraphQL field names). */
export function collectIdentifiers(input: {
  emails: (string | null | undefined)[];
  customers: { email: string | null; firstName: string | null; lastName: string | null; phone: string | null }[];
  addresses: unknown[];
  extraNames?: (string | null | undefined)[];
}): CustomerIdentifiers {
  const names: (string | null | undefined)[] = [...(input.extraNames ?? [])];
  const fullNames: (string | null | undefined)[] = [];
  const phones: (string | null | undefined)[] = [];
  const addressLines: (string | null | undefined)[] = [];
  const emails: (string | null | undefined)[] = [...input.emails];
  for (const customer of input.customers) {
    emails.push(customer.email);
    phones.push(customer.phone);
    names.push(customer.firstName, customer.lastName);
    if (customer.firstName && customer.lastName) fullNames.push(`${customer.firstName} ${customer.lastName}`);
  }
  for (const address of input.addresses) {
    if (!address || typeof address !== "object") continue;
    const field = (...keys: string[]) => {
      for (const key of keys) {
        const value = (address as Record<string, unknown>)[key];
        if (typeof value === "string") return value;
      }
      return null;
    };
    const first = field("first_name", "firstName");
    const last = field("last_name", "lastName");
    names.push(first, last);
    if (first && last) fullNames.push(`${first} ${last}`);
    fullNames.push(field("name"));
    phones.push(field("phone"));
    addressLines.push(field("address1"), field("address2"));
  }
  for (const full of fullNames) names.push(...(full?.split(/\s+/) ?? []));
  return {
    emails: clean(emails).map((email) => email.toLowerCase()),
    phones: clean(phones),
    names: clean(names),
    fullNames: clean(fullNames).filter((name) => /\s/.test(name)),
    addressLines: clean(addressLines),
  };
}
