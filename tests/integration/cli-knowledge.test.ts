import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import prisma from "~/db.server";
import { deleteTestShop } from "../support/shops";
import { cli } from "../support/cli";

const domain = `cli-${randomUUID().slice(0, 8)}.myshopify.com`;
const dir = mkdtempSync(path.join(tmpdir(), "kb-"));


describe("npm run cli -- kb", () => {
  afterAll(() => deleteTestShop(domain));

  it("imports JSONL into a new shop, searches it, and updates on re-import", async () => {
    const file = path.join(dir, "faq.jsonl");
    writeFileSync(
      file,
      [
        { id: "ship-1", title: "Shipping times", body: "Standard delivery takes 3 to 5 business days. Express arrives the next business day.", tags: ["shipping"] },
        { id: "ret-1", title: "Returns", body: "You can send items back within 30 days for a full refund, as long as they are unused." },
        { id: "dmg-1", title: "Damaged items", body: "If something arrives broken or damaged, send us a photo within 48 hours and we replace it for free." },
      ]
        .map((row) => JSON.stringify(row))
        .join("\n"),
    );
    const imported = await cli("kb", "import", "--shop", domain, file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout.trim().split("\n").at(-1)!)).toMatchObject({ created: 3, failed: 0, indexed: 3 });
    expect(await prisma.shop.count({ where: { domain } })).toBe(1);

    const searched = await cli("kb", "search", "--shop", domain, "my vase came in pieces, what now?");
    expect(searched.code, searched.stderr).toBe(0);
    const lines = searched.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(Object.keys(lines[0]).sort()).toEqual(["external_id", "score", "source_id", "text", "title"]);
    expect(lines[0]).toMatchObject({ external_id: "dmg-1", title: "Damaged items" });
    expect(lines.map((line: { score: number }) => line.score)).toEqual([...lines.map((line: { score: number }) => line.score)].sort((a, b) => b - a));

    writeFileSync(file, JSON.stringify({ id: "ret-1", title: "Returns", body: "Returns are accepted within 60 days now." }));
    const again = await cli("kb", "import", "--shop", domain, file);
    expect(JSON.parse(again.stdout.trim().split("\n").at(-1)!)).toMatchObject({ created: 0, updated: 1 });
    const top = JSON.parse((await cli("kb", "search", "--shop", domain, "how long do I have to return something?")).stdout.trim().split("\n")[0]!);
    expect(top).toMatchObject({ external_id: "ret-1" });
    expect(top.text).toContain("60 days");
  });

  it("reports bad rows and bad files clearly, with a failing exit code", async () => {
    const file = path.join(dir, "bad.csv");
    writeFileSync(file, "title,body\nGood one,This row is fine.\nEmpty body,\n");
    const result = await cli("kb", "import", "--shop", domain, file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("row 2: Body is empty");
    expect(JSON.parse(result.stdout.trim().split("\n").at(-1)!)).toMatchObject({ created: 1, failed: 1 });

    const pdf = path.join(dir, "manual.pdf");
    writeFileSync(pdf, "%PDF");
    const unsupported = await cli("kb", "import", "--shop", domain, pdf);
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toContain('Unsupported file type ".pdf"');

    const missingShop = await cli("kb", "search", "where is my order");
    expect(missingShop.code).toBe(2);
    expect(missingShop.stderr).toContain("--shop <name>.myshopify.com is required");
  });
});
