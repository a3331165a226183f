import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Checkbox, FormLayout, Modal, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { ConversationActionResult } from "./conversation-actions.server";

export type OrderActionKind = "refund" | "cancel" | "update_address" | "resend_tracking";

export interface ActionableOrder {
  id: string;
  name: string;
  currency: string;
  lines: { id: string; title: string; quantity: number; refundable: number }[];
  shipments: { id: string; label: string; hasTracking: boolean }[];
}

const TITLES: Record<OrderActionKind, string> = {
  refund: "Refund items",
  cancel: "Cancel order",
  update_address: "Change shipping address",
  resend_tracking: "Resend tracking",
};

const newKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.padEnd(12, "0"));

/**
 * One order action, asked of the store platform through the inbox module. The answer is "requested": the
 * platform decides later, and the panel shows its decision when it comes. Nothing here claims it is done.
 */
export function OrderActionModal({ order, kind, actionUrl, onClose }: { order: ActionableOrder; kind: OrderActionKind; actionUrl: string; onClose: () => void }) {
  const fetcher = useFetcher<ConversationActionResult>();
  // One key per opened form: a double submit or a retry is the same action.
  const [idempotencyKey] = useState(newKey);
  const [reason, setReason] = useState("");
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [restock, setRestock] = useState(true);
  const [notify, setNotify] = useState(true);
  const [address, setAddress] = useState({ address1: "", address2: "", city: "", provinceCode: "", zip: "", countryCode: "" });
  const trackable = order.shipments.filter((shipment) => shipment.hasTracking);
  const [shipmentId, setShipmentId] = useState(trackable[0]?.id ?? "");

  const result = fetcher.data;
  const requested = result?.ok && result.orderAction ? result.orderAction : null;
  const busy = fetcher.state !== "idle";

  const input = (): unknown => {
    switch (kind) {
      case "refund":
        return {
          items: order.lines
            .map((line) => ({ lineItemId: line.id, quantity: Number(quantities[line.id] ?? 0) }))
            .filter((item) => Number.isInteger(item.quantity) && item.quantity > 0),
          reason,
          notify,
        };
      case "cancel":
        return { reason, restock, notifyCustomer: notify };
      case "update_address":
        return { address: Object.fromEntries(Object.entries(address).filter(([, value]) => value.trim() !== "")) };
      case "resend_tracking":
        return { shipmentId };
    }
  };

  const submit = () =>
    fetcher.submit(
      { intent: "order_action", orderId: order.id, kind, input: JSON.stringify(input()), idempotencyKey, ...(reason ? { reason } : {}) },
      { method: "post", action: actionUrl },
    );

  const fieldError = (name: string) => (result?.error?.field?.startsWith(`input.${name}`) ? result.error.message : undefined);

  return (
    <Modal
      open
      onClose={onClose}
      title={`${TITLES[kind]} · ${order.name}`}
      primaryAction={requested ? { content: "Close", onAction: onClose } : { content: "Request", onAction: submit, loading: busy, destructive: kind === "cancel" }}
      secondaryActions={requested ? [] : [{ content: "Cancel", onAction: onClose }]}
    >
      <Modal.Section>
        {requested ? (
          <Banner tone="info" title={`${TITLES[kind]}: requested`}>
            <p>
              {requested.created ? "Sent to the store platform." : "This was already requested."} It is “{requested.status}” until the platform accepts it; the customer panel shows the
              outcome. Tell the shopper only what has happened.
            </p>
          </Banner>
        ) : (
          <BlockStack gap="300">
            {result?.error && !result.error.field?.startsWith("input.") ? (
              <Banner tone="critical" title="Not requested">
                <p>{result.error.message}</p>
              </Banner>
            ) : null}
            <FormLayout>
              {kind === "refund" ? (
                <BlockStack gap="200">
                  <Text as="p" tone="subdued">
                    Quantities to refund. Agents may refund up to the store's automatic approval limit; owners and admins up to what was paid.
                  </Text>
                  {order.lines.map((line) => (
                    <TextField
                      key={line.id}
                      label={`${line.title} (up to ${line.refundable})`}
                      type="number"
                      min={0}
                      max={line.refundable}
                      value={quantities[line.id] ?? ""}
                      onChange={(value) => setQuantities((current) => ({ ...current, [line.id]: value }))}
                      autoComplete="off"
                      disabled={line.refundable === 0}
                    />
                  ))}
                  {fieldError("items") ? <Text as="p" tone="critical">{fieldError("items")}</Text> : null}
                </BlockStack>
              ) : null}
              {kind === "update_address" ? (
                <>
                  <TextField label="Address" value={address.address1} onChange={(value) => setAddress({ ...address, address1: value })} autoComplete="address-line1" error={fieldError("address.address1")} />
                  <TextField label="Apartment, suite, etc." value={address.address2} onChange={(value) => setAddress({ ...address, address2: value })} autoComplete="address-line2" />
                  <FormLayout.Group>
                    <TextField label="City" value={address.city} onChange={(value) => setAddress({ ...address, city: value })} autoComplete="address-level2" error={fieldError("address.city")} />
                    <TextField label="Postal code" value={address.zip} onChange={(value) => setAddress({ ...address, zip: value })} autoComplete="postal-code" />
                  </FormLayout.Group>
                  <FormLayout.Group>
                    <TextField label="Province code" value={address.provinceCode} onChange={(value) => setAddress({ ...address, provinceCode: value })} autoComplete="off" />
                    <TextField
                      label="Country code"
                      helpText="Two letters; the order's country when empty."
                      value={address.countryCode}
                      onChange={(value) => setAddress({ ...address, countryCode: value })}
                      autoComplete="country"
                      error={fieldError("address.countryCode")}
                    />
                  </FormLayout.Group>
                </>
              ) : null}
              {kind === "resend_tracking" ? (
                trackable.length > 0 ? (
                  <Select label="Shipment" options={trackable.map((shipment) => ({ value: shipment.id, label: shipment.label }))} value={shipmentId} onChange={setShipmentId} />
                ) : (
                  <Text as="p" tone="subdued">
                    No shipment of this order has tracking to send.
                  </Text>
                )
              ) : null}
              {kind === "cancel" ? <Checkbox label="Restock the items" checked={restock} onChange={setRestock} /> : null}
              {kind === "cancel" || kind === "refund" ? <Checkbox label="E-mail the customer a notice" checked={notify} onChange={setNotify} /> : null}
              {kind === "refund" || kind === "cancel" ? <TextField label="Reason (for the action log)" value={reason} onChange={setReason} autoComplete="off" maxLength={500} /> : null}
            </FormLayout>
          </BlockStack>
        )}
      </Modal.Section>
    </Modal>
  );
}
