import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, parse, validate } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_API_VERSION } from "~/lib/shopify/config";

/**
 * Every Admin GraphQL document the app sends (backfill, reconciliation, write-back, policies) is valid against
 * Shopify's published Admin schema for the pinned API version. The local test servers answer by operation and
 * cannot catch a misspelt field; this can. The schema is Shopify's own introspection JSON, shipped in the
 * `@shopify/dev-mcp` npm package, fetched once from the npm registry into .data/ (not committed: 11 MB).
 */

const SCHEMA_PACKAGE = "@shopify/dev-mcp@1.16.0";
const CACHE_DIR = path.resolve(".data/shopify-admin-schema");

function loadSchemaJson(): unknown | null {
  const file = path.join(CACHE_DIR, `admin_${WEBHOOK_API_VERSION}.json`);
  if (!existsSync(file)) {
    const scratch = mkdtempSync(path.join(tmpdir(), "shopify-schema-"));
    try {
      execFileSync("npm", ["pack", SCHEMA_PACKAGE, "--silent", "--pack-destination", scratch], { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
      const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"));
      if (!tarball) return null;
      const member = `package/dist/data/admin_${WEBHOOK_API_VERSION}.json.gz`;
      execFileSync("tar", ["-xzf", path.join(scratch, tarball), "-C", scratch, member]);
      mkdirSync(CACHE_DIR, { recursive: true });
      writeFileSync(file, gunzipSync(readFileSync(path.join(scratch, member))));
    } catch {
      return null;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * Every `#graphql` document in app/, by file: exported ones as the module builds them (some are assembled from
 * shared field lists), the others from the source, where they must be plain template literals.
 */
async function appDocuments() {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(name) && readFileSync(full, "utf8").includes("#graphql")) files.push(full);
    }
  };
  walk(path.resolve("app"));
  const documents: { file: string; text: string }[] = [];
  for (const full of files) {
    const file = path.relative(process.cwd(), full);
    const source = readFileSync(full, "utf8");
    const exported = Object.values(await import(/* @vite-ignore */ full)).filter((value): value is string => typeof value === "string" && value.trimStart().startsWith("#graphql"));
    const local = [...source.matchAll(/(?<!export )const \w+ = `(#graphql[^`]*)`/g)].map((match) => match[1]!);
    for (const text of local) if (text.includes("${")) throw new Error(`${file}: export documents built from parts, so this test sees what is sent`);
    documents.push(...[...exported, ...local].map((text) => ({ file, text })));
    const markers = (source.match(/#graphql/g) ?? []).length;
    if (exported.length + local.length !== markers) throw new Error(`${file}: ${markers} #graphql documents, ${exported.length + local.length} found`);
  }
  return documents;
}

describe(`Admin GraphQL documents against Shopify's ${WEBHOOK_API_VERSION} schema`, () => {
  let schema: GraphQLSchema | null = null;
  beforeAll(() => {
    const json = loadSchemaJson() as { data: Parameters<typeof buildClientSchema>[0] } | null;
    if (!json) {
      if (process.env.CI === "true") throw new Error(`could not fetch ${SCHEMA_PACKAGE} from the npm registry`);
      console.warn(`Skipping: ${SCHEMA_PACKAGE} could not be fetched from the npm registry (offline?).`);
      return;
    }
    schema = buildClientSchema(json.data);
  });

  it("finds the app's documents", async () => {
    const documents = await appDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(16);
    expect(documents.map((document) => document.file)).toEqual(
      expect.arrayContaining([expect.stringContaining("connectors/shopify/graphql.ts"), expect.stringContaining("actions/shopify-platform.server.ts")]),
    );
  });

  it("validates every query and mutation the app sends", async (context) => {
    if (!schema) return context.skip();
    const failures = (await appDocuments()).flatMap(({ file, text }) => validate(schema!, parse(text)).map((error) => `${file}: ${error.message}`));
    expect(failures).toEqual([]);
  });

  it("would catch a misspelt field", (context) => {
    if (!schema) return context.skip();
    const errors = validate(schema, parse("query { orders(first: 1) { nodes { id displayFinancialStatuss } } }"));
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining('Cannot query field "displayFinancialStatuss" on type "Order"')]);
  });
});
