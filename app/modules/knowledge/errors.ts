/** A problem with the merchant's input or request, with the HTTP status a route should answer. */
export class KnowledgeError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 413 | 415 = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = "KnowledgeError";
  }
}
