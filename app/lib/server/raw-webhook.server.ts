import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Plumbing shared by the platforms' webhook receivers, which run on plain node:http ahead of Remix so a delivery
 * is verified against its exact raw bytes: POST only, a body cap answered with 413 before reading on, the body
 * collected whole, plain-text replies. What a delivery means stays in each connector.
 */

export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function reply(response: ServerResponse, status: number, message?: string) {
  if (message === undefined) {
    response.writeHead(status).end();
    return;
  }
  response.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(message) }).end(message);
}

/** Answers 413 at once and closes the connection after it, reading (and dropping) whatever is still coming. */
function refuseTooLarge(request: IncomingMessage, response: ServerResponse) {
  response.setHeader("Connection", "close");
  reply(response, 413, "Webhook body too large");
  request.resume();
}

/**
 * Reads a POST's whole body (at most `maxBodyBytes`) and hands it to `accept`. A failure `accept` throws is
 * passed to `onFailure` (which logs it without the body) and answered 500 with `failureMessage`, so the sender
 * retries.
 */
export function receiveRawBody(
  request: IncomingMessage,
  response: ServerResponse,
  options: { maxBodyBytes: number; failureMessage: string; onFailure: (error: unknown) => void },
  accept: (body: Buffer) => Promise<void>,
) {
  if (request.method !== "POST") {
    response.setHeader("Allow", "POST");
    return reply(response, 405, "POST only");
  }
  const { maxBodyBytes } = options;
  if (Number(request.headers["content-length"] ?? 0) > maxBodyBytes) return refuseTooLarge(request, response);
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBodyBytes) {
      request.off("data", collect);
      refuseTooLarge(request, response);
      return;
    }
    chunks.push(chunk);
  };
  request.on("data", collect);
  request.on("end", () => {
    if (size > maxBodyBytes) return;
    accept(Buffer.concat(chunks, size)).catch((error: unknown) => {
      options.onFailure(error);
      if (!response.headersSent) reply(response, 500, options.failureMessage);
    });
  });
  // A sender that hangs up mid-body gets no answer; nothing was recorded.
  request.on("error", () => {});
}
