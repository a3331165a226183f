import { Session } from "@shopify/shopify-app-remix/server";
import type { SecretBox } from "~/lib/crypto/secrets.server";

/** The five calls Shopify's library makes on a session storage (its SessionStorage interface). */
export interface SessionStore {
  storeSession(session: Session): Promise<boolean>;
  loadSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessions(ids: string[]): Promise<boolean>;
  findSessionsByShop(shop: string): Promise<Session[]>;
}

/**
 * Shopify's session storage with the access and refresh tokens encrypted at rest (AES-256-GCM with
 * ENCRYPTION_KEY): sealed on store, opened on load. Rows stored before encryption still load, and are sealed
 * the next time the library stores them (or by `npm run -s cli -- secrets rotate`). A token that no key opens
 * fails loudly (SecretDecryptionError) instead of being handed to Shopify.
 */
export class EncryptedSessionStorage implements SessionStore {
  constructor(
    private readonly inner: SessionStore,
    private readonly box: SecretBox,
  ) {}

  storeSession(session: Session): Promise<boolean> {
    // A copy: the library keeps using the session it passed, with its plaintext tokens.
    const sealed = new Session(session.toObject());
    if (session.accessToken) sealed.accessToken = this.box.seal(session.accessToken);
    if (session.refreshToken) sealed.refreshToken = this.box.seal(session.refreshToken);
    return this.inner.storeSession(sealed);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const session = await this.inner.loadSession(id);
    return session && this.opened(session);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await this.inner.findSessionsByShop(shop)).map((session) => this.opened(session));
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  private opened(session: Session): Session {
    if (session.accessToken) session.accessToken = this.box.open(session.accessToken, `The access token of session ${session.id}`).plaintext;
    if (session.refreshToken) session.refreshToken = this.box.open(session.refreshToken, `The refresh token of session ${session.id}`).plaintext;
    return session;
  }
}
