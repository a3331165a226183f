/**
 * `npm run cli -- <command>`: Shopdesk from the terminal, on the same database the app uses (DATABASE_URL or
 * the embedded server, started when it is not running). Later features add their commands to COMMANDS.
 */
import { parseArgs } from "node:util";
import { prepareDatabase } from "../app/lib/db/prepare.server";

type Command = { summary: string; run: (args: string[]) => Promise<number> };

function shopOption(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { shop: { type: "string" }, limit: { type: "string" }, language: { type: "string" }, draft: { type: "boolean" } },
  });
  if (!values.shop || !/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(values.shop)) {
    throw new UsageError("--shop <name>.myshopify.com is required");
  }
  return { ...values, shop: values.shop, positionals };
}

class UsageError extends Error {}

/** The shop by domain, created (with default settings) the first time it is named. */
async function shopFor(domain: string) {
  await prepareDatabase({ migrate: true });
  const { ensureShop } = await import("../app/modules/shops");
  return ensureShop(domain);
}

/** Runs the shop's knowledge re-index jobs now instead of waiting for the app's worker. */
async function drainKnowledgeJobs(shopId: string, onProgress?: (done: number) => void) {
  const { indexPendingSources } = await import("../app/modules/knowledge");
  return indexPendingSources(shopId, { onProgress });
}

/** Runs a command's work, then closes the database connections whatever it returned. */
async function withDisconnect(work: Promise<number>): Promise<number> {
  try {
    return await work;
  } finally {
    const { disconnectPrisma } = await import("../app/db.server");
    await disconnectPrisma();
  }
}

