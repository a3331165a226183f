import { expect, type Page, test } from "@playwright/test";

/**
 * The merchant's knowledge screens, against the demo server (seeded "Northwind Outfitters" shop, job worker
 * indexing sources about a second after they change). Titles carry a random suffix so re-runs on the same
 * database don't collide; navigation inside the app is by clicking, so data requests carry the bearer token.
 */

const unique = () => Math.random().toString(36).slice(2, 8);

async function openKnowledge(page: Page) {
  await page.goto("/demo/admin?path=/app/knowledge");
  await expect(page).toHaveURL(/\/app\/knowledge\?.*embedded=1/);
  await expect(page.getByRole("heading", { name: "Knowledge", level: 1 })).toBeVisible();
}

async function backToList(page: Page) {
  await page.locator("nav").getByRole("link", { name: "Knowledge" }).click();
  await expect(page.getByRole("heading", { name: "Knowledge", level: 1 })).toBeVisible();
}

async function newArticle(page: Page, fields: { title?: string; body: string; tags?: string }) {
  await page.getByRole("link", { name: "Add article" }).first().click();
  await expect(page.getByRole("heading", { name: "Add article", level: 1 })).toBeVisible();
  if (fields.title !== undefined) await page.getByLabel("Title").fill(fields.title);
  await page.getByLabel("Body").fill(fields.body);
  if (fields.tags !== undefined) await page.getByLabel("Tags").fill(fields.tags);
}

