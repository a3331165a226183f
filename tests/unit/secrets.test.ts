import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret } from "~/lib/crypto/secrets.server";

const key = randomBytes(32).toString("base64");

describe("credential encryption", () => {
  it("round-trips and never stores the plaintext", () => {
    const stored = encryptSecret("ck_live_4f1a9c", key);
    expect(stored).not.toContain("ck_live_4f1a9c");
    expect(decryptSecret(stored, key)).toBe("ck_live_4f1a9c");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptSecret("same", key)).not.toBe(encryptSecret("same", key));
  });

  it("refuses a tampered value or the wrong key", () => {
    const stored = encryptSecret("sk_test_123", key);
    const parts = stored.split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret([...parts.slice(0, 3), flipped.toString("base64url")].join("."), key)).toThrow();
    expect(() => decryptSecret(stored, randomBytes(32).toString("base64"))).toThrow();
    expect(() => decryptSecret("plain-text", key)).toThrow(/Unrecognised/);
  });

  it("insists on a 32-byte key", () => {
    expect(() => encryptSecret("x", Buffer.from("short").toString("base64"))).toThrow(/32 bytes/);
  });
});
