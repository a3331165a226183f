/**
 * Removes credentials from a line before it is logged: JSON Web Tokens (Shopify's session and id tokens),
 * Shopify access and refresh tokens, bearer credentials, Shopdesk's encrypted values, and the query parameters
 * that carry them (id_token, session, hmac, signature, access_token, refresh_token, code).
 */
const PATTERNS: [RegExp, string][] = [
  [/\b(id_token|session|hmac|signature|access_token|refresh_token|code|client_secret)=[^&\s"',}]+/gi, "$1=[redacted]"],
  [/\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g, "[redacted jwt]"],
  [/\bshp(?:at|ua|ca|pa|ss|rt|pat)_[\w-]+/g, "[redacted shopify token]"],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, "$1 [redacted]"],
  [/\bv1\.[\w-]{8,}\.[\w-]{8,}\.[\w-]+/g, "[redacted encrypted value]"],
];

export function redactSecrets(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of PATTERNS) redacted = redacted.replace(pattern, replacement);
  return redacted;
}
