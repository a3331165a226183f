import { describe, expect, it } from "vitest";
import { Counts, FulfillmentsById, shipmentFromGraphql } from "~/modules/commerce/connectors/shopify/graphql";

/** Fields the Admin GraphQL schema (2026-10) declares nullable are read without failing the whole page. */
describe("Admin GraphQL responses with nullable fields", () => {
  it("keeps a fulfillment whose line has no quantity, counting only the lines that have one", () => {
    const { nodes } = FulfillmentsById.parse({
      nodes: [
        {
          id: "gid://shopify/Fulfillment/1",
          status: "SUCCESS",
          displayStatus: "IN_TRANSIT",
          createdAt: "2026-10-01T10:00:00Z",
          updatedAt: "2026-10-01T12:00:00Z",
          deliveredAt: null,
          estimatedDeliveryAt: null,
          trackingInfo: [{ company: "UPS", number: "1Z999", url: null }],
          fulfillmentLineItems: {
            nodes: [
              { lineItem: { id: "gid://shopify/LineItem/1" }, quantity: 2 },
              { lineItem: { id: "gid://shopify/LineItem/2" }, quantity: null },
            ],
            pageInfo: { hasNextPage: false },
          },
        },
      ],
    });
    const shipment = shipmentFromGraphql(nodes[0]!);
    expect(shipment.status).toBe("in_transit");
    expect(shipment.lineItems).toEqual([{ lineItemExternalId: "gid://shopify/LineItem/1", quantity: 2 }]);
  });

  it("reads a missing count as an unknown total", () => {
    const counts = Counts.parse({ customersCount: { count: 12, precision: "EXACT" }, productsCount: null, ordersCount: { count: 3, precision: "EXACT" } });
    expect(counts.productsCount).toBeNull();
    expect(counts.customersCount?.count).toBe(12);
  });
});
