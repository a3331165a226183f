import { afterAll, inject } from "vitest";

// Every test file talks to the database global setup prepared.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { stopLive } = await import("../../app/lib/live/live-events.server");
  await stopLive();
  const { disconnectPrisma } = await import("../../app/db.server");
  await disconnectPrisma();
});
