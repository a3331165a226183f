import { describe, expect, it } from "vitest";
import { parseTypedAddress } from "~/modules/assistant/tools/mailing-address";

/** New shipping addresses as shoppers type them, read into the platform's fields — or left to a person. */
describe("parseTypedAddress", () => {
  it.each([
    ["12 Alder Street, Apt 4B, Portland OR 97209", { address1: "12 Alder Street", address2: "Apt 4B", city: "Portland", provinceCode: "OR", zip: "97209" }],
    ["Please change the address on order #1003 to 5 Pine Road, Salem OR 97301", { address1: "5 Pine Road", city: "Salem", provinceCode: "OR", zip: "97301" }],
    ["55 Birch Lane, Seattle, WA 98101, USA", { address1: "55 Birch Lane", city: "Seattle", provinceCode: "WA", zip: "98101", countryCode: "US" }],
    ["200 Queen St W, Toronto ON M5V 3L9", { address1: "200 Queen St W", city: "Toronto", provinceCode: "ON", zip: "M5V 3L9", countryCode: "CA" }],
    ["10 Downing Street, London SW1A 2AA", { address1: "10 Downing Street", city: "London", zip: "SW1A 2AA", countryCode: "GB" }],
    ["12 rue de la Paix, 75002 Paris, France", { address1: "12 rue de la Paix", city: "Paris", zip: "75002", countryCode: "FR" }],
    ["Hauptstraße 5, 10115 Berlin", { address1: "Hauptstraße 5", city: "Berlin", zip: "10115" }],
    ["Neue Adresse: Calle Mayor 7, 28013 Madrid, España", { address1: "Calle Mayor 7", city: "Madrid", zip: "28013", countryCode: "ES" }],
  ])("%s", (text, expected) => {
    expect(parseTypedAddress(text)).toEqual(expected);
  });

  it.each(["I need to change the shipping address on order #1008", "somewhere near the park", "12 Alder Street Portland", "Apt 4B, 97209"])("leaves %j to a person", (text) => {
    expect(parseTypedAddress(text)).toBeNull();
  });
});
