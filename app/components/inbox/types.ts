/* What the inbox components receive: the inbox module's shapes as JSON (dates are ISO strings already). */
export type { InboxRow } from "~/modules/inbox";

export interface StaffOption {
  id: string;
  name: string;
  email?: string;
}

/** How a conversation's shopper is named in the list and the header. */
export function shopperName(customer: { name: string | null; email: string | null }): string {
  return customer.name ?? customer.email ?? "Anonymous shopper";
}
