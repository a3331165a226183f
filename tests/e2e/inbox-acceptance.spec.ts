import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { testDatabaseEnv } from "../setup/database";

/**
 * The inbox's acceptance flow through the doors people use: a shopper in the storefront widget, support staff in
 * the embedded admin. Nothing is injected behind the pages: the handoff, routing, the live list, the AI draft,
 * the macro, the reply reaching the widget and the resolution all run through the app. The second test runs a
 * second app instance on the same database, as a deployment with several instances does.
 */

interface DemoCustomer {
  email: string;
  name: string;
  firstName: string;
  orderName: string;
}

function demoCustomer(skip: number): DemoCustomer {
  const output = execFileSync(process.execPath, ["--import", "tsx/esm", "tests/e2e/support/demo-customer.ts", String(skip)], { encoding: "utf8", timeout: 60_000 });
  return JSON.parse(output.trim().split("\n").at(-1)!) as DemoCustomer;
}

async function openInbox(page: Page, origin: string, path: string, as?: string) {
  await page.goto(`${origin}/demo/admin?${as ? `as=${as}&` : ""}path=${encodeURIComponent(path)}`);
  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  // The live stream is connected before anything happens that the page must hear of.
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
  // Survives client-side navigation, not a reload: proves updates arrived without one.
  await page.evaluate(() => {
    (window as unknown as { __noReload: boolean }).__noReload = true;
  });
}

const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload === true);

async function shopperAsksForAPerson(browser: Browser, origin: string, customer: DemoCustomer) {
  const context = await browser.newContext();
  const shopper = await context.newPage();
  await shopper.goto(`${origin}/demo/storefront?customer=${encodeURIComponent(customer.email)}`);
  await shopper.getByRole("button", { name: "Chat with us" }).click();
  const panel = shopper.getByRole("dialog");
  const log = panel.getByRole("log");
  await panel.getByRole("textbox", { name: "Your message" }).fill(`Where is my order ${customer.orderName}?`);
  await shopper.keyboard.press("Enter");
  await expect(log).toContainText(customer.orderName);
  // The panel's own button; the reply may also offer it as a suggested reply.
  await panel.getByRole("button", { name: "Talk to a person" }).and(panel.locator("button.tool")).click();
  await expect(log).toContainText(/our team/i);
  return { shopper, log, close: () => context.close() };
}

const conversationRow = (page: Page, customer: DemoCustomer) => page.getByRole("list", { name: "Conversations" }).getByRole("link", { name: new RegExp(customer.name) });

