import { describe, expect, it } from "vitest";
import { encryptSecret } from "~/lib/crypto/secrets.server";
import { redactSecrets } from "~/lib/server/redact-secrets";

describe("redactSecrets (log lines)", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL3Nob3AiLCJzdWIiOiI0MiJ9.c2lnbmF0dXJlLWJ5dGVz";

  it("removes session tokens, Shopify tokens, bearer credentials, encrypted values and secret query parameters", () => {
    const sealed = encryptSecret("shpat_0123456789abcdef", Buffer.alloc(32, 1).toString("base64"));
    const line = [
      `[shopify-app/DEBUG] Attempting to authenticate session token | {sessionToken: {"header":"${jwt}","search":null}}`,
      "access shpat_0123456789abcdef refresh shprt_fedcba9876543210 online shpua_aaaabbbbccccdddd",
      "Authorization: Bearer some.opaque-token_value",
      `stored ${sealed}`,
      "GET /app?embedded=1&id_token=abc.def.ghi&hmac=deadbeef&shop=x.myshopify.com&session=s3cr3t&host=aG9zdA",
    ].join("\n");
    const redacted = redactSecrets(line);
    for (const secret of [jwt, "shpat_0123456789abcdef", "shprt_fedcba9876543210", "shpua_aaaabbbbccccdddd", "some.opaque-token_value", sealed, "abc.def.ghi", "deadbeef", "s3cr3t"]) {
      expect(redacted).not.toContain(secret);
    }
    // What helps reading the log stays.
    expect(redacted).toContain("Attempting to authenticate session token");
    expect(redacted).toContain("shop=x.myshopify.com");
    expect(redacted).toContain("host=aG9zdA");
    expect(redacted).toContain("embedded=1");
  });

  it("leaves ordinary lines alone", () => {
    const line = "[shopify-app/INFO] Authenticating admin request | {shop: demo.myshopify.com, sessionId: offline_demo.myshopify.com}";
    expect(redactSecrets(line)).toBe(line);
  });
});
