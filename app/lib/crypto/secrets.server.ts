import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { type Env, getEnv } from "~/env.server";

/**
 * Encryption at rest for secrets in the database (Shopify access and refresh tokens in Session, integration
 * credentials): AES-256-GCM with a random 96-bit IV per value; the auth tag makes any tampering or a wrong key
 * fail loudly. Stored as `v1.<iv>.<tag>.<ciphertext>` (base64url), so the scheme can change later.
 */
const VERSION = "v1";

function keyBytes(keyBase64: string) {
  const key = Buffer.from(keyBase64, "base64");
  if (key.length !== 32) throw new Error("ENCRYPTION_KEY must be 32 bytes, base64-encoded");
  return key;
}

export function encryptSecret(plaintext: string, keyBase64: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyBytes(keyBase64), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

export function decryptSecret(stored: string, keyBase64: string): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error("Unrecognised encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", keyBytes(keyBase64), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

export function isEncryptedSecret(stored: string): boolean {
  return stored.startsWith(`${VERSION}.`);
}

/** A stored value that neither key opens: the key is wrong or the value was altered. Never carries the value. */
export class SecretDecryptionError extends Error {
  constructor(what: string) {
    super(`${what} could not be decrypted with ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS: the key is wrong or the stored value was altered`);
    this.name = "SecretDecryptionError";
  }
}

export interface OpenedSecret {
  plaintext: string;
  /** Not encrypted with the current key: stored before encryption (plaintext), or with the previous key. */
  stale: boolean;
}

/**
 * Encrypts with the current key, decrypts with the current or the previous one (key rotation: deploy the new
 * key with the old one as ENCRYPTION_KEY_PREVIOUS, re-encrypt with `npm run -s cli -- secrets rotate`, then drop
 * the old key). Values stored before encryption at rest (no `v1.` prefix) are read as they are.
 */
export class SecretBox {
  private readonly keys: string[];

  constructor(keys: { current: string; previous?: string }) {
    this.keys = [keys.current, ...(keys.previous && keys.previous !== keys.current ? [keys.previous] : [])];
    for (const key of this.keys) keyBytes(key); // a malformed key fails at start-up, not at the first secret
  }

  seal(plaintext: string): string {
    return encryptSecret(plaintext, this.keys[0]!);
  }

  /** `what` names the value in the error (a row id, never the value). */
  open(stored: string, what = "A stored secret"): OpenedSecret {
    if (!isEncryptedSecret(stored)) return { plaintext: stored, stale: true };
    for (const [index, key] of this.keys.entries()) {
      try {
        return { plaintext: decryptSecret(stored, key), stale: index > 0 };
      } catch {
        // try the next key
      }
    }
    throw new SecretDecryptionError(what);
  }
}

/** The box for this process's keys: ENCRYPTION_KEY (the development key when unset), ENCRYPTION_KEY_PREVIOUS. */
export function secretBoxFromEnv(env: Env = getEnv()): SecretBox {
  return new SecretBox({ current: env.encryptionKey, previous: env.encryptionKeyPrevious });
}
