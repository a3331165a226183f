import type { PrismaClient } from "@prisma/client";
import type { AssistantProfile } from "../settings.server";

/** What a tool may act on: one shop, one conversation, the identity proven so far. */
export interface ToolContext {
  db: PrismaClient;
  profile: AssistantProfile;
  conversation: {
    id: string;
    /** Set only from a verified app-proxy request (logged_in_customer_id). */
    customerId: string | null;
    /** Orders proven in this conversation (order number + matching email). Mutated as tools verify more. */
    verifiedOrderIds: string[];
  };
  /** Who acts, for the action log: "assistant" or "staff:<id>". */
  actor: string;
  now: Date;
}

/** A tool's answer: data for the reply, or a refusal with a machine-readable code the responder can phrase. */
export type ToolOutcome<T = unknown> =
  | { ok: true; data: T }
  | { ok: false; code: ToolRefusal; message: string; data?: Record<string, unknown> };

export type ToolRefusal =
  | "invalid_arguments"
  | "needs_verification"
  | "verification_failed"
  | "verification_locked"
  | "not_found"
  | "not_eligible"
  | "already_done"
  | "needs_staff";
