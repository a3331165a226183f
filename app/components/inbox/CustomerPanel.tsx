import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Divider, InlineStack, Popover, ActionList, Text } from "@shopify/polaris";
import { useState } from "react";
import { formatDateTime, formatMoney, STATUS_LABELS, sentimentLabel } from "./format";
import { type ActionableOrder, type OrderActionKind, OrderActionModal } from "./OrderActionModal";
import { Sparkline } from "./Sparkline";

export interface PanelOrder extends ActionableOrder {
  placedAt: string;
  status: string;
  financialStatus: string;
  fulfillmentStatus: string;
  total: string;
  /** The shopper proved in this conversation that it is theirs. */
  verified: boolean;
  lines: (ActionableOrder["lines"][number] & { variantTitle: string | null })[];
  shipmentsDetail: { id: string; carrier: string | null; trackingNumber: string | null; trackingUrl: string | null; status: string }[];
  refunds: { id: string; amount: string; currency: string; status: string; createdAt: string }[];
  /** Write-backs asked of the platform for this order, newest first. */
  actions: { id: string; kind: string; status: string; requestedAt: string; error: string | null }[];
  /** Payment disputes with the card issuer (the assistant hands these conversations to staff). */
  disputes: { id: string; status: string; reason: string; amount: string; currency: string; evidenceDueBy: string | null }[];
}

export interface PanelData {
  customer: {
    name: string | null;
    email: string | null;
    verified: boolean;
    loggedIn: boolean;
    vip: boolean;
    tags: string[];
    lifetimeValue: string | null;
    currency: string;
    ordersCount: number;
  };
  orders: PanelOrder[];
  previous: { id: string; status: string; lastMessageAt: string; preview: string | null; href: string }[];
  sentiment: { at: string; value: number }[];
}

/** Stripe's dispute statuses that still need the store (evidence, or the issuer's decision). */
const OPEN_DISPUTES = new Set(["warning_needs_response", "warning_under_review", "needs_response", "under_review"]);

const ACTION_LABELS: Record<string, string> = { refund: "Refund", cancel: "Cancel", update_address: "Address change", resend_tracking: "Tracking resend", return: "Return" };

function actionTone(status: string): "attention" | "success" | "critical" | undefined {
  if (status === "requested") return "attention";
  if (status === "accepted") return "success";
  if (status === "rejected") return "critical";
  return undefined;
}

/** Who the shopper is and what they bought, with the order actions staff can ask the platform for. */
export function CustomerPanel({ data, actionUrl, timeZone }: { data: PanelData; actionUrl: string; timeZone: string }) {
  const [acting, setActing] = useState<{ order: PanelOrder; kind: OrderActionKind } | null>(null);
  const { customer } = data;
  const trend = sentimentLabel(data.sentiment.at(-1)?.value);
  return (
    <BlockStack gap="400">
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {customer.name ?? customer.email ?? "Anonymous shopper"}
        </Text>
        {customer.email && customer.name ? (
          <Text as="p" tone="subdued" breakWord>
            {customer.email}
          </Text>
        ) : null}
        <InlineStack gap="100">
          <Badge tone={customer.verified ? "success" : undefined}>{customer.verified ? "Verified" : "Not verified"}</Badge>
          <Badge tone={customer.loggedIn ? "success" : undefined}>{customer.loggedIn ? "Logged in" : "Guest"}</Badge>
          {customer.vip ? <Badge tone="magic">VIP</Badge> : null}
          {customer.tags
            .filter((tag) => tag.toLowerCase() !== "vip")
            .slice(0, 4)
            .map((tag) => (
              <Badge key={tag}>{tag}</Badge>
            ))}
        </InlineStack>
        <InlineStack gap="400">
          <BlockStack gap="050">
            <Text as="span" variant="bodySm" tone="subdued">
              Lifetime value
            </Text>
            <Text as="span" variant="headingSm">
              {customer.lifetimeValue !== null ? formatMoney(customer.lifetimeValue, customer.currency) : "—"}
            </Text>
          </BlockStack>
          <BlockStack gap="050">
            <Text as="span" variant="bodySm" tone="subdued">
              Orders
            </Text>
            <Text as="span" variant="headingSm">
              {customer.ordersCount}
            </Text>
          </BlockStack>
        </InlineStack>
      </BlockStack>

      {data.sentiment.length > 1 ? (
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              Sentiment
            </Text>
            {trend ? <Badge tone={trend.tone}>{`${trend.label} lately`}</Badge> : null}
          </InlineStack>
          <Sparkline
            points={data.sentiment}
            label={`Sentiment trend, oldest to newest, from −1 (negative) to 1 (positive): ${data.sentiment.map((point) => point.value.toFixed(1)).join(", ")}`}
          />
        </BlockStack>
      ) : null}

      <Divider />
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Orders
        </Text>
        {data.orders.length === 0 ? (
          <Text as="p" tone="subdued">
            {customer.loggedIn || customer.verified ? "No orders." : "No orders known: the shopper is a guest and has not verified an order."}
          </Text>
        ) : (
          data.orders.map((order) => <OrderCard key={order.id} order={order} timeZone={timeZone} onAction={(kind) => setActing({ order, kind })} />)
        )}
      </BlockStack>

      {data.previous.length > 0 ? (
        <>
          <Divider />
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Previous conversations
            </Text>
            <ul className="inbox-list" aria-label="Previous conversations">
              {data.previous.map((conversation) => (
                <li key={conversation.id}>
                  <Box paddingBlock="100">
                    <Link to={conversation.href}>{formatDateTime(conversation.lastMessageAt, timeZone, { dateStyle: "medium" })}</Link>{" "}
                    <Text as="span" variant="bodySm" tone="subdued">
                      {`${STATUS_LABELS[conversation.status] ?? conversation.status}${conversation.preview ? ` · ${conversation.preview}` : ""}`}
                    </Text>
                  </Box>
                </li>
              ))}
            </ul>
          </BlockStack>
        </>
      ) : null}

      {acting ? <OrderActionModal order={acting.order} kind={acting.kind} actionUrl={actionUrl} onClose={() => setActing(null)} /> : null}
    </BlockStack>
  );
}

