import { execFileSync } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";

/**
 * The Settings page end to end in the demo admin (as the shop's owner, Maya): a save reaches the storefront
 * widget's next reply and the assistant's next refund decision; an invalid form saves nothing.
 */
function support(script: string, ...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx/esm", `tests/e2e/support/${script}`, ...args], { encoding: "utf8", timeout: 60_000 }).trim();
}

async function openSettings(page: Page, as = "maya") {
  await page.goto(`/demo/admin?as=${as}&path=/app/settings`);
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/Settings/);
}

/** Sets the demo's values back (other specs expect Juniper and the seeded limit). */
async function restore(page: Page) {
  await openSettings(page);
  const name = page.getByLabel("Assistant name");
  const limit = page.getByLabel("Auto-approve refunds up to");
  if ((await name.inputValue()) === "Juniper" && (await limit.inputValue()) === "50.00") return;
  await name.fill("Juniper");
  await limit.fill("50.00");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText(/Settings saved/)).toBeVisible();
}

async function chat(page: Page, email: string) {
  await page.goto(`/demo/storefront?customer=${encodeURIComponent(email)}`);
  await page.getByRole("button", { name: "Chat with us" }).click();
  const panel = page.getByRole("dialog");
  await expect(panel.getByRole("textbox", { name: "Your message" })).toBeVisible();
  const log = panel.getByRole("log");
  const say = async (text: string) => {
    const before = await log.locator('[data-author="assistant"]').count();
    await panel.getByRole("textbox", { name: "Your message" }).fill(text);
    await page.keyboard.press("Enter");
    // A reply gets its data-author once it is complete (the streamed draft has none).
    const reply = log.locator('[data-author="assistant"]').nth(before);
    await expect(reply).toBeVisible();
    return ((await reply.locator(".bubble").textContent()) ?? "").trim();
  };
  return { panel, say };
}

test.describe("settings", () => {
  test.afterEach(async ({ page }) => {
    await restore(page);
  });

  test("a new assistant name and refund limit apply to the widget's next reply and the next refund decision", async ({ page }) => {
    const { email, orderName } = JSON.parse(support("returnable-order.ts")) as { email: string; orderName: string };
    expect(orderName).toBeTruthy();

    // Before: Juniper answers, and the return is within the $50 the assistant may approve.
    const before = await chat(page, email);
    expect(await before.say("tell me a joke")).toMatch(/^I'm Juniper, this shop's assistant/);
    const withinLimit = await before.say(`I'd like to return order ${orderName}, it doesn't fit`);
    expect(withinLimit).toMatch(new RegExp(`^Here's the return I'd ask the store to open for order ${orderName}`));
    expect(withinLimit).not.toMatch(/A team member will review/);
    await before.say("No");

    await openSettings(page);
    await page.getByLabel("Assistant name").fill("Sage");
    await page.getByLabel("Auto-approve refunds up to").fill("1");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByText("Settings saved (2 changes). They apply from the next shopper message.")).toBeVisible();
    // Stored as the amount it is.
    await expect(page.getByLabel("Auto-approve refunds up to")).toHaveValue("1.00");
    await expect(page.getByRole("button", { name: "Save", exact: true })).toBeHidden();

    // The conversation goes on (the widget keeps it): its next reply is Sage's.
    const resumed = await chat(page, email);
    await expect(resumed.panel.getByRole("heading", { name: "Sage" })).toBeVisible();
    expect(await resumed.say("tell me a joke")).toMatch(/^I'm Sage, this shop's assistant/);

    // A new conversation (asking for the same return twice in one reads as frustration): it now waits for the team.
    await page.evaluate(() => window.localStorage.clear());
    const after = await chat(page, email);
    await expect(after.panel.getByRole("heading", { name: "Sage" })).toBeVisible();
    const overLimit = await after.say(`I'd like to return order ${orderName}, it doesn't fit`);
    expect(overLimit).toMatch(/A team member will review this return before it's approved\. Shall I send this request\?$/);
    expect(await after.say("Yes")).toMatch(new RegExp(`sent your return request for order ${orderName} .* to our team`));
  });

  test("invalid settings show the error under each field and save nothing", async ({ page }, testInfo) => {
    await openSettings(page);
    await page.getByLabel("Assistant name").fill("");
    await page.getByLabel("Return window").fill("0");
    await page.getByLabel("Avatar image").fill("http://images.example.com/sage.png");
    await page.getByRole("button", { name: "Save", exact: true }).click();

    await expect(page.getByText("Nothing was saved")).toBeVisible();
    const nameField = page.getByLabel("Assistant name");
    await expect(nameField).toHaveAttribute("aria-invalid", "true");
    const errorOf = async (label: string) => {
      const id = (await page.getByLabel(label).getAttribute("aria-describedby"))?.split(" ").find((part) => part.endsWith("Error"));
      expect(id).toBeTruthy();
      return page.locator(`[id="${id}"]`);
    };
    await expect(await errorOf("Assistant name")).toHaveText("Enter a name.");
    await expect(await errorOf("Return window")).toHaveText("The return window must be at least 1.");
    await expect(await errorOf("Avatar image")).toHaveText("Enter an https:// address of an image, or leave it empty.");
    // The merchant's edits stay in the form to fix, and the save bar with them.
    await expect(page.getByLabel("Return window")).toHaveValue("0");
    await expect(page.getByRole("button", { name: "Discard" })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("settings-errors.png"), fullPage: true });

    // Nothing was stored: a fresh page shows the saved values.
    await openSettings(page);
    await expect(page.getByLabel("Assistant name")).toHaveValue("Juniper");
    await expect(page.getByLabel("Return window")).toHaveValue("30");
    await expect(page.getByLabel("Avatar image")).toHaveValue("");
  });

  test("staff who are not owners or admins see the settings read-only", async ({ page }) => {
    await openSettings(page, "alex");
    await expect(page.getByText("Only the store owner and admins can change settings")).toBeVisible();
    await expect(page.getByLabel("Assistant name")).toBeDisabled();
    await expect(page.getByLabel("Assistant name")).toHaveValue("Juniper");
  });
});
