import { afterEach, describe, expect, it, vi } from "vitest";
import { handleError } from "~/entry.server";

describe("server error log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("logs a failed request without the session token its URL carried", () => {
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
    const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MjAwMDAxIn0.c2lnbmF0dXJlLXZhbHVl";
    const request = new Request(`http://localhost/app/nowhere?shop=x.myshopify.com&id_token=${token}`);
    handleError(new Error(`No routes matched location "/app/nowhere?shop=x.myshopify.com&id_token=${token}"`), { request });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("No routes matched location");
    expect(logged[0]).not.toContain(token);
    expect(logged[0]).toContain("id_token=[redacted]");
  });

  it("says nothing for a request the client abandoned", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const controller = new AbortController();
    controller.abort();
    handleError(new Error("stream closed"), { request: new Request("http://localhost/proxy/events", { signal: controller.signal }) });
    expect(spy).not.toHaveBeenCalled();
  });
});