function OrderCard({ order, timeZone, onAction }: { order: PanelOrder; timeZone: string; onAction: (kind: OrderActionKind) => void }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const cancelled = order.status === "cancelled";
  const canCancel = !cancelled && order.fulfillmentStatus === "unfulfilled";
  const canRefund = order.lines.some((line) => line.refundable > 0);
  const canResend = order.shipments.some((shipment) => shipment.hasTracking);
  const items = [
    ...(canRefund ? [{ content: "Refund…", onAction: () => onAction("refund") }] : []),
    ...(canCancel ? [{ content: "Cancel order…", destructive: true, onAction: () => onAction("cancel") }] : []),
    ...(canCancel ? [{ content: "Change address…", onAction: () => onAction("update_address") }] : []),
    ...(canResend ? [{ content: "Resend tracking…", onAction: () => onAction("resend_tracking") }] : []),
  ];
  return (
    <section aria-label={`Order ${order.name}`}>
      <BlockStack gap="150">
        <InlineStack align="space-between" blockAlign="center" wrap={false}>
          <Text as="h4" variant="headingSm">
            {order.name}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {`${formatDateTime(order.placedAt, timeZone, { dateStyle: "medium" })} · ${formatMoney(order.total, order.currency)}`}
          </Text>
        </InlineStack>
        <InlineStack gap="100">
          {cancelled ? <Badge tone="critical">Cancelled</Badge> : null}
          {order.verified ? <Badge tone="success">Verified here</Badge> : null}
          <Badge tone={order.financialStatus === "paid" ? "success" : order.financialStatus.includes("refunded") ? "info" : "attention"}>{humanise(order.financialStatus)}</Badge>
          <Badge tone={order.fulfillmentStatus === "fulfilled" ? "success" : "attention"}>{humanise(order.fulfillmentStatus)}</Badge>
        </InlineStack>
        <Text as="p" variant="bodySm">
          {order.lines.map((line) => `${line.quantity} × ${line.title}${line.variantTitle ? ` (${line.variantTitle})` : ""}`).join(", ")}
        </Text>
        {order.shipmentsDetail.map((shipment) => (
          <Text as="p" variant="bodySm" key={shipment.id}>
            {`${humanise(shipment.status)}${shipment.carrier ? ` · ${shipment.carrier}` : ""} · `}
            {shipment.trackingUrl ? (
              <a href={shipment.trackingUrl} target="_blank" rel="noreferrer noopener">
                {shipment.trackingNumber ?? "Track"}
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : (
              (shipment.trackingNumber ?? "no tracking")
            )}
          </Text>
        ))}
        {order.disputes.map((dispute) => (
          <InlineStack gap="100" key={dispute.id} blockAlign="center">
            <Badge tone={OPEN_DISPUTES.has(dispute.status) ? "critical" : "info"}>{`Payment dispute: ${humanise(dispute.status)}`}</Badge>
            <Text as="span" variant="bodySm">
              {`${formatMoney(dispute.amount, dispute.currency || order.currency)} · ${humanise(dispute.reason)}${dispute.evidenceDueBy && OPEN_DISPUTES.has(dispute.status) ? ` · evidence due ${formatDateTime(dispute.evidenceDueBy, timeZone, { dateStyle: "medium" })}` : ""}`}
            </Text>
          </InlineStack>
        ))}
        {order.refunds.map((refund) => (
          <Text as="p" variant="bodySm" tone="subdued" key={refund.id}>
            {`Refund ${formatMoney(refund.amount, refund.currency || order.currency)} · ${humanise(refund.status)} · ${formatDateTime(refund.createdAt, timeZone, { dateStyle: "medium" })}`}
          </Text>
        ))}
        {order.actions.map((action) => (
          <InlineStack gap="100" key={action.id} blockAlign="center">
            <Badge tone={actionTone(action.status)}>{`${ACTION_LABELS[action.kind] ?? action.kind}: ${action.status}`}</Badge>
            {action.error ? (
              <Text as="span" variant="bodySm" tone="critical">
                {action.error}
              </Text>
            ) : null}
          </InlineStack>
        ))}
        {items.length > 0 ? (
          <Popover
            active={menuOpen}
            onClose={() => setMenuOpen(false)}
            activator={
              <Button size="slim" disclosure onClick={() => setMenuOpen(!menuOpen)} accessibilityLabel={`Actions for order ${order.name}`}>
                Actions
              </Button>
            }
          >
            <ActionList
              actionRole="menuitem"
              items={items.map((item) => ({
                ...item,
                onAction: () => {
                  setMenuOpen(false);
                  item.onAction();
                },
              }))}
            />
          </Popover>
        ) : null}
      </BlockStack>
    </section>
  );
}

const humanise = (value: string) => (value ? value.replace(/_/g, " ").replace(/^./, (char) => char.toUpperCase()) : value);
