import { json } from "@remix-run/node";
import { KnowledgeError } from "~/modules/knowledge";

export function errorResponse(error: unknown) {
  if (!(error instanceof KnowledgeError)) throw error;
  return json({ ok: false as const, notice: null, error: { message: error.message, field: error.field ?? null } }, { status: error.status });
}
