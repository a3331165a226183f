import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * The support inbox in the embedded admin (demo): views with counts, filters in the URL, a conversation with
 * its transcript and customer panel, keyboard shortcuts, internal notes, live updates, accessibility.
 * Conversations are created through the real shopper path by tests/e2e/support/inbox-fixture.ts.
 */

interface Fixture {
  conversationId: string;
  token: string;
  customerName: string;
  email: string;
  orderName: string | null;
}

function createWaitingConversation(text?: string, sameCustomerAs?: string): Fixture {
  const output = execFileSync("node", ["--import", "tsx/esm", "tests/e2e/support/inbox-fixture.ts", text ?? "", ...(sameCustomerAs ? [sameCustomerAs] : [])], {
    encoding: "utf8",
    env: { ...process.env },
    timeout: 120_000,
  });
  return JSON.parse(output.trim().split("\n").at(-1)!) as Fixture;
}

function act(...args: string[]): Record<string, string> {
  const output = execFileSync("node", ["--import", "tsx/esm", "tests/e2e/support/inbox-actor.ts", ...args], { encoding: "utf8", env: { ...process.env }, timeout: 120_000 });
  return JSON.parse(output.trim().split("\n").at(-1)!) as Record<string, string>;
}

async function openInbox(page: Page, path = "/app/inbox") {
  await page.goto(`/demo/admin?path=${encodeURIComponent(path)}`);
  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  await expect(page.getByText("Live", { exact: true })).toBeVisible();
}

const list = (page: Page) => page.getByRole("list", { name: "Conversations", exact: true });
/** A conversation's row (by id: demo customers can share a name). */
const rowOf = (page: Page, conversation: { conversationId: string }) => list(page).locator(`a[href^="/app/inbox/${conversation.conversationId}?"]`);
const viewTab = (page: Page, name: string) => page.getByRole("tab", { name: new RegExp(`^${name}, \\d+ conversations?$`) });
const tabCount = async (page: Page, name: string) => Number((await viewTab(page, name).getAttribute("aria-label"))?.match(/, (\d+) conversation/)?.[1] ?? Number.NaN);

