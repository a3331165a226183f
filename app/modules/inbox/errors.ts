/** A staff request the inbox refuses, with the HTTP status the route answers and the field at fault. */
export class InboxError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 413,
    readonly field?: string,
    /** Machine-readable reason, e.g. "new_messages" for a reply drafted before the shopper wrote again. */
    readonly code?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "InboxError";
  }
}
