import { randomUUID } from "node:crypto";
import type { OrderActionPlatform } from "./contract";

/**
 * The demo store has no Shopify behind it. This stand-in accepts every write-back locally, in place of
 * Shopify, so the demo shows the whole flow: requested, pushed by the job, confirmed in the conversation.
 * Its ids say "demo" so nobody mistakes them for Shopify's.
 */
export function demoStandInOrderActions(): OrderActionPlatform {
  const demoId = (type: string) => `demo-${type}-${randomUUID()}`;
  return {
    label: "the demo stand-in for Shopify",
    async cancel() {
      return { accepted: true, result: { platformJobId: null, demo: true } };
    },
    async updateShippingAddress() {
      return { accepted: true, result: { demo: true } };
    },
    async createReturn(_order, request) {
      return { accepted: true, result: { returnId: demoId("return"), returnStatus: request.review ? "REQUESTED" : "OPEN", demo: true } };
    },
    async createRefund(_order, request) {
      return { accepted: true, result: { refundId: demoId("refund"), amount: request.amount, transactions: [], demo: true } };
    },
    // No e-mail leaves the demo; the stand-in records that Shopify would have sent it.
    async resendTracking(_order, shipment) {
      return { accepted: true, result: { fulfillmentId: shipment.externalId, trackingNumbers: shipment.trackingNumbers, notifiedCustomer: false, demo: true } };
    },
  };
}
