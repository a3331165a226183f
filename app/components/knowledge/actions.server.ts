import { json } from "@remix-run/node";
import { KnowledgeError } from "~/modules/knowledge";

/** Who made an edit, for the version history: the staff member when the session knows them. */
export function editorOf(auth: {
  session: { onlineAccessInfo?: { associated_user?: { first_name?: string; last_name?: string; email?: string } } };
  sessionToken?: { sub?: string };
}) {
  const user = auth.session.onlineAccessInfo?.associated_user;
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(" ") || user?.email;
  if (name) return name;
  return auth.sessionToken?.sub ? `Staff #${auth.sessionToken.sub}` : undefined;
}

export function errorResponse(error: unknown) {
  if (!(error instanceof KnowledgeError)) throw error;
  return json({ ok: false as const, notice: null, error: { message: error.message, field: error.field ?? null } }, { status: error.status });
}