test.describe("support inbox, end to end", () => {
  test("a handoff appears live; the agent answers with an edited AI draft and a macro; the widget gets it live; resolved, it moves to Resolved with every step logged", async ({ page, browser, baseURL }) => {
    test.setTimeout(180_000);
    const customer = demoCustomer(0);
    await openInbox(page, baseURL!, "/app/inbox?view=waiting");

    const { log, close } = await shopperAsksForAPerson(browser, baseURL!, customer);

    // The conversation arrives in "Waiting on us" by itself.
    const row = conversationRow(page, customer);
    await expect(row).toBeVisible({ timeout: 15_000 });
    expect(await notReloaded(page)).toBe(true);

    await row.click();
    const transcript = page.getByRole("log", { name: "Transcript" });
    await expect(transcript).toContainText(`Where is my order ${customer.orderName}?`);
    const panel = page.getByRole("complementary", { name: "Customer" });
    await expect(panel.getByRole("heading", { name: customer.name })).toBeVisible();
    await expect(panel.getByText("Logged in", { exact: true })).toBeVisible();
    await expect(panel.getByRole("region", { name: `Order ${customer.orderName}` })).toBeVisible();

    // The AI draft, edited by the agent, then a macro filled from the conversation.
    const reply = page.getByRole("textbox", { name: "Reply to the shopper" });
    await page.getByRole("button", { name: "AI draft" }).click();
    await page.getByRole("button", { name: "Use this draft" }).click();
    const draft = await reply.inputValue();
    expect(draft).toContain(customer.orderName);
    await reply.fill(`${draft} I also asked our warehouse to keep an eye on it.`);
    await page.getByRole("button", { name: "Macros" }).click();
    await page.getByRole("menuitem", { name: "Tracking link" }).click();
    await expect(reply).toHaveValue(new RegExp(`keep an eye on it\\.[\\s\\S]*Hi ${customer.firstName}, your order ${customer.orderName} is on its way\\. You can follow it here: https?://`));
    await expect(reply).toHaveValue(/Alex at Northwind Outfitters$/);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await expect(reply).toHaveValue("");
    await expect(transcript.getByRole("listitem", { name: "Alex Rivera" }).filter({ hasText: "keep an eye on it" })).toBeVisible();

    // The shopper's open widget shows it live.
    await expect(log).toContainText("I also asked our warehouse to keep an eye on it.", { timeout: 15_000 });
    await expect(log).toContainText(`Hi ${customer.firstName}, your order ${customer.orderName} is on its way.`);

    // Resolve from the keyboard; the conversation moves to Resolved.
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("e");
    await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
    await page.getByRole("tab", { name: /^Resolved,/ }).click();
    await expect(page).toHaveURL(/view=resolved/);
    await expect(conversationRow(page, customer)).toBeVisible();

    // The action log, inline in the transcript: routed on handoff, answered by Alex, resolved by Alex.
    await expect(transcript).toContainText(/routed it: \w+ priority/);
    await expect(transcript).toContainText(/Alex Rivera resolved the conversation/);
    expect(await notReloaded(page)).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
    await close();
  });

  test.describe("two app instances on one database", () => {
    const secondPort = Number(process.env.E2E_SECOND_PORT ?? 3101);
    const second = `http://localhost:${secondPort}`;
    let server: ChildProcess | undefined;

    test.beforeAll(async () => {
      test.setTimeout(180_000);
      // The built app served by `npm start`'s script, in demo mode, on the e2e server's database.
      server = spawn(process.execPath, ["--import", "tsx/esm", "scripts/start.ts"], {
        env: { ...process.env, ...testDatabaseEnv(), PORT: String(secondPort), DEMO_MODE: "1", NODE_ENV: "development" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      server.stderr?.on("data", (chunk) => {
        stderr += String(chunk);
      });
      const deadline = Date.now() + 150_000;
      for (;;) {
        try {
          if ((await fetch(`${second}/healthz`)).ok) break;
        } catch {
          // not listening yet
        }
        if (server.exitCode !== null || Date.now() > deadline) throw new Error(`second instance did not start: ${stderr.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });

    test.afterAll(() => {
      server?.kill("SIGTERM");
    });

    test("a reply sent on one instance reaches a widget connected to the other; each agent sees the other one, across instances", async ({ page, browser, baseURL }) => {
      test.setTimeout(180_000);
      const customer = demoCustomer(1);
      // Alex works on instance A; Maya on instance B; the shopper's widget is served by instance B.
      await openInbox(page, baseURL!, "/app/inbox?view=waiting");
      const { log, close } = await shopperAsksForAPerson(browser, second, customer);

      const row = conversationRow(page, customer);
      await expect(row).toBeVisible({ timeout: 15_000 });
      await row.click();
      await expect(page).toHaveURL(/\/app\/inbox\/[0-9a-f-]{36}/);
      const conversationId = new URL(page.url()).pathname.split("/").at(-1)!;

      const mayaContext = await browser.newContext();
      const maya = await mayaContext.newPage();
      await openInbox(maya, second, `/app/inbox/${conversationId}?view=open`, "maya");
      await expect(maya.getByRole("log", { name: "Transcript" })).toContainText(`Where is my order ${customer.orderName}?`);

      // Collision detection across instances: each sees the other.
      await expect(page.getByText("Maya Lindqvist is viewing")).toBeVisible({ timeout: 20_000 });
      await expect(maya.getByText("Alex Rivera is viewing")).toBeVisible({ timeout: 20_000 });

      // Alex replies on instance A; the widget connected to instance B shows it live, and so does Maya's view.
      await page.getByRole("textbox", { name: "Reply to the shopper" }).fill("Hello from the team: your parcel is with the carrier.");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await expect(log).toContainText("your parcel is with the carrier", { timeout: 15_000 });
      await expect(maya.getByRole("log", { name: "Transcript" })).toContainText("your parcel is with the carrier", { timeout: 15_000 });
      expect(await notReloaded(maya)).toBe(true);
      await mayaContext.close();
      await close();
    });
  });
});
