import { getEnv } from "~/env.server";

/** Demo-only routes answer 404 unless demo mode is on; the env schema refuses demo mode in production. */
export function requireDemoMode() {
  const env = getEnv();
  if (!env.DEMO_MODE || env.NODE_ENV === "production") {
    throw new Response("Not found", { status: 404 });
  }
  return env;
}