async function searchList(page: Page, query: string) {
  const field = page.getByPlaceholder("Search titles, content and tags");
  if (!(await field.isVisible())) await page.getByRole("button", { name: /Search and filter/ }).click();
  await field.fill(query);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(query).replace(/%20/g, "(\\+|%20)")}`));
}

async function deleteCurrentSource(page: Page, title: string) {
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByText(`Delete “${title}”?`)).toBeVisible();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("heading", { name: "Knowledge", level: 1 })).toBeVisible();
  await expect(page.getByText(`“${title}” was deleted`)).toBeVisible();
}

/** A full-page screenshot taken with a viewport as tall as the page, so sticky headers and the admin frame render as seen. */
async function screenshot(page: Page, path: string) {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport) await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  await page.screenshot({ path, fullPage: true });
  if (viewport) await page.setViewportSize(viewport);
}

/** Articles an earlier, interrupted run of a test left behind ("<prefix> <suffix>"), deleted through the UI. */
async function deleteLeftovers(page: Page, prefix: string) {
  const leftover = page.getByRole("table").getByRole("link", { name: new RegExp(`^${prefix} [a-z0-9]{6}$`) }).first();
  for (let attempt = 0; attempt < 10; attempt++) {
    await searchList(page, prefix);
    if ((await leftover.count()) === 0) break;
    const title = (await leftover.textContent())?.trim() ?? "";
    await leftover.click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await deleteCurrentSource(page, title);
  }
  await backToList(page);
}

test.describe("knowledge", () => {
  test("a published article is indexed and retrieved first for a paraphrased question", async ({ page }) => {
    const title = `Gift wrapping ${unique()}`;
    await openKnowledge(page);
    await deleteLeftovers(page, "Gift wrapping");
    await newArticle(page, {
      title,
      tags: "gifts, wrapping",
      body: [
        "## Gift wrapping",
        "",
        "We gift wrap any order in recycled kraft paper tied with a linen ribbon. Gift wrapping costs $5 per order.",
        "Every wrapped parcel includes a handwritten card with your personal message, penned by our team in Portland.",
        "",
        "## Adding a gift message",
        "",
        'Tick "Gift wrap this order" at checkout and type your message in the gift note box. Wrapped orders ship with',
        "a packing slip that hides the prices.",
      ].join("\n"),
    });
    await page.getByRole("button", { name: "Publish" }).click();

    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(page.getByText("The assistant can use it as soon as it is indexed.")).toBeVisible();
    // The job worker indexes it in the background; the page polls until it is.
    await expect(page.getByText("Indexed", { exact: true })).toBeVisible({ timeout: 30_000 });
    await screenshot(page, "test-results/knowledge-editor.png");

    await backToList(page);
    const panel = page.getByRole("region", { name: "Try a question" });
    await panel.getByRole("textbox", { name: "Question" }).fill("can you wrap my present and add a note?");
    const first = panel.getByRole("list", { name: "Retrieved passages" }).getByRole("listitem").first();
    await expect(async () => {
      await panel.getByRole("button", { name: "Ask" }).click();
      await expect(first.getByRole("heading", { level: 3 })).toHaveText(title, { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(first).toContainText(/Fused \d\.\d{4}/);
    await expect(first).toContainText(/Vector (\d\.\d{3}|—)/);
    await expect(first).toContainText(/Text (\d\.\d{3}|—)/);
    await screenshot(page, "test-results/knowledge-list.png");

    // Leave nothing behind that a re-run's question could also find.
    await first.getByRole("link", { name: title }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await deleteCurrentSource(page, title);
  });

  test("imports a CSV, reports the bad row and finds an imported article by search", async ({ page }) => {
    const id = unique();
    const titles = [`Store hours ${id}`, `Bike rentals ${id}`, `Trail maps ${id}`];
    const csv = [
      "id,title,body,tags",
      `e2e-${id}-1,${titles[0]},"Our Portland flagship store is open from 10am to 6pm, Monday to Saturday.",stores`,
      `e2e-${id}-2,${titles[1]},"Rent a touring bike from $35 a day at the Portland store; helmets are included.",rentals`,
      `e2e-${id}-3,${titles[2]},"Free printed trail maps of Mount Hood come with every tent order.","maps, tents"`,
      `e2e-${id}-4,Empty body ${id},,broken`,
    ].join("\n");

    await openKnowledge(page);
    await page.getByRole("link", { name: "Import" }).click();
    await expect(page.getByRole("heading", { name: "Import articles", level: 1 })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: "Publish imported articles" })).toBeChecked();
    await page.locator('input[type="file"]').setInputFiles({ name: "help-centre.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await expect(page.getByText("help-centre.csv")).toBeVisible();
    await page.getByRole("button", { name: "Import", exact: true }).click();

    await expect(page.getByText(/3 created · 0 updated · 0 unchanged · 1 with errors/)).toBeVisible();
    const report = page.getByRole("region", { name: "Rows not imported" });
    const rows = report.getByRole("row");
    await expect(rows).toHaveCount(2); // heading + one bad row
    await expect(rows.nth(1)).toContainText("4");
    await expect(rows.nth(1)).toContainText("body");
    await expect(rows.nth(1)).toContainText("Body is empty");
    await screenshot(page, "test-results/knowledge-import.png");

    await page.getByRole("link", { name: "View knowledge" }).click();
    await expect(page.getByRole("heading", { name: "Knowledge", level: 1 })).toBeVisible();
    await searchList(page, titles[1]!);
    await expect(page.getByRole("link", { name: titles[1] })).toBeVisible();
    await expect(page.getByRole("link", { name: titles[0] })).toHaveCount(0);
  });

  test("keeps a version per edit and restores an earlier one", async ({ page }) => {
    const title = `Repairs desk ${unique()}`;
    const bodies = [
      "Our repair desk fixes broken zips on any Northwind jacket for free within two years.",
      "Our repair desk fixes broken zips and torn seams on any Northwind jacket for free within two years.",
      "Our repair desk fixes zips, seams and buckles on Northwind gear for free within three years.",
    ];
    await openKnowledge(page);
    await newArticle(page, { title, body: bodies[0]! });
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();

    for (const body of bodies.slice(1)) {
      await page.getByLabel("Body").fill(body);
      await expect(page.getByText("Unsaved changes")).toBeVisible();
      await page.getByRole("button", { name: "Save draft" }).click();
      await expect(page.getByText("Unsaved changes")).toHaveCount(0);
    }
    const versions = page.getByRole("list", { name: "Versions" }).getByRole("listitem");
    await expect(versions).toHaveCount(3);
    await expect(versions.nth(0)).toContainText("Version 3");
    await expect(versions.nth(0)).toContainText("Current");
    await expect(versions.nth(2)).toContainText("Version 1");
    await expect(page.getByLabel("Body")).toHaveValue(bodies[2]!);

    await page.getByRole("button", { name: "View version 2" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByText(bodies[1]!)).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).last().click();
    await expect(dialog).toHaveCount(0);

    await page.getByRole("button", { name: "Restore version 1" }).click();
    await expect(page.getByText("Version 1 restored")).toBeVisible();
    await expect(page.getByLabel("Body")).toHaveValue(bodies[0]!);
    await expect(versions).toHaveCount(4);
    await expect(versions.nth(0)).toContainText("Version 4");
    await screenshot(page, "test-results/knowledge-versions.png");
  });

  test("shows field errors, refuses unsupported files and confirms before deleting", async ({ page }) => {
    const title = `Loyalty points ${unique()}`;
    await openKnowledge(page);

    // Missing title: the server's message, on the field.
    await newArticle(page, { body: "Members earn one point per dollar spent." });
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Title is required")).toBeVisible();
    await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");

    // Too long a body: 413 from the module, on the body field, with the live count in red beside it.
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Body").fill("x".repeat(50_001));
    await expect(page.getByText("50,001 / 50,000 characters")).toBeVisible();
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText("Body is longer than 50,000 characters")).toBeVisible();
    await expect(page.getByLabel("Body")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Body").fill("Members earn one point per dollar spent.");
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();

    // A second article with the same title: 409, on the title field.
    await backToList(page);
    await newArticle(page, { title: title.toUpperCase(), body: "Duplicate." });
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(page.getByText(`An article titled "${title.toUpperCase()}" already exists`)).toBeVisible();
    await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");

    // Import refuses a PDF as a whole.
    await backToList(page);
    await page.getByRole("link", { name: "Import" }).click();
    await page.locator('input[type="file"]').setInputFiles({ name: "catalogue.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
    await expect(page.getByText('Unsupported file type ".pdf": use CSV, JSON, JSONL or Markdown')).toBeVisible();
    await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
    await page.locator('input[type="file"]').setInputFiles({
      name: "huge.csv",
      mimeType: "text/csv",
      buffer: Buffer.concat([Buffer.from("title,body\n"), Buffer.alloc(5 * 1024 * 1024, "a")]),
    });
    await expect(page.getByText("The file is larger than 5 MB; split it into smaller files")).toBeVisible();
    await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();

    // Delete asks first; cancelling keeps the article.
    await backToList(page);
    await searchList(page, title);
    await page.getByRole("link", { name: title }).click();
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await deleteCurrentSource(page, title);

    await searchList(page, title);
    await expect(page.getByText("No sources found")).toBeVisible();
    await expect(page.getByRole("link", { name: title })).toHaveCount(0);
  });
});
