import prisma from "~/db.server";

const CATALOGUE_SIZE = 12;

/**
 * What the demo storefront needs from the database: the shop's name, its seeded catalogue (the first products by
 * title) and, for `?customer=<email>`, the customer
 * to simulate as logged in (Shopify's `customer.id` is the numeric id, without the GID prefix).
 */
export async function demoStorefrontContext(shopDomain: string, customerEmail: string | null) {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain }, select: { id: true, name: true } });
  const products = shop
    ? await prisma.product.findMany({
        where: { shopId: shop.id, status: "active" },
        orderBy: { title: "asc" },
        take: CATALOGUE_SIZE,
        select: { title: true, priceMin: true, priceMax: true, currency: true },
      })
    : [];
  const customer =
    customerEmail && shop
      ? await prisma.customer.findFirst({ where: { shopId: shop.id, email: customerEmail }, select: { externalId: true, email: true, firstName: true } })
      : null;
  return {
    shopName: shop?.name ?? "Demo store",
    products: products.map((product) => {
      const from = new Intl.NumberFormat("en-US", { style: "currency", currency: product.currency }).format(Number(product.priceMin));
      return { title: product.title, price: product.priceMax.greaterThan(product.priceMin) ? `From ${from}` : from };
    }),
    customer: customer
      ? { id: customer.externalId.replace(/\D/g, ""), email: customer.email ?? "", firstName: customer.firstName ?? undefined }
      : null,
  };
}