test.describe("support inbox", () => {
  let first: Fixture;

  test.beforeAll(() => {
    first = createWaitingConversation();
  });

  test("lists conversations with the views and their counts", async ({ page }) => {
    await openInbox(page, "/app/inbox?view=waiting");
    for (const view of ["Mine", "Unassigned", "Waiting on us", "All open", "Snoozed", "Resolved"]) await expect(viewTab(page, view)).toBeVisible();
    await expect(viewTab(page, "Waiting on us")).toHaveAttribute("aria-selected", "true");
    expect(await tabCount(page, "Waiting on us")).toBeGreaterThanOrEqual(1);
    expect(await tabCount(page, "All open")).toBeGreaterThanOrEqual(await tabCount(page, "Waiting on us"));
    const row = rowOf(page, first);
    await expect(row).toContainText(first.customerName);
    await expect(row).toBeVisible();
    // Waiting conversations show their SLA clock or wait time.
    await expect(row).toContainText(/SLA (due in|breached)|Waiting/);
  });

  test("keeps the view, filters and search in the URL across a reload", async ({ page }) => {
    await openInbox(page, "/app/inbox?view=open");
    await page.getByRole("tab", { name: /^Waiting on us,/ }).click();
    await expect(page).toHaveURL(/view=waiting/);
    await page.getByPlaceholder("Search messages, customers and emails").fill(first.email);
    await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(first.email).replace(/\./g, "\\.")}`));
    await expect(list(page).getByRole("listitem")).toHaveCount(1);
    await expect(list(page)).toContainText(first.customerName);

    await page.reload();
    await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/view=waiting/);
    await expect(page.getByPlaceholder("Search messages, customers and emails")).toHaveValue(first.email);
    await expect(viewTab(page, "Waiting on us")).toHaveAttribute("aria-selected", "true");
    await expect(list(page).getByRole("listitem")).toHaveCount(1);
    await expect(list(page)).toContainText(first.customerName);

    // A reload after the page's session token expired goes through the session-token bounce: the filters stay.
    const reloaded = new URL(page.url());
    const bounce = await page.request.get(`/auth/session-token?shopify-reload=${encodeURIComponent(reloaded.toString())}`, { maxRedirects: 0 });
    expect(bounce.status()).toBe(302);
    const target = new URL(bounce.headers().location!, reloaded);
    expect(target.pathname).toBe("/app/inbox");
    expect(target.searchParams.get("view")).toBe("waiting");
    expect(target.searchParams.get("q")).toBe(first.email);
    expect(target.searchParams.get("id_token")).not.toBe(reloaded.searchParams.get("id_token"));
  });

  test("opens a conversation with its transcript and the customer panel", async ({ page }) => {
    await openInbox(page, "/app/inbox?view=waiting");
    await rowOf(page, first).click();
    await expect(page).toHaveURL(new RegExp(`/app/inbox/${first.conversationId}\\?`));
    const transcript = page.getByRole("log", { name: "Transcript" });
    await expect(transcript).toContainText("where is my order");
    const panel = page.getByRole("complementary", { name: "Customer" });
    await expect(panel.getByRole("heading", { name: first.customerName })).toBeVisible();
    await expect(panel.getByText("Logged in", { exact: true })).toBeVisible();
    await expect(panel.getByText("Lifetime value")).toBeVisible();
    if (first.orderName) await expect(panel.getByRole("region", { name: `Order ${first.orderName}` })).toBeVisible();
    // Shipments link to the carrier's tracking page.
    await expect(panel.locator("a[target=_blank]").first()).toHaveAttribute("href", /^https?:\/\//);
  });

  test("works from the keyboard: j/k move, ? shows the shortcuts, e resolves", async ({ page }) => {
    test.setTimeout(120_000);
    const second = createWaitingConversation("My parcel arrived damaged, I need help.");
    await openInbox(page, "/app/inbox?view=waiting");
    const rows = list(page).getByRole("link");
    await expect(rows.nth(1)).toBeVisible();
    const firstHref = await rows.nth(0).getAttribute("href");
    const secondHref = await rows.nth(1).getAttribute("href");

    await page.locator("body").press("j");
    await expect(page).toHaveURL(new RegExp(firstHref!.split("?")[0]!));
    await expect(rows.nth(0)).toBeFocused();
    await page.keyboard.press("j");
    await expect(page).toHaveURL(new RegExp(secondHref!.split("?")[0]!));
    await expect(rows.nth(1)).toHaveAttribute("aria-current", "page");
    await page.keyboard.press("k");
    await expect(page).toHaveURL(new RegExp(firstHref!.split("?")[0]!));
    // The address changes before the page shows the conversation (Remix renders navigations in a transition); until
    // then the previous conversation and its reply box are on screen, and "r" would focus a box about to be replaced.
    await expect(rows.nth(0)).toHaveAttribute("aria-current", "page");

    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Resolve the conversation");
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    // Typing in the reply box is text, not shortcuts.
    await page.keyboard.press("r");
    const reply = page.getByRole("textbox", { name: "Reply to the shopper" });
    await expect(reply).toBeFocused();
    await page.keyboard.type("jk e");
    await expect(reply).toHaveValue("jk e");
    await expect(page).toHaveURL(new RegExp(firstHref!.split("?")[0]!));
    await reply.fill("");

    // Open the second fixture's conversation and resolve it with "e": it leaves Waiting on us.
    await page.goto(`/demo/admin?path=${encodeURIComponent(`/app/inbox/${second.conversationId}?view=waiting`)}`);
    await expect(page.getByRole("log", { name: "Transcript" })).toContainText("arrived damaged");
    const waitingBefore = await tabCount(page, "Waiting on us");
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("e");
    await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
    await expect(page.getByRole("log", { name: "Transcript" })).toContainText("resolved");
    await expect.poll(() => tabCount(page, "Waiting on us")).toBe(waitingBefore - 1);
    await expect(rowOf(page, second)).toHaveCount(0);
  });

  test("an internal note is shown as internal, never as a reply", async ({ page }) => {
    await openInbox(page, `/app/inbox/${first.conversationId}?view=open`);
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("n");
    const note = page.getByRole("textbox", { name: "Internal note" });
    await expect(note).toBeFocused();
    await note.fill("Checked with the warehouse: parcel left on Monday.");
    await page.getByRole("button", { name: "Add note" }).click();
    const entry = page.getByRole("listitem", { name: /^Internal note by / }).filter({ hasText: "Checked with the warehouse" });
    await expect(entry).toBeVisible();
    await expect(entry).toContainText("Internal — not sent to the shopper");
    await expect(note).toHaveValue("");
  });

  test("shows new conversations live, without a reload", async ({ page }) => {
    await openInbox(page, "/app/inbox?view=waiting");
    const before = await tabCount(page, "Waiting on us");
    const fresh = createWaitingConversation("Do you ship to Norway? I need a person to confirm.");
    await expect(rowOf(page, fresh)).toBeVisible();
    await expect.poll(() => tabCount(page, "Waiting on us")).toBe(before + 1);
  });

  test("collision detection: a colleague viewing and typing shows, and a message that arrived during the draft asks before sending", async ({ page }) => {
    test.setTimeout(180_000); // five helper processes act as the colleague and the shopper
    await openInbox(page, `/app/inbox/${first.conversationId}?view=open`);
    const transcript = page.getByRole("log", { name: "Transcript" });
    await expect(transcript).toBeVisible();

    const { name } = act("colleague", first.conversationId, "viewing");
    await expect(page.getByText(`${name} is viewing`)).toBeVisible();
    act("colleague", first.conversationId, "typing");
    await expect(page.getByText(`${name} is typing a reply`)).toBeVisible();
    act("colleague", first.conversationId, "leave");
    await expect(page.getByText(new RegExp(`${name} is (viewing|typing)`))).toHaveCount(0);

    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("r");
    const reply = page.getByRole("textbox", { name: "Reply to the shopper" });
    await reply.fill("Your parcel left our warehouse on Monday.");
    act("shopper", first.conversationId, "Hello? Is anyone there?");
    await expect(transcript).toContainText("Is anyone there?");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    const warning = page.getByText("New messages arrived since you started writing");
    await expect(warning).toBeVisible();
    await expect(page.getByText("Send anyway?")).toBeVisible();
    await page.getByRole("button", { name: "Send anyway" }).click();
    await expect(warning).toBeHidden();
    await expect(transcript.getByRole("listitem", { name: "Alex Rivera" }).filter({ hasText: "left our warehouse on Monday" })).toBeVisible();
    await expect(reply).toHaveValue("");
    await expect(page.getByText("Handled by staff")).toBeVisible();
  });

  test("the reply box inserts a macro filled from the conversation and offers the AI draft to edit or discard", async ({ page }) => {
    test.setTimeout(120_000);
    act("macro", first.conversationId, "Hi {{customer.first_name}}, about order {{order.name}}: {{order.tracking_url}} — {{agent.first_name}}");
    await openInbox(page, `/app/inbox/${first.conversationId}?view=open`);
    const reply = page.getByRole("textbox", { name: "Reply to the shopper" });
    await reply.fill("Thanks for waiting.");
    await page.getByRole("button", { name: "Macros" }).click();
    await page.getByRole("menuitem", { name: "E2E macro" }).click();
    const firstName = first.customerName.split(" ")[0]!;
    await expect(reply).toHaveValue(new RegExp(`^Thanks for waiting\\. Hi ${firstName}, about order ${first.orderName ?? ""}.*— Alex$`));
    if ((await reply.inputValue()).includes("{{")) await expect(page.getByText("Some macro variables have no value here")).toBeVisible();

    await page.getByRole("button", { name: "AI draft" }).click();
    const drafted = page.getByRole("button", { name: "Replace my text with the draft" });
    const none = page.getByText("No draft", { exact: true });
    await expect(drafted.or(none)).toBeVisible();
    if (await drafted.isVisible()) {
      await drafted.click();
      await expect(reply).not.toHaveValue(/Thanks for waiting/);
      expect((await reply.inputValue()).length).toBeGreaterThan(10);
    }
  });

  test("bulk actions: tick conversations, tag them, then find them by the tag", async ({ page }) => {
    const tag = `bulk-${Date.now().toString(36)}`;
    await openInbox(page, "/app/inbox?view=open");
    const boxes = list(page).getByRole("checkbox");
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await expect(page.getByText("2 selected")).toBeVisible();
    const bulk = page.getByRole("region", { name: "Bulk actions" });
    await bulk.getByRole("button", { name: "Tag" }).click();
    await page.getByLabel("Tag to add").fill(tag);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await expect(page.getByText("Tagged 2 conversations")).toBeVisible();
    await expect(page.getByText("2 selected")).toBeHidden();
    await openInbox(page, `/app/inbox?view=open&tag=${tag}`);
    await expect(list(page).getByRole("listitem")).toHaveCount(2);
    await expect(page.getByRole("button", { name: `Tag: ${tag}` }).or(page.getByText(`Tag: ${tag}`)).first()).toBeVisible();
  });

  test("a assigns from the keyboard; merge brings the customer's other conversation in", async ({ page }) => {
    test.setTimeout(120_000);
    const second = createWaitingConversation("Also, can I change the size of my jacket?", first.conversationId);
    await openInbox(page, `/app/inbox/${first.conversationId}?view=open`);
    await page.locator("body").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("a");
    await page.getByRole("menuitem", { name: "Maya Lindqvist" }).click();
    await expect(page.getByText("Assigned to Maya Lindqvist")).toBeVisible();
    const transcript = page.getByRole("log", { name: "Transcript" });
    await expect(transcript).toContainText("assigned it to Maya Lindqvist");

    await page.getByRole("button", { name: "Merge…" }).click();
    const dialog = page.getByRole("dialog", { name: "Merge a conversation into this one" });
    await dialog.getByRole("radio").first().check({ force: true }); // Polaris draws its own radio over the input
    await dialog.getByRole("button", { name: "Merge into this conversation" }).click();
    await expect(transcript).toContainText("change the size of my jacket");
    await expect(transcript).toContainText("where is my order");
    await expect(rowOf(page, second)).toHaveCount(0);
    await expect(rowOf(page, first)).toHaveCount(1);
  });

  test("the live stream needs a session token, carries event ids and replays what a reconnect missed", async ({ page }) => {
    test.setTimeout(120_000);
    const anonymous = await page.request.get("/app/inbox/events", { maxRedirects: 0 });
    expect(anonymous.headers()["content-type"] ?? "").not.toContain("text/event-stream");

    await openInbox(page, "/app/inbox?view=open");
    // Reads one stream (through App Bridge's fetch, which adds the bearer token) until `count` events or 20 s.
    const read = (lastEventId: string | null, count: number) =>
      page.evaluate(
        async ({ lastEventId, count }) => {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), 20_000);
          const response = await fetch("/app/inbox/events", { headers: lastEventId ? { "Last-Event-ID": lastEventId } : {}, signal: controller.signal });
          const frames: { id: string | null; event: string; data: string }[] = [];
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          try {
            while (frames.filter((frame) => frame.event !== "ready").length < count) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += value;
              let end = buffer.indexOf("\n\n");
              while (end !== -1) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const field = (name: string) => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? null;
                if (field("data") !== null) frames.push({ id: field("id"), event: field("event") ?? "message", data: field("data")! });
                end = buffer.indexOf("\n\n");
              }
            }
          } catch {
            // timed out: the caller checks what arrived
          } finally {
            clearTimeout(timer);
            controller.abort();
          }
          return { status: response.status, type: response.headers.get("Content-Type"), frames };
        },
        { lastEventId, count },
      );

    const live = read(null, 1);
    await page.waitForTimeout(1_000);
    act("colleague", first.conversationId, "viewing");
    const firstRead = await live;
    expect(firstRead.status).toBe(200);
    expect(firstRead.type).toContain("text/event-stream");
    expect(firstRead.frames[0]).toMatchObject({ event: "ready", data: JSON.stringify({ resumed: false }) });
    const seen = firstRead.frames.find((frame) => frame.event === "presence");
    expect(seen?.id).toMatch(/^\d+$/);
    expect(JSON.parse(seen!.data)).toMatchObject({ type: "presence", conversationId: first.conversationId, viewing: true });

    // Disconnected: the colleague leaves. The next connection, resuming from the last id, gets it first.
    act("colleague", first.conversationId, "leave");
    const resumed = await read(seen!.id, 1);
    expect(resumed.frames[0]).toMatchObject({ event: "ready", data: JSON.stringify({ resumed: true }) });
    const missed = resumed.frames.find((frame) => frame.event === "presence");
    expect(BigInt(missed!.id!)).toBeGreaterThan(BigInt(seen!.id!));
    expect(JSON.parse(missed!.data)).toMatchObject({ conversationId: first.conversationId, viewing: false });
  });

  test("has no serious accessibility violations with a conversation open", async ({ page }) => {
    await openInbox(page, `/app/inbox/${first.conversationId}?view=open`);
    await expect(page.getByRole("log", { name: "Transcript" })).toBeVisible();
    const results = await new AxeBuilder({ page }).include(".inbox").analyze();
    const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
    expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: "test-results/inbox.png" });
  });
});
