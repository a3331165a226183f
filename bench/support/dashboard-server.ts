/**
 * The built app, served for the dashboard bench without the job worker (so no background job competes with the
 * measured requests). Env as for `npm start`; DEMO_MODE gives the /demo/admin entry and the App Bridge stand-in.
 */
import { getEnv } from "../../app/env.server";
import { prepareDatabase } from "../../app/lib/db/prepare.server";
import { startHttpServer } from "../../app/lib/server/http.server";

const env = getEnv();
await prepareDatabase({ migrate: false });
const server = await startHttpServer({ port: env.PORT, host: env.HOST });
process.on("SIGTERM", async () => {
  await server.close();
  process.exit(0);
});
console.log(`dashboard bench app on ${env.HOST}:${env.PORT}`);
