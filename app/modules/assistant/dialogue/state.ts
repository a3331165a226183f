import type { ItemCondition } from "../tools/actions.server";
import type { OrderAspect } from "./acts";

/**
 * The conversation's dialogue state, carried from one assistant turn to the next (stored on the assistant's
 * message as `metadata.memory`): the flow under way with its filled slots, the question the assistant asked
 * and is waiting on, and what is under discussion. Each turn reads it, decides what the message means in its
 * light (./plan.ts), and writes the next one.
 */

/** What the shopper wants done or known about one order. */
export type FlowKind = "status" | "refunds" | "return" | "cancel" | "address";

export interface Flow {
  kind: FlowKind;
  orderName?: string;
  /** The checkout email the shopper gave for this order (kept only until it verifies). */
  email?: string;
  /** Return: the items and quantities the shopper named (line item ids). */
  items?: { id: string; title: string; quantity?: number }[];
  /** Return: the order's returnable lines, once known, for naming items in the next message. */
  choices?: { id: string; title: string; quantity: number }[];
  condition?: ItemCondition;
  /** What the shopper said when the flow started (the return or cancellation reason). */
  reason?: string;
  newAddress?: string;
  /** Status: the one detail a follow-up asked for. */
  aspect?: OrderAspect;
}

/** The question the assistant asked last and the next message may answer. */
export type PendingQuestion = "order" | "email" | "items" | "address" | "confirm" | "human_offer";

export interface DialogueState {
  /** The order under discussion: follow-ups ("when will it arrive?") are about it. */
  focusOrderName?: string;
  /** The product under discussion: "is it waterproof?" is about it. */
  focusProductId?: string;
  flow?: Flow;
  pending?: PendingQuestion;
  /** The action a chat model last showed the shopper for a yes (tool and canonical arguments): only that one may run on the yes. */
  previewedAction?: PreviewedAction;
}

export interface PreviewedAction {
  tool: string;
  args: string;
}

export const FLOW_INTENTS: Record<FlowKind, string> = {
  status: "track_order",
  refunds: "track_refund",
  return: "get_refund",
  cancel: "cancel_order",
  address: "change_shipping_address",
};

const FLOW_KINDS = new Set<string>(Object.keys(FLOW_INTENTS));
const PENDING = new Set<string>(["order", "email", "items", "address", "confirm", "human_offer"]);

/** The state stored on an assistant message; tolerant of older messages and of anything malformed. */
export function readDialogueState(stored: unknown): DialogueState {
  if (!stored || typeof stored !== "object") return {};
  const value = stored as Record<string, unknown>;
  const text = (field: unknown) => (typeof field === "string" && field.length > 0 && field.length <= 500 ? field : undefined);
  const state: DialogueState = {};
  if (text(value.focusOrderName)) state.focusOrderName = text(value.focusOrderName);
  if (text(value.focusProductId)) state.focusProductId = text(value.focusProductId);
  const flow = value.flow as Record<string, unknown> | undefined;
  if (flow && typeof flow === "object" && typeof flow.kind === "string" && FLOW_KINDS.has(flow.kind)) state.flow = flow as unknown as Flow;
  if (typeof value.pending === "string" && PENDING.has(value.pending)) state.pending = value.pending as PendingQuestion;
  const previewed = value.previewedAction as Record<string, unknown> | undefined;
  if (previewed && typeof previewed === "object" && text(previewed.tool) && typeof previewed.args === "string" && previewed.args.length <= 4_000) {
    state.previewedAction = { tool: previewed.tool as string, args: previewed.args };
  }
  // Messages stored before the dialogue state: `awaiting` named the intent waiting on verification or an address.
  const awaiting = value.awaiting as { kind?: string; intent?: string; orderName?: string; email?: string } | undefined;
  if (!state.flow && awaiting && typeof awaiting === "object") {
    const kind = (Object.keys(FLOW_INTENTS) as FlowKind[]).find((candidate) => FLOW_INTENTS[candidate] === awaiting.intent);
    if (kind) {
      state.flow = { kind, orderName: text(awaiting.orderName), email: text(awaiting.email) };
      state.pending = awaiting.kind === "address" ? "address" : awaiting.orderName ? "email" : "order";
    }
  }
  return state;
}

/** The shopper is being asked to prove an order (the widget offers its verification form then). */
export function awaitsVerification(state: DialogueState): boolean {
  return state.pending === "order" || state.pending === "email";
}
