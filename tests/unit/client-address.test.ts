import { describe, expect, it } from "vitest";
import { clientAddress } from "~/lib/server/client-address.server";

const request = (forwardedFor?: string) => new Request("http://localhost/proxy/conversations", { headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } });

describe("clientAddress (X-Forwarded-For with trusted proxy hops)", () => {
  it("takes the entry appended by the outermost trusted proxy, whatever the client put before it", () => {
    const hops1 = { trustedHops: 1, socketAddress: "10.0.0.5" };
    expect(clientAddress(request("203.0.113.7"), hops1)).toBe("203.0.113.7");
    expect(clientAddress(request("1.1.1.1, 203.0.113.7"), hops1)).toBe("203.0.113.7");
    expect(clientAddress(request("9.9.9.9,8.8.8.8 , 1.1.1.1,203.0.113.7"), hops1)).toBe("203.0.113.7");
    // Behind Shopify's proxy and a load balancer: the second entry from the right.
    const hops2 = { trustedHops: 2, socketAddress: "10.0.0.5" };
    expect(clientAddress(request("203.0.113.7, 23.227.38.65"), hops2)).toBe("203.0.113.7");
    expect(clientAddress(request("6.6.6.6, 7.7.7.7, 203.0.113.7, 23.227.38.65"), hops2)).toBe("203.0.113.7");
  });

  it("falls back to the connection's address without a trusted entry that is an IP address", () => {
    expect(clientAddress(request(), { trustedHops: 1, socketAddress: "198.51.100.4" })).toBe("198.51.100.4");
    expect(clientAddress(request("203.0.113.7"), { trustedHops: 2, socketAddress: "198.51.100.4" })).toBe("198.51.100.4");
    expect(clientAddress(request("203.0.113.7, junk"), { trustedHops: 1, socketAddress: "198.51.100.4" })).toBe("198.51.100.4");
    expect(clientAddress(request("203.0.113.7"), { trustedHops: 0, socketAddress: "198.51.100.4" })).toBe("198.51.100.4");
    expect(clientAddress(request("junk"), { trustedHops: 1 })).toBe("unknown");
  });

  it("writes one address one way: no port, brackets, IPv4-mapped prefix or upper case", () => {
    const hops1 = { trustedHops: 1 };
    expect(clientAddress(request("203.0.113.7:51234"), hops1)).toBe("203.0.113.7");
    expect(clientAddress(request("[2001:DB8::1]:443"), hops1)).toBe("2001:db8::1");
    expect(clientAddress(request("2001:db8::1"), hops1)).toBe("2001:db8::1");
    expect(clientAddress(request(), { trustedHops: 1, socketAddress: "::ffff:127.0.0.1" })).toBe("127.0.0.1");
  });
});
