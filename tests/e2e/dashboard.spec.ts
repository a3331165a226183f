import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * The analytics dashboard on the demo shop (90 days of seeded history): figures and charts render, the period picker
 * changes them, a figure opens the inbox listing exactly the conversations behind it, the CSV has one row per
 * conversation, and "Write an article" opens a prefilled draft.
 */

async function openDashboard(page: Page, path = "/app") {
  await page.goto(`/demo/admin?path=${encodeURIComponent(path)}`);
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
}

const card = (page: Page, label: string) => page.getByRole("region", { name: label, exact: true });
/** The big number of a figure's card. */
const figure = async (page: Page, label: string) => (await card(page, label).getByRole("link").first().textContent())?.trim() ?? "";
const count = (text: string) => Number(text.replace(/[^\d]/g, ""));

test.describe("analytics dashboard", () => {
  test("renders the demo's figures, charts and definitions", async ({ page }) => {
    await openDashboard(page);
    await expect(page.getByRole("button", { name: "Last 30 days", pressed: true })).toBeVisible();
    expect(count(await figure(page, "Conversations"))).toBeGreaterThanOrEqual(100);
    expect(await figure(page, "Automated")).toMatch(/^\d{1,3}\.\d%$/);
    expect(await figure(page, "Handoff rate")).toMatch(/^\d{1,3}\.\d%$/);
    expect(await figure(page, "First response time")).toMatch(/^\d+[smhd]/);
    expect(await figure(page, "CSAT")).toMatch(/^[1-5]\.\d\d \/ 5$/);
    expect(await figure(page, "Revenue influenced")).toMatch(/^\$[\d,]+\.\d\d/);
    // One column per day, each naming its figures.
    const columns = page.getByRole("list", { name: "Conversations per day" }).getByRole("link");
    await expect(columns).toHaveCount(30);
    await expect(columns.first()).toHaveAttribute("aria-label", /conversations, \d+ automated, \d+ handed off/);
    for (const chart of ["By intent", "By language", "By channel", "CSAT ratings"]) await expect(card(page, chart)).toBeVisible();
    await expect(card(page, "By language").getByRole("link", { name: /^French: \d+/ })).toBeVisible();
    await expect(card(page, "Questions the assistant could not answer").getByRole("link", { name: "Write an article" }).first()).toBeVisible();
    await expect(card(page, "How these figures are counted")).toContainText("did not come back within 72 hours");
    // The figures right now stay at the top.
    expect(count((await card(page, "Orders synced").locator("p").first().textContent()) ?? "")).toBeGreaterThanOrEqual(500);
    await page.screenshot({ path: "test-results/dashboard.png", fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });
  });

  test("has no serious accessibility violations", async ({ page }) => {
    await openDashboard(page);
    await expect(card(page, "Conversations per day")).toBeVisible();
    const results = await new AxeBuilder({ page }).include("main").analyze();
    const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
  });

  test("switching the period changes the figures and keeps them in the URL", async ({ page }) => {
    await openDashboard(page);
    const month = count(await figure(page, "Conversations"));
    await page.getByRole("button", { name: "Last 7 days" }).click();
    await expect(page).toHaveURL(/period=7d/);
    await expect(page.getByRole("button", { name: "Last 7 days", pressed: true })).toBeVisible();
    await expect(page.getByRole("list", { name: "Conversations per day" }).getByRole("link")).toHaveCount(7);
    const week = count(await figure(page, "Conversations"));
    expect(week).toBeLessThan(month);
    await page.getByRole("button", { name: "Last 90 days" }).click();
    await expect(page).toHaveURL(/period=90d/);
    await expect(page.getByRole("list", { name: "Conversations per day" }).getByRole("link")).toHaveCount(90);
    expect(count(await figure(page, "Conversations"))).toBeGreaterThanOrEqual(1_000);

    // A custom range: the days chosen, compared with the days before.
    await page.getByRole("button", { name: "Custom" }).click();
    const first = page.getByLabel("First day");
    const last = page.getByLabel("Last day");
    const to = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const from = new Date(Date.now() - 23 * 86_400_000).toISOString().slice(0, 10);
    await first.fill(from);
    await last.fill(to);
    await page.getByRole("button", { name: "Show these days", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
    await expect(page.getByRole("list", { name: "Conversations per day" }).getByRole("link")).toHaveCount(14);
    await expect(page.getByText(/compared with/)).toBeVisible();
  });

  test("clicking a figure lists exactly its conversations in the inbox", async ({ page }) => {
    await openDashboard(page, "/app?period=90d");
    // A small figure, so the whole list fits on one page: conversations rated 1 in the last 90 days.
    const rated = card(page, "CSAT ratings").getByRole("link", { name: /^1 ★: \d+/ });
    const expected = count(((await rated.getAttribute("aria-label")) ?? "").split(":")[1] ?? "");
    expect(expected).toBeGreaterThan(0);
    await rated.click();
    await expect(page).toHaveURL(/\/app\/inbox\?.*view=all.*metric=csat_1/);
    await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
    await expect(page.getByRole("tab", { name: /^All, \d+ conversations?$/ })).toHaveAttribute("aria-selected", "true");
    await expect(page.getByRole("button", { name: "Dashboard: Rated 1" })).toBeVisible();
    const rows = page.getByRole("list", { name: "Conversations", exact: true }).getByRole("listitem");
    await expect(rows).toHaveCount(expected);

    // The big figures open the inbox too.
    await openDashboard(page, "/app?period=30d");
    await card(page, "Automated").getByRole("link").first().click();
    await expect(page).toHaveURL(/\/app\/inbox\?.*metric=automated/);
    await expect(page.getByRole("list", { name: "Conversations", exact: true }).getByRole("listitem").first()).toBeVisible();
  });

  test("exports the period's conversations as CSV, one row each", async ({ page }) => {
    await openDashboard(page, "/app?period=7d");
    const conversations = count(await figure(page, "Conversations"));
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^conversations-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^conversation_id,started_at,day,channel,language,intent,status,outcome,/);
    expect(lines.length - 1).toBe(conversations);
    expect(lines[1]).toMatch(/^[0-9a-f-]{36},\d{4}-\d{2}-\d{2}T/);
  });

  test("the setup checklist: the demo has all but the policy review done; marking it completes setup", async ({ page }) => {
    execFileSync("node", ["--import", "tsx/esm", "tests/e2e/support/demo-reset.ts", "onboarding"], { encoding: "utf8", env: { ...process.env }, timeout: 120_000 });
    await openDashboard(page);
    const setup = card(page, "Set up Shopdesk");
    await expect(setup).toContainText("4 of 5 done");
    await expect(setup.getByRole("heading", { name: "Review the policies the assistant will quote (to do)" })).toBeVisible();
    await expect(setup.getByRole("heading", { name: "Import your help center (done)" })).toBeVisible();
    await expect(setup.getByRole("link", { name: "Review policies" })).toHaveAttribute("href", /\/app\/knowledge\?.*kind=policy/);
    await setup.getByRole("button", { name: 'Mark "Review the policies the assistant will quote" as done' }).click();
    // Everything is done: the checklist makes way for the figures.
    await expect(setup).toHaveCount(0);
    await expect(card(page, "Conversations")).toBeVisible();
  });

  test("Write an article opens a draft prefilled with the unanswered question", async ({ page }) => {
    await openDashboard(page, "/app?period=90d");
    const group = card(page, "Questions the assistant could not answer").getByRole("heading", { level: 3 }).first();
    const question = ((await group.textContent()) ?? "").replace(/[“”]/g, "");
    await card(page, "Questions the assistant could not answer").getByRole("link", { name: "Write an article" }).first().click();
    await expect(page.getByRole("heading", { name: "Add article", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Title")).toHaveValue(question);
    await expect(page.getByLabel("Body", { exact: false })).toHaveValue(/Shoppers asked:/);
  });
});
