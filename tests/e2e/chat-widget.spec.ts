import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * The storefront chat end to end: the app embed rendered by a real Liquid engine, every request through the
 * local app-proxy signer to the app, the offline assistant on the demo shop's data, in Debian's Chromium.
 */
function support(script: string, ...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx/esm", `tests/e2e/support/${script}`, ...args], { encoding: "utf8", timeout: 60_000 }).trim();
}

async function openChat(page: Page) {
  await page.getByRole("button", { name: "Chat with us" }).click();
  const panel = page.getByRole("dialog");
  await expect(panel).toBeVisible();
  await expect(panel.getByRole("textbox", { name: "Your message" })).toBeVisible();
  return panel;
}

async function conversationToken(page: Page) {
  return page.evaluate(() => {
    const shop = document.getElementById("shopdesk-chat-root")?.dataset.shopdeskShop ?? "";
    return window.localStorage.getItem(`shopdesk:v1:${shop}`);
  });
}

test.describe("storefront chat widget", () => {
  test("answers from the help centre with a streamed reply, verifies an order, hands off, gets the staff reply live, keeps history and takes a rating", async ({ page }) => {
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith("http://localhost")) foreign.push(request.url());
    });
    // Record the reply stream's server-sent events as the page's fetch receives them (a tee of the body).
    await page.addInitScript(() => {
      const frames: string[] = [];
      (window as unknown as { __sseFrames: string[] }).__sseFrames = frames;
      const original = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        const response = await original(input, init);
        const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        if (!url.includes("/apps/shopdesk/messages") || !response.body || !response.headers.get("content-type")?.includes("text/event-stream")) return response;
        const [forPage, forTest] = response.body.tee();
        void (async () => {
          const reader = forTest.getReader();
          const decoder = new TextDecoder();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
              frames.push(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
            }
          }
        })();
        return new Response(forPage, { status: response.status, headers: response.headers });
      };
    });
    await page.goto("/demo/storefront");
    const panel = await openChat(page);

    // A knowledge question: the reply streams back as server-sent events and cites its source.
    await panel.getByRole("textbox", { name: "Your message" }).fill("Do you ship internationally?");
    await page.keyboard.press("Enter");
    const log = panel.getByRole("log");
    const answer = log.locator('[data-author="assistant"]').first();
    await expect(answer).toContainText(/international/i);
    // Its source is shown once, under the bubble, not in the text as well.
    await expect(answer.locator(".cite")).toHaveCount(1);
    await expect(answer.locator(".cite")).toHaveText(/^Source: \S/);
    await expect(answer.locator(".bubble")).not.toContainText("Source");
    const frames = await page.evaluate(() => (window as unknown as { __sseFrames: string[] }).__sseFrames);
    const kinds = frames.map((frame) => frame.split("\n")[0]!.replace("event: ", ""));
    expect(kinds.filter((kind) => kind === "delta").length).toBeGreaterThan(1);
    // Text pieces first, then the finished message and the end of the turn.
    expect(kinds.indexOf("delta")).toBeLessThan(kinds.lastIndexOf("message"));
    expect(kinds.at(-1)).toBe("done");

    // Order verification through the form: the order card shows the tracking link.
    const order = JSON.parse(support("demo-order.ts")) as { name: string; email: string; trackingNumber: string };
    await panel.getByRole("button", { name: "Check an order" }).click();
    await panel.getByRole("textbox", { name: "Order number" }).fill(order.name);
    await panel.getByRole("textbox", { name: "Email address" }).fill(order.email);
    await panel.getByRole("button", { name: "Check order" }).click();
    await expect(log).toContainText(order.name);
    const track = log.getByRole("link", { name: /Track package/ });
    await expect(track).toHaveAttribute("href", new RegExp(order.trackingNumber));
    await expect(track).toHaveAttribute("target", "_blank");

    // "Talk to a person", then a staff member answers from the inbox side: it arrives live.
    await panel.getByRole("button", { name: "Talk to a person" }).click();
    await expect(log).toContainText(/our team/i);
    const token = await conversationToken(page);
    expect(token).toBeTruthy();
    support("staff-reply.ts", token!, "Hi, this is the Northwind team. Your parcel is on its way!");
    await expect(log).toContainText("Your parcel is on its way!", { timeout: 20_000 });

    // A reload keeps the conversation.
    await page.reload();
    const reopened = await openChat(page);
    await expect(reopened.getByRole("log")).toContainText("Do you ship internationally?");
    await expect(reopened.getByRole("log")).toContainText("Your parcel is on its way!");
    expect(await conversationToken(page)).toBe(token);

    // Rating when the shopper ends the chat.
    await reopened.getByRole("button", { name: "End chat" }).click();
    await reopened.getByRole("radio", { name: /Excellent/ }).check();
    await reopened.getByRole("textbox", { name: /Anything you'd like to add/ }).fill("Fast and friendly");
    await reopened.getByRole("button", { name: "Send feedback" }).click();
    await expect(reopened).toContainText("Thanks for your feedback!");
    expect(foreign).toEqual([]);
    await page.screenshot({ path: "test-results/chat-widget.png" });
  });

  test("is accessible: no serious axe violations, full keyboard use, labelled live region", async ({ page }) => {
    await page.goto("/demo/storefront");
    const launcher = page.getByRole("button", { name: "Chat with us" });
    await launcher.focus();
    await page.keyboard.press("Enter");
    const panel = page.getByRole("dialog");
    await expect(panel).toBeVisible();
    // Focus moved into the panel.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id === "shopdesk-chat-root" || Boolean(document.activeElement?.shadowRoot?.activeElement) || document.activeElement?.closest?.("#shopdesk-chat-root") !== null)).toBe(true);
    const log = panel.getByRole("log");
    await expect(log).toHaveAttribute("aria-live", "polite");

    const results = await new AxeBuilder({ page }).include("#shopdesk-chat-root").analyze();
    const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);

    // Tab reaches the composer and the send button without a mouse; Escape closes and focus returns.
    const composer = panel.getByRole("textbox", { name: "Your message" });
    for (let presses = 0; presses < 15 && !(await composer.evaluate((element) => element.matches(":focus"))); presses++) await page.keyboard.press("Tab");
    await expect(composer).toBeFocused();
    await page.keyboard.type("hello");
    await page.keyboard.press("Enter");
    await expect(log).toContainText("hello");
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    await expect(launcher).toBeFocused();
  });

  test("speaks the storefront's language: French strings, greeting and chips, French replies with clickable links and dates", async ({ page }, testInfo) => {
    await page.goto("/demo/storefront?locale=fr");
    await page.getByRole("button", { name: "Discuter avec nous" }).click();
    const panel = page.getByRole("dialog");
    const log = panel.getByRole("log");
    await expect(panel.getByRole("button", { name: "Parler à une personne" })).toBeVisible();
    await expect(panel.getByRole("button", { name: "Vérifier une commande" })).toBeVisible();
    // The merchant's greeting is English (the shop's primary language): a French shopper is greeted in French, by name.
    await expect(log).toContainText("Bonjour ! Je suis Juniper, l'assistant de Northwind Outfitters. Comment puis-je vous aider ?");
    await expect(log).not.toContainText("Hi, I'm Juniper");
    const chips = panel.getByRole("group", { name: "Réponses suggérées" });
    await expect(chips.getByRole("button")).toHaveText(["Où est ma commande ?", "Faire un retour", "Frais de livraison", "Moyens de paiement"]);
    await page.screenshot({ path: testInfo.outputPath("chat-widget-fr.png") });

    // A chip is sent as the shopper's message, and the assistant answers in French.
    await chips.getByRole("button", { name: "Où est ma commande ?" }).click();
    await expect(log.locator('[data-author="shopper"]')).toHaveText(/Où est ma commande \?/);
    await expect(log.locator('[data-author="assistant"]').first()).toContainText(/\b(vous|votre|commande)\b/);

    // The order form (opened by the assistant's question, or from the panel's own button).
    await panel.getByRole("button", { name: "Vérifier une commande" }).click();
    const form = panel.getByRole("form", { name: "Vérifier une commande" });
    await expect(form).toBeVisible();

    // The order's reply carries its tracking page as a link, and the order card's dates are French.
    const order = JSON.parse(support("demo-order.ts")) as { name: string; email: string; trackingNumber: string };
    await form.getByRole("textbox", { name: "Numéro de commande" }).fill(order.name);
    await form.getByRole("textbox", { name: "Adresse e-mail" }).fill(order.email);
    await form.getByRole("button", { name: "Vérifier la commande" }).click();
    const reply = log.locator('[data-author="assistant"]', { hasText: order.trackingNumber }).last();
    await expect(reply).toBeVisible();
    const link = reply.locator(".bubble a");
    await expect(link).toHaveCount(1);
    await expect(link).toHaveAttribute("href", /^https?:\/\/\S+$/);
    await expect(link).toHaveAttribute("target", "_blank");
    await expect(link).toHaveAttribute("rel", "noopener noreferrer");
    await expect(link).toContainText("(s'ouvre dans un nouvel onglet)");
    await expect(reply.locator(".order__meta")).toHaveText(/^Passée le \d{1,2} [a-zéû]+\.? \d{4}$/);
    await expect(reply.locator(".order")).toContainText("Suivre le colis");
    await page.screenshot({ path: testInfo.outputPath("chat-widget-fr-order.png") });
  });
});
