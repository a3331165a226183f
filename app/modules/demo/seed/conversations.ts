import type { Prisma } from "@prisma/client";
import { STAFF, STORE_FACTS } from "../seed-data";
import { DAY, formatDate, HOUR, MINUTE } from "./calendar";
import { variantAvailable } from "./catalogue";
import type { GenCustomer, GenOrder } from "./model";
import { dollars, money } from "./money";
import { at, latestOf } from "./random";
import { ORIGIN } from "./shipments";

export interface ConvMessage {
  author: "shopper" | "assistant" | "staff" | "system";
  body: string;
  at: number;
  visibility?: "public" | "internal";
  staffEmail?: string;
  intent?: string;
  confidence?: number;
  metadata?: Prisma.InputJsonValue;
}

export interface ConvSpec {
  key: string;
  customer: GenCustomer | null;
  shopperName: string;
  shopperEmail: string | null;
  subject: string;
  language: string;
  status: "open" | "waiting_on_staff" | "waiting_on_shopper" | "resolved" | "closed";
  priority: "low" | "normal" | "high" | "urgent";
  handledByHuman: boolean;
  assigneeEmail?: string;
  verified: GenOrder[];
  lastIntent: string;
  sentiment: number;
  summary?: string;
  escalatedAt?: number;
  escalationReason?: string;
  resolvedAt?: number;
  csatScore?: number;
  csatComment?: string;
  messages: ConvMessage[];
}

const ADDRESS_CHANGE = { apartment: "Apt 4B", askedAfter: 14 * MINUTE, answeredAfter: 38 * MINUTE };

const unshippedPaid = (now: number, order: GenOrder) =>
  !order.guest &&
  order.customer.place.countryCode === "US" &&
  order.status === "open" &&
  order.fulfillment === "unfulfilled" &&
  order.financial === "paid" &&
  !order.address.address2 &&
  order.placedAt < now - 3 * HOUR;

/**
 * The shopper of the newest unshipped order asked to add an apartment number, and staff changed the address in
 * Shopify: the order's payload carries the new address and a later updated_at. Applied before payloads are built.
 */
export function planAddressChange(now: number, orders: GenOrder[]): GenOrder | undefined {
  const order = latestOf(
    orders.filter((candidate) => unshippedPaid(now, candidate)),
    (candidate) => candidate.placedAt,
  );
  if (!order) return undefined;
  order.address.address2 = ADDRESS_CHANGE.apartment;
  order.updatedAt = Math.max(order.updatedAt, order.placedAt + ADDRESS_CHANGE.askedAfter + ADDRESS_CHANGE.answeredAfter);
  return order;
}

export interface ConversationContext {
  now: number;
  orders: GenOrder[];
  customers: GenCustomer[];
  articles: Map<string, { id: string; title: string }>;
  /** The stored id of an order (conversations refer to orders by id). */
  orderId: (order: GenOrder) => string;
  addressChange: GenOrder | undefined;
}

