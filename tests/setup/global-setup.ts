import type { TestProject } from "vitest/node";
import { testDatabaseEnv } from "./database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** Starts (or finds) the test database once and applies the migrations. */
export default async function setup(project: TestProject) {
  Object.assign(process.env, testDatabaseEnv());
  const { prepareDatabase } = await import("../../app/lib/db/prepare.server");
  const { url } = await prepareDatabase({ migrate: true });
  project.provide("databaseUrl", url);
}
