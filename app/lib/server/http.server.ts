import { createServer, type IncomingMessage } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import type { AddressInfo } from "node:net";
import { getEnv } from "~/env.server";
import { WEBHOOK_TOPICS } from "~/lib/shopify/config";
import prisma from "~/db.server";
import { createShopifyWebhookHandler, createStripeWebhookHandler, createWooWebhookHandler, stripeSettingsFromEnv } from "~/modules/commerce";

/**
 * The HTTP server: the Remix build behind Express, with long-cached fingerprinted assets.
 * Callers choose the database (prepareDatabase) before this imports the build.
 */
export async function startHttpServer(options: { port: number; host: string; buildPath?: string }) {
  const buildPath = path.resolve(options.buildPath ?? "build/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  const env = getEnv();
  // WooCommerce: one route per connected store, signed with that connection's own secret.
  app.post("/webhooks/woocommerce/*", createWooWebhookHandler({ db: prisma, encryptionKey: env.encryptionKey, encryptionKeyPrevious: env.encryptionKeyPrevious }));
  // Stripe: one route per shop, signed with the shop's endpoint secret (Stripe-Signature, 300 s tolerance).
  app.post("/webhooks/stripe/*", createStripeWebhookHandler({ db: prisma, settings: stripeSettingsFromEnv() }));
  app.use(
    compression({
      // Server-sent events must not be buffered by compression.
      filter: (req, res) => !String(res.getHeader("Content-Type") ?? "").includes("text/event-stream") && compression.filter(req, res),
    }),
  );
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV,
      // The connection's address, for when no trusted proxy names the client (app/lib/server/client-address.server.ts).
      getLoadContext: (req) => ({ clientAddress: req.socket.remoteAddress }),
    }),
  );

  // Shopify's webhooks, all topics: this is their one route (no Remix route serves /webhooks/*). They are
  // served ahead of Express, so a delivery is verified, recorded and answered without a router, compression or
  // Remix in the way: Shopify sends thousands a minute to a busy shop and waits for each answer.
  const shopifyWebhooks = createShopifyWebhookHandler({ apiSecret: env.shopifyApiSecret, topics: WEBHOOK_TOPICS, customShopDomain: env.SHOP_CUSTOM_DOMAIN });
  const isShopifyWebhook = (request: IncomingMessage) =>
    request.method === "POST" && request.url?.startsWith("/webhooks/") && !request.url.startsWith("/webhooks/woocommerce/") && !request.url.startsWith("/webhooks/stripe/");
  const server = createServer((request, response) => (isShopifyWebhook(request) ? shopifyWebhooks(request, response) : app(request, response)));
  await new Promise<void>((resolve) => server.listen(options.port, options.host, resolve));
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Serves the app with the background job worker in the same process, until SIGTERM/SIGINT, then stops both and
 * closes the database connections.
 */
export async function serveUntilStopped(options: {
  port: number;
  host: string;
  prisma: { $disconnect(): Promise<void> };
  startWorker: () => () => Promise<void>;
}) {
  const server = await startHttpServer({ port: options.port, host: options.host });
  const stopWorker = options.startWorker();
  const shutdown = async () => {
    await Promise.all([stopWorker(), server.close()]);
    await options.prisma.$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  return server;
}
