import type { OrderCard } from "../../app/modules/storefront/chat-contract";
import { h, vh } from "../dom";
import { safeHttpUrl } from "../message-text";
import { format, type StringKey, type Strings } from "../strings";

/** Order status in the shopper's words: cancellation and refunds first, then the newest shipment, then fulfillment. */
export function orderStatusKey(card: Pick<OrderCard, "status" | "financialStatus" | "fulfillmentStatus" | "shipments">): StringKey {
  if (card.status === "cancelled") return "order_status_cancelled";
  if (card.financialStatus === "refunded") return "order_status_refunded";
  const shipment = card.shipments?.[card.shipments.length - 1];
  switch (shipment?.status) {
    case "label_printed":
    case "in_transit":
    case "out_for_delivery":
    case "delivered":
    case "attempted_delivery":
    case "failure":
      return `order_status_${shipment.status}`;
  }
  if (card.fulfillmentStatus === "fulfilled") return "order_status_fulfilled";
  if (card.fulfillmentStatus === "partial") return "order_status_partial";
  return "order_status_processing";
}

export function formatMoney(amount: string, currency: string, locale: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`.trim();
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`.trim();
  }
}

export function formatDate(iso: string | null | undefined, locale: string): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  try {
    return new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" }).format(date);
  } catch {
    return date.toDateString();
  }
}

export function renderOrderCard(card: OrderCard, strings: Strings, locale: string): HTMLElement {
  const label = format(strings.order_label, { name: card.name });
  const placed = formatDate(card.placedAt, locale);
  const items = Array.isArray(card.items) ? card.items : [];
  const shipments = Array.isArray(card.shipments) ? card.shipments : [];
  return h(
    "div",
    { class: "order", role: "group", "aria-label": label },
    h("p", { class: "order__head" }, h("strong", null, label), " ", h("span", { class: "badge" }, strings[orderStatusKey(card)])),
    placed && h("p", { class: "order__meta" }, format(strings.order_placed, { date: placed })),
    items.length > 0 &&
      h(
        "ul",
        { class: "order__items", "aria-label": strings.order_items },
        ...items.map((item) => h("li", null, `${item.quantity} × ${item.title}${item.variantTitle ? ` (${item.variantTitle})` : ""}`)),
      ),
    h("p", { class: "order__total" }, h("span", null, strings.order_total), " ", h("strong", null, formatMoney(card.total, card.currency, locale))),
    ...shipments.map((shipment) => {
      const delivered = formatDate(shipment.deliveredAt, locale);
      const expected = formatDate(shipment.estimatedDeliveryAt, locale);
      const when = delivered ? format(strings.order_delivered_on, { date: delivered }) : expected ? format(strings.order_expected, { date: expected }) : null;
      const url = safeHttpUrl(shipment.trackingUrl);
      const parts = [shipment.carrier, when].filter((part): part is string => Boolean(part));
      if (!url && parts.length === 0) return null;
      return h(
        "p",
        { class: "order__ship" },
        parts.join(" · "),
        url && parts.length > 0 ? " · " : null,
        url && h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, strings.track_package, vh(` ${strings.new_tab}`)),
      );
    }),
  );
}