const COMMANDS: Record<string, Command> = {
  "db status": {
    summary: "which database is in use and which migrations are applied",
    async run() {
      const { embedded, migrations } = await prepareDatabase({ migrate: true });
      console.log(JSON.stringify({ database: embedded ? "embedded" : "DATABASE_URL", applied: migrations!.applied, upToDate: migrations!.alreadyApplied }));
      return 0;
    },
  },
  "kb import": {
    summary: "kb import --shop <domain> <file>: import articles (CSV, JSON, JSONL, Markdown) as published",
    async run(args) {
      const { shop: domain, positionals, draft } = shopOption(args);
      const file = positionals[0];
      if (!file) throw new UsageError("kb import needs a file: npm run cli -- kb import --shop <domain> <file>");
      const { readFile } = await import("node:fs/promises");
      const shop = await shopFor(domain);
      const { importArticles, KnowledgeError, parseImportFile } = await import("../app/modules/knowledge");
      let rows: ReturnType<typeof parseImportFile>;
      try {
        rows = parseImportFile(file, await readFile(file));
      } catch (error) {
        if (error instanceof KnowledgeError) {
          console.error(`kb import: ${error.message}`);
          return 1;
        }
        throw error;
      }
      const report = await importArticles(shop.id, rows, { status: draft ? "draft" : "published", editor: "cli" });
      for (const error of report.errors) console.error(`row ${error.row}: ${error.message}`);
      const indexed = await drainKnowledgeJobs(shop.id, (done) => process.stderr.write(`\rindexed ${done} source(s)`));
      if (indexed > 0) process.stderr.write("\n");
      console.log(JSON.stringify({ shop: domain, created: report.created, updated: report.updated, unchanged: report.unchanged, failed: report.errors.length, indexed }));
      const { disconnectPrisma } = await import("../app/db.server");
      await disconnectPrisma();
      return report.errors.length > 0 ? 1 : 0;
    },
  },
  "kb search": {
    summary: 'kb search --shop <domain> "<question>": the top passages as JSON lines, best first',
    async run(args) {
      const { shop: domain, positionals, limit, language } = shopOption(args);
      const query = positionals.join(" ").trim();
      if (!query) throw new UsageError('kb search needs a question: npm run cli -- kb search --shop <domain> "<question>"');
      const shop = await shopFor(domain);
      await drainKnowledgeJobs(shop.id);
      const { KnowledgeError, searchKnowledge } = await import("../app/modules/knowledge");
      try {
        const matches = await searchKnowledge({ shopId: shop.id, query, limit: limit ? Number(limit) : 5, language });
        for (const match of matches) {
          console.log(
            JSON.stringify({ source_id: match.sourceId, external_id: match.externalId, title: match.title, score: match.score, text: match.content }),
          );
        }
      } catch (error) {
        if (!(error instanceof KnowledgeError)) throw error;
        console.error(`kb search: ${error.message}`);
        return 1;
      }
      const { disconnectPrisma } = await import("../app/db.server");
      await disconnectPrisma();
      return 0;
    },
  },
  chat: {
    summary: "chat --shop <domain> [--customer <email>]: talk to the assistant on the shop's data (one message per line)",
    async run(args) {
      const { values } = parseArgs({ args, options: { shop: { type: "string" }, customer: { type: "string" } } });
      if (!values.shop) throw new UsageError("--shop <name>.myshopify.com is required");
      await prepareDatabase({ migrate: true });
      const { default: prisma, disconnectPrisma } = await import("../app/db.server");
      const shop = await prisma.shop.findUnique({ where: { domain: values.shop.toLowerCase() }, select: { id: true } });
      if (!shop) {
        console.error(`chat: no shop ${values.shop} (npm run cli -- shops lists them)`);
        return 1;
      }
      // Answers come from indexed knowledge: index what is waiting (e.g. right after db:seed) first.
      const { queueUnindexedSources } = await import("../app/modules/knowledge");
      await queueUnindexedSources(shop.id);
      await drainKnowledgeJobs(shop.id);
      const { runChat } = await import("./cli/chat");
      const code = await runChat({ shopId: shop.id, customerEmail: values.customer });
      await disconnectPrisma();
      return code;
    },
  },
  classify: {
    summary: 'classify < lines: offline NLU (intent, language, entities, sentiment) for JSON lines {"text": ...}; no database',
    async run() {
      const { runClassify } = await import("./cli/classify");
      return runClassify();
    },
  },
  "orders get": {
    summary: "orders get --shop <domain> <order name or id>: one synced order as JSON (exit 1 when not found)",
    async run(args) {
      const { shop: domain, positionals } = shopOption(args);
      const reference = positionals.join(" ").trim();
      if (!reference) throw new UsageError("orders get needs an order: npm run cli -- orders get --shop <domain> <order name or id>");
      await prepareDatabase({ migrate: true });
      const { default: prisma, disconnectPrisma } = await import("../app/db.server");
      const { findOrderRecord } = await import("../app/modules/commerce");
      const shop = await prisma.shop.findUnique({ where: { domain }, select: { id: true } });
      const record = shop ? await findOrderRecord(prisma, shop.id, reference) : null;
      await disconnectPrisma();
      if (!shop) {
        console.error(`orders get: no shop ${domain} (npm run cli -- shops lists them)`);
        return 1;
      }
      if (!record) {
        console.error(`orders get: no order "${reference}" in ${domain}`);
        return 1;
      }
      console.log(JSON.stringify(record));
      return 0;
    },
  },
  metrics: {
    summary: "metrics --shop <domain> --from YYYY-MM-DD --to YYYY-MM-DD: the dashboard's figures for those days (shop's time zone) as one JSON object",
    async run(args) {
      await prepareDatabase({ migrate: true });
      const { MetricsUsageError, runMetrics } = await import("./cli/metrics");
      const { disconnectPrisma } = await import("../app/db.server");
      try {
        return await runMetrics(args);
      } catch (error) {
        if (error instanceof MetricsUsageError) throw new UsageError(error.message);
        throw error;
      } finally {
        await disconnectPrisma();
      }
    },
  },
  "sync start": {
    summary: "sync start --shop <domain> [--now]: backfill the shop from Shopify (queued for the worker, or run here with --now)",
    async run(args) {
      const { values } = parseArgs({ args, options: { shop: { type: "string" }, now: { type: "boolean" } } });
      if (!values.shop) throw new UsageError("--shop <name>.myshopify.com is required");
      await prepareDatabase({ migrate: true });
      const { runSyncStart } = await import("./cli/sync");
      const code = await runSyncStart(values.shop, { now: values.now ?? false });
      const { disconnectPrisma } = await import("../app/db.server");
      await disconnectPrisma();
      return code;
    },
  },
  "sync status": {
    summary: "sync status --shop <domain>: backfill and reconciliation state per resource (one JSON object)",
    async run(args) {
      const { values } = parseArgs({ args, options: { shop: { type: "string" } } });
      if (!values.shop) throw new UsageError("--shop <name>.myshopify.com is required");
      await prepareDatabase({ migrate: true });
      const { runSyncStatus } = await import("./cli/sync");
      const code = await runSyncStatus(values.shop);
      const { disconnectPrisma } = await import("../app/db.server");
      await disconnectPrisma();
      return code;
    },
  },
  "secrets rotate": {
    summary: "secrets rotate: re-encrypt every stored secret (Shopify tokens, integration credentials) with ENCRYPTION_KEY",
    async run() {
      await prepareDatabase({ migrate: true });
      const { default: prisma, disconnectPrisma } = await import("../app/db.server");
      const { secretBoxFromEnv } = await import("../app/lib/crypto/secrets.server");
      const { rotateStoredSecrets } = await import("../app/modules/shops");
      const report = await rotateStoredSecrets(prisma, secretBoxFromEnv());
      await disconnectPrisma();
      console.log(JSON.stringify(report));
      const failed = [...report.sessions.failed, ...report.integrations.failed];
      if (failed.length === 0) return 0;
      console.error(
        `secrets rotate: ${failed.length} stored value(s) could not be decrypted with ENCRYPTION_KEY or ENCRYPTION_KEY_PREVIOUS (rows ${failed.join(", ")}); nothing was changed`,
      );
      return 1;
    },
  },
  "jobs failed": {
    summary: "jobs failed --shop <domain> [--limit N]: dead-lettered jobs with their last error, newest first (JSON lines)",
    async run(args) {
      const { values } = parseArgs({ args, options: { shop: { type: "string" }, limit: { type: "string" } } });
      if (!values.shop) throw new UsageError("--shop <name>.myshopify.com is required");
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError("--limit must be a positive whole number");
      await prepareDatabase({ migrate: true });
      const { runJobsFailed } = await import("./cli/jobs");
      return withDisconnect(runJobsFailed(values.shop, { limit }));
    },
  },
  "jobs retry": {
    summary: "jobs retry <job id> --shop <domain>: put a dead-lettered job back in the queue with fresh attempts",
    async run(args) {
      const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { shop: { type: "string" } } });
      if (!values.shop) throw new UsageError("--shop <name>.myshopify.com is required");
      if (positionals.length !== 1) throw new UsageError("jobs retry needs one job id: npm run cli -- jobs retry <job id> --shop <domain>");
      await prepareDatabase({ migrate: true });
      const { runJobsRetry } = await import("./cli/jobs");
      return withDisconnect(runJobsRetry(values.shop, positionals[0]!));
    },
  },
  "jobs retry-all": {
    summary: "jobs retry-all --shop <domain>: put every dead-lettered job of the shop back in the queue",
    async run(args) {
      const { values } = parseArgs({ args, options: { shop: { type: "string" } } });
      if (!values.shop) throw new UsageError("--shop <name>.myshopify.com is required");
      await prepareDatabase({ migrate: true });
      const { runJobsRetryAll } = await import("./cli/jobs");
      return withDisconnect(runJobsRetryAll(values.shop));
    },
  },
  shops: {
    summary: "list shops with their order, conversation and knowledge counts (JSON lines)",
    async run() {
      await prepareDatabase({ migrate: true });
      const { default: prisma } = await import("../app/db.server");
      const shops = await prisma.shop.findMany({
        orderBy: { domain: "asc" },
        select: { domain: true, name: true, _count: { select: { orders: true, conversations: true, knowledgeSources: true } } },
      });
      for (const shop of shops) {
        console.log(JSON.stringify({ domain: shop.domain, name: shop.name, ...shop._count }));
      }
      await prisma.$disconnect();
      return 0;
    },
  },
};

function usage() {
  console.log("Usage: npm run cli -- <command> [options]\n\nCommands:");
  for (const [name, command] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(12)} ${command.summary}`);
}

const { positionals } = parseArgs({ allowPositionals: true, strict: false });
const name = [positionals.slice(0, 2).join(" "), positionals[0] ?? ""].find((candidate) => candidate in COMMANDS);
if (!name) {
  usage();
  process.exit(positionals.length === 0 || positionals[0] === "help" ? 0 : 2);
}
// Options belong to the command: pass everything after the command's words.
const argv = process.argv.slice(2);
const words = name.split(" ");
const start = argv.findIndex((_, index) => words.every((word, offset) => argv[index + offset] === word));
try {
  process.exit(await COMMANDS[name]!.run(argv.slice(start + words.length)));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
