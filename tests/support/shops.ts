import { randomUUID } from "node:crypto";
import prisma from "~/db.server";

/** A fresh shop per test file, so tests never see each other's rows. */
export async function createTestShop(name = "Test shop") {
  const domain = `test-${randomUUID().slice(0, 8)}.myshopify.com`;
  const shop = await prisma.shop.create({ data: { domain, name, settings: { create: {} } } });
  return shop;
}

export async function deleteTestShop(domain: string) {
  await prisma.session.deleteMany({ where: { shop: domain } });
  await prisma.shop.deleteMany({ where: { domain } });
}
