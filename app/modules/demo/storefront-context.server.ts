import prisma from "~/db.server";

/**
 * What the demo storefront needs from the database: the shop's name and, for `?customer=<email>`, the customer
 * to simulate as logged in (Shopify's `customer.id` is the numeric id, without the GID prefix).
 */
export async function demoStorefrontContext(shopDomain: string, customerEmail: string | null) {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, name: true } });
  const customer =
    customerEmail && shop
      ? await prisma.customer.findFirst({ where: { shopId: shop.id, email: customerEmail }, select: { externalId: true, email: true, firstName: true } })
      : null;
  return {
    shopName: shop?.name ?? "Demo store",
    customer: customer
      ? { id: customer.externalId.replace(/\D/g, ""), email: customer.email ?? "", firstName: customer.firstName ?? undefined }
      : null,
  };
}