/** Seven support conversations about the generated orders: resolved, escalated, waiting, in French, from a guest. */
export function buildConversations({ now, orders, customers, articles: articleIds, orderId, addressChange }: ConversationContext): ConvSpec[] {
  const cite = (...slugs: string[]) =>
    slugs.flatMap((slug) => {
      const article = articleIds.get(slug);
      return article ? [{ sourceId: article.id, title: article.title }] : [];
    });
  const specs: ConvSpec[] = [];
  const withCustomer = orders.filter((order) => !order.guest && order.customer.place.countryCode === "US");
  const minutes = (n: number) => n * MINUTE;

  // 1. Where is my order? Resolved by the assistant, rated 5.
  const inTransit = latestOf(
    withCustomer.filter(
      (order) =>
        order.fulfillment === "fulfilled" &&
        order.shipments.length === 1 &&
        order.shipments[0]?.status === "in_transit" &&
        (order.shipments[0]?.shippedAt ?? now) < now - 6 * HOUR,
    ),
    (order) => order.placedAt,
  );
  if (inTransit) {
    const shipment = at(inTransit.shipments, 0);
    const t0 = Math.round(shipment.shippedAt + (now - shipment.shippedAt) * 0.6);
    const latest = latestOf(
      shipment.events.filter((event) => event.at <= t0),
      (event) => event.at,
    );
    const customer = inTransit.customer;
    specs.push({
      key: "wismo",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Where is order ${inTransit.name}?`,
      language: "en",
      status: "resolved",
      priority: "normal",
      handledByHuman: false,
      verified: [inTransit],
      lastIntent: "order_status",
      sentiment: 0.4,
      resolvedAt: t0 + minutes(12),
      csatScore: 5,
      csatComment: "Quick and easy, thanks!",
      messages: [
        { author: "shopper", at: t0, intent: "order_status", confidence: 0.97, body: `Hi! Where is my order ${inTransit.name}? I need it before my trip this weekend.` },
        { author: "assistant", at: t0 + 4_000, body: "Happy to check! To keep your order details private, could you confirm the email address you used at checkout?" },
        { author: "shopper", at: t0 + minutes(1), intent: "verify_identity", confidence: 0.99, body: customer.email },
        {
          author: "assistant",
          at: t0 + minutes(1) + 5_000,
          confidence: 0.94,
          body: `Thanks, ${customer.firstName}! Order ${inTransit.name} shipped on ${formatDate(shipment.shippedAt)} with ${shipment.carrier} (tracking ${at(shipment.trackingNumbers, 0)}). Latest update: "${latest?.message ?? "Shipping label created"}" in ${latest?.location ?? ORIGIN}. ${shipment.carrier} currently estimates delivery on ${formatDate(shipment.estimatedAt)}. You can follow it here: ${at(shipment.trackingUrls, 0)}`,
          metadata: {
            toolCalls: [{ name: "lookup_order", input: { orderName: inTransit.name, email: customer.email } }],
            orderCard: {
              orderId: orderId(inTransit),
              name: inTransit.name,
              fulfillmentStatus: inTransit.fulfillment,
              carrier: shipment.carrier,
              trackingNumber: at(shipment.trackingNumbers, 0),
              trackingUrl: at(shipment.trackingUrls, 0),
              estimatedDeliveryAt: new Date(shipment.estimatedAt).toISOString(),
            },
            citations: cite("order-tracking"),
          },
        },
        { author: "shopper", at: t0 + minutes(3), intent: "thanks", confidence: 0.95, body: "Perfect, that works. Thanks!" },
        {
          author: "assistant",
          at: t0 + minutes(3) + 4_000,
          body: "You're welcome, have a great trip! If the tracking stops updating for 5 business days, message us here and we'll open a trace with the carrier.",
          metadata: { citations: cite("shipping-delays") },
        },
      ],
    });
  }

  // 2. Damaged item, refund above the auto-approve limit: escalated, waiting on staff, high priority.
  const deliveredPaid = withCustomer.filter(
    (order) => order.status === "closed" && order.financial === "paid" && order.shipments.every((s) => s.deliveredAt !== null),
  );
  const lastDelivery = (order: GenOrder) => Math.max(...order.shipments.map((s) => s.deliveredAt ?? 0));
  const damaged =
    latestOf(
      deliveredPaid.filter(
        (order) =>
          order.lines.some((line) => line.product.def.productType === "Tents") && lastDelivery(order) < now - 6 * HOUR && lastDelivery(order) > now - 7 * DAY,
      ),
      lastDelivery,
    ) ??
    latestOf(
      deliveredPaid.filter((order) => order.total > 10_000 && lastDelivery(order) < now - 6 * HOUR),
      lastDelivery,
    );
  if (damaged) {
    const customer = damaged.customer;
    const line = damaged.lines.find((l) => l.product.def.productType === "Tents") ?? at(damaged.lines, 0);
    const isTent = line.product.def.productType === "Tents";
    const problem = isTent ? "one of the pole sections is snapped clean through" : "the main zipper pulled apart along one side";
    const t0 = Math.round(Math.min(lastDelivery(damaged) + 3 * HOUR, now - 2 * HOUR));
    const handoffAt = t0 + minutes(6);
    specs.push({
      key: "damaged-escalated",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Damaged ${line.product.def.title} (${damaged.name})`,
      language: "en",
      status: "waiting_on_staff",
      priority: "high",
      handledByHuman: true,
      assigneeEmail: at(STAFF, 2).email,
      verified: [damaged],
      lastIntent: "damaged_item",
      sentiment: -0.6,
      summary: `${customer.firstName}'s ${line.product.def.title} from ${damaged.name} arrived damaged (${problem}). Photos provided within the 7-day window. Wants a full refund of ${dollars(damaged.total)}, above the ${dollars(STORE_FACTS.autoApproveRefundLimit * 100)} auto-approve limit.`,
      escalatedAt: handoffAt,
      escalationReason: `Refund request of ${dollars(damaged.total)} is above the ${dollars(STORE_FACTS.autoApproveRefundLimit * 100)} auto-approve limit (damaged item, photos attached).`,
      messages: [
        {
          author: "shopper",
          at: t0,
          intent: "damaged_item",
          confidence: 0.93,
          body: `My ${line.product.def.title} arrived and ${problem}. I'm leaving for a trip on Friday. This is really frustrating.`,
        },
        {
          author: "assistant",
          at: t0 + 5_000,
          body: "I'm really sorry, that's not how anyone wants to start a trip. I can help. Could you confirm your order number and the email address you used at checkout?",
        },
        { author: "shopper", at: t0 + minutes(1), intent: "verify_identity", confidence: 0.98, body: `${damaged.name}, ${customer.email}` },
        {
          author: "assistant",
          at: t0 + minutes(1) + 6_000,
          confidence: 0.9,
          body: `Thank you, I found order ${damaged.name}, delivered on ${formatDate(lastDelivery(damaged))}. Items that arrive damaged and are reported within 7 days of delivery are covered: we can send a free replacement or give you a full refund including shipping. Could you upload a photo of the damage and of the shipping box?`,
          metadata: {
            toolCalls: [{ name: "lookup_order", input: { orderName: damaged.name, email: customer.email } }],
            citations: cite("damaged-defective-wrong-items"),
          },
        },
        {
          author: "shopper",
          at: t0 + minutes(5),
          intent: "refund_request",
          confidence: 0.91,
          body: "Photos attached. Honestly I just want a full refund at this point, I'll buy something locally before Friday.",
          metadata: {
            attachments: [
              { name: "damage.jpg", contentType: "image/jpeg" },
              { name: "shipping-box.jpg", contentType: "image/jpeg" },
            ],
          },
        },
        {
          author: "assistant",
          at: handoffAt,
          body: `Thanks for the photos, and I completely understand. Because this refund is over ${dollars(STORE_FACTS.autoApproveRefundLimit * 100)}, a member of our team needs to approve it. I've passed your conversation and photos to them and they'll reply right here. Our team is available Monday–Friday 8 a.m.–6 p.m. and Saturday 9 a.m.–3 p.m. Pacific Time.`,
          metadata: { handoff: true, citations: cite("contact-us") },
        },
        {
          author: "system",
          at: handoffAt + 1_000,
          visibility: "internal",
          body: `Escalated to the support team: refund of ${dollars(damaged.total)} above the auto-approve limit. Assigned to ${at(STAFF, 2).name}.`,
        },
        {
          author: "assistant",
          at: handoffAt + 3_000,
          visibility: "internal",
          confidence: 0.82,
          body: `Hi ${customer.firstName}, I'm so sorry about the damaged ${line.product.def.title}. I've issued a full refund of ${dollars(damaged.total)} to your original payment method, shipping included; you'll see it within 5–10 business days. There's no need to send it back. Have a great trip!`,
          metadata: { draft: true, suggestedAction: { type: "refund", orderId: orderId(damaged), amount: money(damaged.total), reason: "Damaged on arrival" } },
        },
      ],
    });
  }

  // 3. Exchange for a different size: the assistant is waiting on the shopper.
  const sized = ["XS", "S", "M", "L", "XL"];
  const exchange = latestOf(
    withCustomer.filter(
      (order) =>
        order !== damaged &&
        order.status === "closed" &&
        order.financial === "paid" &&
        lastDelivery(order) > now - 25 * DAY &&
        lastDelivery(order) < now - DAY &&
        order.lines.some((line) => ["S", "M", "L"].includes(line.variant.title) && line.product.def.productType !== "Socks"),
    ),
    lastDelivery,
  );
  if (exchange) {
    const customer = exchange.customer;
    const line = exchange.lines.find((l) => ["S", "M", "L"].includes(l.variant.title) && l.product.def.productType !== "Socks") ?? at(exchange.lines, 0);
    const nextSize = sized[sized.indexOf(line.variant.title) + 1] ?? "XL";
    const nextVariant = line.product.variants.find((variant) => variant.title === nextSize);
    const stock = nextVariant && variantAvailable(nextVariant)
      ? `Size ${nextSize} is in stock right now.`
      : `Size ${nextSize} is out of stock at the moment, so I could set up a refund or store credit instead if you prefer.`;
    const t0 = now - 5 * HOUR;
    specs.push({
      key: "exchange-size",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Exchange ${line.product.def.title} for a bigger size`,
      language: "en",
      status: "waiting_on_shopper",
      priority: "normal",
      handledByHuman: false,
      verified: [exchange],
      lastIntent: "exchange",
      sentiment: 0.1,
      messages: [
        {
          author: "shopper",
          at: t0,
          intent: "exchange",
          confidence: 0.95,
          body: `Hi, the ${line.product.def.title} I got in ${line.variant.title} is too tight across the shoulders. Can I swap it for a bigger size? Order ${exchange.name}, email ${customer.email}.`,
        },
        {
          author: "assistant",
          at: t0 + 6_000,
          confidence: 0.92,
          body: `Of course! Order ${exchange.name} was delivered on ${formatDate(lastDelivery(exchange))}, so you're well within the 30-day window. Exchanges are free for US orders: we email you a prepaid label and ship the new size as soon as your return gets its first carrier scan. ${stock} Would you like me to start an exchange for size ${nextSize}? Please make sure the tags are still attached.`,
          metadata: {
            toolCalls: [{ name: "lookup_order", input: { orderName: exchange.name, email: customer.email } }],
            citations: cite("exchanges", "apparel-size-guide"),
            quickReplies: [`Yes, exchange for ${nextSize}`, "I'd prefer a refund"],
          },
        },
      ],
    });
  }

  // 4. Address change before shipping: handled and resolved by a staff member.
  const unshipped = addressChange;
  if (unshipped) {
    const customer = unshipped.customer;
    const t0 = unshipped.placedAt + ADDRESS_CHANGE.askedAfter;
    const staff = at(STAFF, 3);
    const staffReply = t0 + ADDRESS_CHANGE.answeredAfter;
    specs.push({
      key: "address-change",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Add apartment number to ${unshipped.name}`,
      language: "en",
      status: "resolved",
      priority: "normal",
      handledByHuman: true,
      assigneeEmail: staff.email,
      verified: [unshipped],
      lastIntent: "address_change",
      sentiment: 0.5,
      escalatedAt: t0 + minutes(1),
      escalationReason: "Address changes need staff approval.",
      resolvedAt: staffReply + minutes(5),
      messages: [
        {
          author: "shopper",
          at: t0,
          intent: "address_change",
          confidence: 0.96,
          body: `I just placed order ${unshipped.name} and forgot my apartment number! It should be ${ADDRESS_CHANGE.apartment}. My email is ${customer.email}.`,
        },
        {
          author: "assistant",
          at: t0 + 5_000,
          body: "Thanks for letting us know so quickly. Your order hasn't shipped yet, so the address can still be updated. Address changes are checked by our team before they're applied, so I've passed your request on; you'll get a confirmation here and by email.",
          metadata: { handoff: true, citations: cite("change-shipping-address") },
        },
        {
          author: "staff",
          at: staffReply,
          staffEmail: staff.email,
          body: `Hi ${customer.firstName}, ${staff.name.split(" ")[0]} here. I've added ${ADDRESS_CHANGE.apartment} to the shipping address on ${unshipped.name}: ${customer.address1}, ${ADDRESS_CHANGE.apartment}, ${customer.place.city}, ${customer.place.provinceCode} ${customer.place.zip}. You'll get tracking by email as soon as it ships.`,
        },
        { author: "shopper", at: staffReply + minutes(3), intent: "thanks", confidence: 0.97, body: `Great, thank you ${staff.name.split(" ")[0]}!` },
      ],
    });
  }

  // 5. Sizing question in French, no order: closed.
  const frCustomer = customers.find((customer) => customer.locale === "fr");
  const t5 = now - 6 * DAY + 10 * HOUR;
  specs.push({
    key: "sizing-fr",
    customer: frCustomer ?? null,
    shopperName: frCustomer ? `${frCustomer.firstName} ${frCustomer.lastName}` : "Camille",
    shopperEmail: frCustomer?.email ?? null,
    subject: "Pointure Ridgeback Waterproof Hiking Boot",
    language: "fr",
    status: "closed",
    priority: "low",
    handledByHuman: false,
    verified: [],
    lastIntent: "sizing",
    sentiment: 0.6,
    resolvedAt: t5 + minutes(8),
    messages: [
      {
        author: "shopper",
        at: t5,
        intent: "sizing",
        confidence: 0.93,
        body: "Bonjour, je chausse du 42 en pointure européenne. Quelle taille dois-je prendre pour la Ridgeback Waterproof Hiking Boot homme ?",
      },
      {
        author: "assistant",
        at: t5 + 6_000,
        confidence: 0.88,
        body: "Bonjour ! Le 42 EU se situe entre le 8 US (41 EU, pied de 25,8 cm) et le 9 US (42,5 EU, pied de 26,7 cm). La Ridgeback taille normalement, et si vous êtes entre deux tailles nous conseillons de prendre une demi-taille au-dessus : je vous recommande donc le 9 US. Mesurez votre pied en fin de journée, avec vos chaussettes de randonnée, pour confirmer.",
        metadata: { citations: cite("footwear-size-guide") },
      },
      { author: "shopper", at: t5 + minutes(3), intent: "returns", confidence: 0.9, body: "Et si elles ne me vont pas, je peux les renvoyer depuis la France ?" },
      {
        author: "assistant",
        at: t5 + minutes(3) + 6_000,
        confidence: 0.9,
        body: "Oui : vous avez 30 jours après la livraison pour renvoyer des chaussures essayées uniquement en intérieur, dans leur boîte d'origine. Pour les commandes internationales, les frais de retour sont à votre charge et nous ne proposons pas d'échange direct : il suffit de retourner l'article puis de passer une nouvelle commande. Le remboursement est effectué en dollars américains sur votre moyen de paiement d'origine.",
        metadata: { citations: cite("return-policy-overview", "exchanges", "currencies") },
      },
      { author: "shopper", at: t5 + minutes(5), intent: "thanks", confidence: 0.97, body: "Merci beaucoup, bonne journée !" },
    ],
  });

  // 6. Cancellation before shipping, done by the assistant: resolved, rated 4.
  const cancelled = latestOf(
    orders.filter((order) => order.status === "cancelled" && order.cancelReason === "customer" && !order.guest && order.cancelledAt !== null),
    (order) => order.placedAt,
  );
  if (cancelled?.cancelledAt) {
    const customer = cancelled.customer;
    const t0 = cancelled.cancelledAt - minutes(3);
    specs.push({
      key: "cancel-order",
      customer,
      shopperName: `${customer.firstName} ${customer.lastName}`,
      shopperEmail: customer.email,
      subject: `Cancel order ${cancelled.name}`,
      language: customer.locale,
      status: "resolved",
      priority: "normal",
      handledByHuman: false,
      verified: [cancelled],
      lastIntent: "cancel_order",
      sentiment: 0.2,
      resolvedAt: cancelled.cancelledAt + minutes(2),
      csatScore: 4,
      csatComment: "Easy, but I wish I could have just changed the color instead of cancelling.",
      messages: [
        { author: "shopper", at: t0, intent: "cancel_order", confidence: 0.97, body: `Hi, can I cancel order ${cancelled.name}? I picked the wrong color.` },
        { author: "assistant", at: t0 + 4_000, body: "I can help with that. Please confirm the email address on the order." },
        { author: "shopper", at: t0 + minutes(1), intent: "verify_identity", confidence: 0.99, body: customer.email },
        {
          author: "assistant",
          at: t0 + minutes(1) + 5_000,
          confidence: 0.95,
          body: `Thanks! Order ${cancelled.name} hasn't shipped yet, so it can be cancelled free of charge. Shall I cancel the whole order and refund ${dollars(cancelled.total)} to your original payment method?`,
          metadata: { citations: cite("cancel-order"), quickReplies: ["Yes, cancel it", "No, keep my order"] },
        },
        { author: "shopper", at: t0 + minutes(2) + 30_000, intent: "confirm", confidence: 0.98, body: "Yes please" },
        {
          author: "assistant",
          at: cancelled.cancelledAt - 20_000,
          confidence: 0.97,
          body: `I've asked the store to cancel order ${cancelled.name}; you'll see the confirmation here. Once it's cancelled, ${dollars(cancelled.total)} goes back to your original payment method.`,
        },
        {
          // What the write-back posts once the platform accepted the cancellation (see commerce/actions).
          author: "assistant",
          at: cancelled.cancelledAt,
          body: `Confirmed: the store has cancelled order ${cancelled.name}, and ${dollars(cancelled.total)} is being refunded to your original payment method.`,
          metadata: {
            toolCalls: [
              {
                name: "cancel_order",
                input: { orderId: orderId(cancelled), reason: "customer" },
                result: { status: "cancelled", refunded: money(cancelled.total) },
              },
            ],
          },
        },
      ],
    });
  }

  // 7. Discount code problem from a guest: open.
  const t7 = now - 50 * MINUTE;
  specs.push({
    key: "discount-code",
    customer: null,
    shopperName: "Jordan",
    shopperEmail: "jordan.wells@example.org",
    subject: "WELCOME10 not working",
    language: "en",
    status: "open",
    priority: "normal",
    handledByHuman: false,
    verified: [],
    lastIntent: "discount_code",
    sentiment: -0.2,
    messages: [
      { author: "shopper", at: t7, intent: "discount_code", confidence: 0.96, body: "The code WELCOME10 says it's not valid for my cart??" },
      {
        author: "assistant",
        at: t7 + 5_000,
        confidence: 0.9,
        body: "Sorry about that! WELCOME10 takes 10% off your first order and can be used once per customer and email address. It's usually declined when the email at checkout has ordered with us before, or when the cart only has gift cards or Final Sale items. What's in your cart?",
        metadata: { citations: cite("discount-codes") },
      },
      { author: "shopper", at: t7 + minutes(2), intent: "discount_code", confidence: 0.88, body: "Just the Cascade rain shell and a $50 gift card. I've never ordered before." },
      {
        author: "assistant",
        at: t7 + minutes(2) + 6_000,
        confidence: 0.86,
        body: "Thanks! Codes don't apply to gift cards, but the Cascade 2.5L Rain Shell qualifies, so you should see 10% off the jacket. Please check that the code is typed without spaces and that the email at checkout is the one you used to sign up for the newsletter. If it still fails, tell me and I'll ask our team to look into it.",
        metadata: { citations: cite("discount-codes", "gift-cards"), quickReplies: ["It worked, thanks!", "Still not working"] },
      },
    ],
  });

  return specs;
}
