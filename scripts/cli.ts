/**
 * `npm run cli -- <command>`: Shopdesk from the terminal, on the same database the app uses (DATABASE_URL or
 * the embedded server, started when it is not running). Later features add their commands to COMMANDS.
 */
import { parseArgs } from "node:util";
import { prepareDatabase } from "../app/lib/db/prepare.server";

type Command = { summary: string; run: (args: string[]) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  "db status": {
    summary: "which database is in use and which migrations are applied",
    async run() {
      const { embedded, migrations } = await prepareDatabase({ migrate: true });
      console.log(JSON.stringify({ database: embedded ? "embedded" : "DATABASE_URL", applied: migrations!.applied, upToDate: migrations!.alreadyApplied }));
      return 0;
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
const rest = positionals.slice(name.split(" ").length);
process.exit(await COMMANDS[name]!.run(rest));
