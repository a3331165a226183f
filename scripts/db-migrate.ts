/** `npm run db:migrate`: applies prisma/migrations to DATABASE_URL or the embedded database. */
import { prepareDatabase } from "../app/lib/db/prepare.server";

const result = await prepareDatabase({ migrate: true, log: (line) => console.log(`[migrate] ${line}`) });
const report = result.migrations!;
console.log(
  `[migrate] ${result.embedded ? "embedded PGlite" : "DATABASE_URL"}: ${report.applied.length} applied, ${report.alreadyApplied.length} already applied`,
);
for (const name of report.modified) console.warn(`[migrate] warning: ${name} was modified after it was applied`);
