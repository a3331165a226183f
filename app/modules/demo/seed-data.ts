/**
 * Static content of the demo shop "Northwind Outfitters": store facts, the product catalogue, staff,
 * name and address pools for generated customers, help-centre articles and the four shop policies.
 * Every fact below (prices, windows, fees, hours) is stated once in STORE_FACTS and repeated consistently
 * in the Markdown, so the assistant's answers can be checked against the articles.
 */

export const DEMO_SHOP_NAME = "Northwind Outfitters";

export const STORE_FACTS = {
  name: DEMO_SHOP_NAME,
  website: "northwindoutfitters.example.com",
  supportEmail: "support@northwindoutfitters.example.com",
  privacyEmail: "privacy@northwindoutfitters.example.com",
  phone: "+1 (503) 555-0148",
  timezone: "America/Los_Angeles",
  currency: "USD",
  locales: ["en", "fr", "de", "es"],
  warehouse: { city: "Portland", province: "Oregon", provinceCode: "OR", countryCode: "US" },
  returnsAddress: "Northwind Outfitters Returns, 1850 NW Timberline Way, Portland, OR 97209, USA",
  returnWindowDays: 30,
  freeShippingThresholdCents: 7_500,
  freeInternationalThresholdCents: 20_000,
  returnLabelFeeCents: 695,
  autoApproveRefundLimit: 50,
  /** Shipping rates in cents. */
  rates: {
    standard: 695,
    expedited: 1_495,
    express: 2_995,
    remoteUs: 1_295,
    canada: 1_995,
    international: 2_995,
  },
} as const;

// ---------------------------------------------------------------- Catalogue

export interface SeedProductDef {
  handle: string;
  title: string;
  productType: string;
  vendor?: string;
  /** Short code used in SKUs: NW-<code>-<variant>. */
  code: string;
  /** Price in dollars of every variant unless `variantPrices` is given. */
  price: number;
  /** 1–4 variant titles; a single "Default Title" variant when omitted. */
  variants?: string[];
  variantPrices?: number[];
  tags: string[];
  description: string;
  /** Sold out: every variant has zero inventory and the product is unavailable. */
  soldOut?: boolean;
  /** Relative sales popularity (default 1). */
  popularity?: number;
  /** Not sold through orders in the demo data (gift cards are delivered by email). */
  notShipped?: boolean;
}

const MENS = ["S", "M", "L", "XL"];
const WOMENS = ["XS", "S", "M", "L"];

export const PRODUCTS: SeedProductDef[] = [
  // Jackets and insulation
  {
    handle: "cascade-rain-shell-mens",
    title: "Cascade 2.5L Rain Shell - Men's",
    productType: "Jackets",
    code: "CRS-M",
    price: 149,
    variants: MENS,
    tags: ["mens", "jackets", "waterproof", "hiking", "regular-fit"],
    description:
      "A packable 2.5-layer waterproof, breathable shell with pit zips, a helmet-compatible hood and taped seams. Regular fit with room for a fleece underneath. Packs into its own chest pocket.",
    popularity: 3,
  },
  {
    handle: "cascade-rain-shell-womens",
    title: "Cascade 2.5L Rain Shell - Women's",
    productType: "Jackets",
    code: "CRS-W",
    price: 149,
    variants: WOMENS,
    tags: ["womens", "jackets", "waterproof", "hiking", "regular-fit"],
    description:
      "Our best-selling rain shell cut for women: 2.5-layer waterproof membrane, fully taped seams, pit zips and an adjustable hood. Regular fit with room for a mid layer.",
    popularity: 3,
  },
  {
    handle: "summit-down-parka-mens",
    title: "Summit 700-Fill Down Parka - Men's",
    productType: "Jackets",
    code: "SDP-M",
    price: 289,
    variants: MENS,
    tags: ["mens", "jackets", "insulated", "winter", "relaxed-fit"],
    description:
      "A hip-length winter parka insulated with 700-fill-power responsibly sourced down and a water-resistant shell. Relaxed fit to layer over a fleece. Rated for city winters and cold camp evenings.",
  },
  {
    handle: "summit-down-parka-womens",
    title: "Summit 700-Fill Down Parka - Women's",
    productType: "Jackets",
    code: "SDP-W",
    price: 289,
    variants: WOMENS,
    tags: ["womens", "jackets", "insulated", "winter", "relaxed-fit"],
    description:
      "Thigh-length 700-fill down parka with a removable faux-fur hood trim, fleece-lined hand pockets and a two-way zip. Relaxed fit for layering.",
  },
  {
    handle: "packable-puffer-jacket-womens",
    title: "Packable Puffer Jacket - Women's",
    productType: "Jackets",
    code: "PPJ-W",
    price: 179,
    variants: WOMENS,
    tags: ["womens", "jackets", "insulated", "packable", "regular-fit"],
    description:
      "A lightweight synthetic puffer that stays warm when damp and stuffs into its own pocket. Regular fit that works as a mid layer under a shell.",
    soldOut: true,
  },
  {
    handle: "trailhead-softshell-jacket-mens",
    title: "Trailhead Softshell Jacket - Men's",
    productType: "Jackets",
    code: "TSJ-M",
    price: 129,
    variants: MENS,
    tags: ["mens", "jackets", "softshell", "hiking", "trim-fit"],
    description:
      "Stretchy, wind-resistant softshell with a brushed interior and a DWR finish that sheds light showers. Trim fit for high-output days on the trail.",
  },
  {
    handle: "alpine-insulated-vest-womens",
    title: "Alpine Insulated Vest - Women's",
    productType: "Jackets",
    code: "AIV-W",
    price: 119,
    variants: WOMENS,
    tags: ["womens", "vests", "insulated", "regular-fit"],
    description:
      "Core warmth without bulk: a synthetic-insulated vest with a stand-up collar and zippered hand pockets. Regular fit.",
  },
  {
    handle: "storm-rain-pants-unisex",
    title: "Storm Rain Pants - Unisex",
    productType: "Pants",
    code: "SRP-U",
    price: 99,
    variants: MENS,
    tags: ["unisex", "pants", "waterproof", "hiking", "regular-fit"],
    description:
      "Full-length waterproof pants with ankle zips so you can pull them on over boots. Unisex sizing follows our men's size chart.",
  },
  // Fleece and tops
  {
    handle: "ridgeline-fleece-hoodie-mens",
    title: "Ridgeline Fleece Hoodie - Men's",
    productType: "Fleece",
    code: "RFH-M",
    price: 89,
    variants: MENS,
    tags: ["mens", "fleece", "layering", "regular-fit"],
    description:
      "A grid-fleece hoodie that breathes on the climb and keeps you warm at the summit. Made with 80% recycled polyester. Regular fit.",
    popularity: 2,
  },
  {
    handle: "ridgeline-fleece-hoodie-womens",
    title: "Ridgeline Fleece Hoodie - Women's",
    productType: "Fleece",
    code: "RFH-W",
    price: 89,
    variants: WOMENS,
    tags: ["womens", "fleece", "layering", "regular-fit"],
    description:
      "Grid-fleece hoodie with thumb loops and a scuba hood. Made with 80% recycled polyester. Regular fit.",
    popularity: 2,
  },
  {
    handle: "basecamp-flannel-shirt-mens",
    title: "Basecamp Flannel Shirt - Men's",
    productType: "Shirts",
    code: "BFS-M",
    price: 69,
    variants: MENS,
    tags: ["mens", "shirts", "organic-cotton", "relaxed-fit"],
    description:
      "Heavyweight brushed organic-cotton flannel with two chest pockets. Relaxed fit. Pre-washed, but may shrink up to 3% if tumble-dried hot.",
    popularity: 2,
  },
  {
    handle: "basecamp-flannel-shirt-womens",
    title: "Basecamp Flannel Shirt - Women's",
    productType: "Shirts",
    code: "BFS-W",
    price: 69,
    variants: WOMENS,
    tags: ["womens", "shirts", "organic-cotton", "relaxed-fit"],
    description:
      "Our soft organic-cotton flannel in a women's relaxed cut with a curved hem. Pre-washed; wash cold to keep the fit.",
  },
  {
    handle: "merino-150-base-layer-crew-mens",
    title: "Merino 150 Base Layer Crew - Men's",
    productType: "Base Layers",
    code: "M15-M",
    price: 75,
    variants: MENS,
    tags: ["mens", "base-layer", "merino", "trim-fit"],
    description:
      "Lightweight 150 g/m² merino wool crew that regulates temperature and resists odor for days. Trim fit, designed to be worn next to skin.",
    popularity: 2,
  },
  {
    handle: "merino-150-base-layer-crew-womens",
    title: "Merino 150 Base Layer Crew - Women's",
    productType: "Base Layers",
    code: "M15-W",
    price: 75,
    variants: WOMENS,
    tags: ["womens", "base-layer", "merino", "trim-fit"],
    description: "Lightweight 150 g/m² merino wool crew with flatlock seams. Trim fit, worn next to skin.",
    popularity: 2,
  },
  {
    handle: "merino-250-base-layer-bottoms-mens",
    title: "Merino 250 Base Layer Bottoms - Men's",
    productType: "Base Layers",
    code: "M25-M",
    price: 85,
    variants: MENS,
    tags: ["mens", "base-layer", "merino", "winter", "trim-fit"],
    description:
      "Midweight 250 g/m² merino leggings for cold days on the trail or the slopes. Trim fit with a soft, wide waistband.",
  },
  {
    handle: "sun-hoodie-upf50-unisex",
    title: "Sun Hoodie UPF 50 - Unisex",
    productType: "Shirts",
    code: "SHU-U",
    price: 59,
    variants: MENS,
    tags: ["unisex", "shirts", "sun-protection", "regular-fit"],
    description:
      "A featherweight hoodie with UPF 50 sun protection, thumb loops and a scuba-style hood. Unisex sizing follows our men's size chart.",
    popularity: 2,
  },
  {
    handle: "everyday-organic-tee",
    title: "Everyday Organic Tee",
    productType: "Shirts",
    code: "EOT",
    price: 32,
    variants: MENS,
    tags: ["unisex", "shirts", "organic-cotton", "regular-fit"],
    description: "A soft 100% organic-cotton tee with the Northwind compass logo. Regular fit, unisex sizing.",
    popularity: 3,
  },
  // Pants and shorts
  {
    handle: "switchback-hiking-pants-mens",
    title: "Switchback Hiking Pants - Men's",
    productType: "Pants",
    code: "SHP-M",
    price: 95,
    variants: ["30 Regular", "32 Regular", "34 Regular", "36 Regular"],
    tags: ["mens", "pants", "hiking", "stretch", "regular-fit"],
    description:
      "Four-way stretch nylon hiking pants with a DWR finish, zippered thigh pocket and articulated knees. 32-inch inseam. Regular fit.",
    popularity: 2,
  },
  {
    handle: "switchback-hiking-pants-womens",
    title: "Switchback Hiking Pants - Women's",
    productType: "Pants",
    code: "SHP-W",
    price: 95,
    variants: ["4", "6", "8", "10"],
    tags: ["womens", "pants", "hiking", "stretch", "regular-fit"],
    description:
      "Stretch hiking pants with a contoured waistband and roll-up cuffs. 30-inch inseam. Regular fit; see the women's size chart for numeric sizes.",
    popularity: 2,
  },
  {
    handle: "convertible-trek-pants-mens",
    title: "Convertible Trek Pants - Men's",
    productType: "Pants",
    code: "CTP-M",
    price: 89,
    variants: ["30 Regular", "32 Regular", "34 Regular", "36 Regular"],
    tags: ["mens", "pants", "hiking", "convertible", "relaxed-fit"],
    description:
      "Zip-off legs turn these quick-dry pants into shorts in seconds. Color-coded zippers, UPF 40 fabric, relaxed fit.",
  },
  {
    handle: "trail-running-shorts-mens",
    title: "Trail Running Shorts - Men's",
    productType: "Shorts",
    code: "TRS-M",
    price: 48,
    variants: MENS,
    tags: ["mens", "shorts", "running", "trim-fit"],
    description: "Seven-inch running shorts with a built-in brief and a zippered back pocket that fits a phone.",
  },
  {
    handle: "trail-running-shorts-womens",
    title: "Trail Running Shorts - Women's",
    productType: "Shorts",
    code: "TRS-W",
    price: 48,
    variants: WOMENS,
    tags: ["womens", "shorts", "running", "trim-fit"],
    description: "Four-inch running shorts with a built-in liner and a zippered back pocket.",
  },
  // Accessories
  {
    handle: "merino-hiking-socks-2-pack",
    title: "Merino Hiking Socks (2-Pack)",
    productType: "Socks",
    code: "MHS",
    price: 26,
    variants: ["S", "M", "L"],
    tags: ["unisex", "socks", "merino", "hiking", "hygiene-item"],
    description:
      "Cushioned merino-blend crew socks with a seamless toe. Sold in pairs of two. Socks can't be returned once the packaging has been opened.",
    popularity: 4,
  },
  {
    handle: "lightweight-running-socks-3-pack",
    title: "Lightweight Running Socks (3-Pack)",
    productType: "Socks",
    code: "LRS",
    price: 22,
    variants: ["S", "M", "L"],
    tags: ["unisex", "socks", "running", "hygiene-item"],
    description: "Thin, quick-drying low-cut socks with arch support. Returnable only while the pack is unopened.",
    popularity: 2,
  },
  {
    handle: "ridge-beanie",
    title: "Ridge Beanie",
    productType: "Accessories",
    code: "RBN",
    price: 29,
    variants: ["Charcoal", "Forest", "Rust"],
    tags: ["unisex", "hats", "merino", "winter"],
    description: "A rib-knit merino-blend beanie with a fold-up cuff. One size.",
    popularity: 2,
  },
  {
    handle: "wide-brim-sun-hat",
    title: "Wide Brim Sun Hat",
    productType: "Accessories",
    code: "WBH",
    price: 39,
    variants: ["S/M", "L/XL"],
    tags: ["unisex", "hats", "sun-protection"],
    description: "UPF 50 sun hat with a three-inch brim, a chin cord and a mesh vent band. Floats if you drop it in the river.",
  },
  {
    handle: "trail-cap",
    title: "Trail Cap",
    productType: "Accessories",
    code: "TCP",
    price: 28,
    variants: ["Black", "Olive"],
    tags: ["unisex", "hats", "running"],
    description: "A lightweight, quick-dry five-panel cap with a reflective logo. One size, adjustable strap.",
  },
  {
    handle: "fleece-gloves",
    title: "Fleece Gloves",
    productType: "Accessories",
    code: "FGL",
    price: 32,
    variants: ["S", "M", "L"],
    tags: ["unisex", "gloves", "winter"],
    description: "Stretch fleece gloves with touchscreen-compatible fingertips and a silicone grip palm.",
  },
  {
    handle: "waterproof-gaiters",
    title: "Waterproof Gaiters",
    productType: "Accessories",
    code: "WGT",
    price: 45,
    variants: ["S/M", "L/XL"],
    tags: ["unisex", "gaiters", "waterproof", "hiking"],
    description: "Knee-high waterproof gaiters for mud, snow and river crossings. Hook-and-loop front closure.",
  },
  {
    handle: "personalized-enamel-camp-mug",
    title: "Personalized Enamel Camp Mug",
    productType: "Camp Kitchen",
    code: "PEM",
    price: 24,
    tags: ["camp-kitchen", "personalized", "gift"],
    description:
      "A 12 oz enamel steel mug engraved with up to 20 characters of your choice. Personalized items are made to order and can't be returned unless they arrive damaged or with an engraving error.",
  },
  // Footwear
  {
    handle: "ridgeback-waterproof-hiking-boot-mens",
    title: "Ridgeback Waterproof Hiking Boot - Men's",
    productType: "Footwear",
    code: "RWB-M",
    price: 179,
    variants: ["9", "10", "11", "12"],
    tags: ["mens", "footwear", "boots", "waterproof", "hiking"],
    description:
      "A mid-height leather hiking boot with a waterproof membrane, a grippy Vibram outsole and a cushioned EVA midsole. Fits true to size; order a half size up if you're between sizes.",
    popularity: 3,
  },
  {
    handle: "ridgeback-waterproof-hiking-boot-womens",
    title: "Ridgeback Waterproof Hiking Boot - Women's",
    productType: "Footwear",
    code: "RWB-W",
    price: 179,
    variants: ["6", "7", "8", "9"],
    tags: ["womens", "footwear", "boots", "waterproof", "hiking"],
    description:
      "Our waterproof leather hiking boot on a women's last with a narrower heel. Fits true to size; order a half size up if you're between sizes.",
    popularity: 3,
  },
  {
    handle: "trailrunner-gtx-mens",
    title: "Trailrunner GTX - Men's",
    productType: "Footwear",
    code: "TGX-M",
    price: 149,
    variants: ["9", "10", "11", "12"],
    tags: ["mens", "footwear", "running", "waterproof"],
    description: "A waterproof trail-running shoe with 5 mm lugs and a rock plate. Runs slightly narrow.",
    popularity: 2,
  },
  {
    handle: "trailrunner-gtx-womens",
    title: "Trailrunner GTX - Women's",
    productType: "Footwear",
    code: "TGX-W",
    price: 149,
    variants: ["6", "7", "8", "9"],
    tags: ["womens", "footwear", "running", "waterproof"],
    description: "Waterproof trail-running shoe with 5 mm lugs, a rock plate and a women's-specific fit. Runs slightly narrow.",
    popularity: 2,
  },
  {
    handle: "camp-slip-on-unisex",
    title: "Camp Slip-On - Unisex",
    productType: "Footwear",
    code: "CSO-U",
    price: 69,
    variants: ["7", "8", "9", "10"],
    tags: ["unisex", "footwear", "camp"],
    description: "Quilted, water-resistant slip-ons with a fold-down heel for camp and cabin. Men's US sizing; women should order 1.5 sizes down.",
  },
  {
    handle: "approach-shoe-mens",
    title: "Granite Approach Shoe - Men's",
    productType: "Footwear",
    code: "GAS-M",
    price: 139,
    variants: ["9", "10", "11", "12"],
    tags: ["mens", "footwear", "climbing"],
    description: "A sticky-rubber approach shoe with a climbing zone at the toe for scrambles and via ferratas.",
    soldOut: true,
  },
  // Packs
  {
    handle: "daypack-22l",
    title: "Trailhead Daypack 22L",
    productType: "Packs",
    code: "DP22",
    price: 79,
    variants: ["Slate", "Moss"],
    tags: ["packs", "hiking", "daypack"],
    description: "A 22-liter daypack with a ventilated back panel, hydration sleeve, hip-belt pockets and an integrated rain cover.",
    popularity: 3,
  },
  {
    handle: "trekking-pack-55l",
    title: "Backcountry Trekking Pack 55L",
    productType: "Packs",
    code: "TP55",
    price: 229,
    variants: ["S/M", "M/L"],
    tags: ["packs", "backpacking"],
    description:
      "A 55-liter backpacking pack with an adjustable torso length, a load-lifting suspension and a removable lid that turns into a summit bag. Choose S/M for torsos 15-18 in, M/L for 18-21 in.",
  },
  {
    handle: "hip-pack-3l",
    title: "Hip Pack 3L",
    productType: "Packs",
    code: "HP3",
    price: 45,
    variants: ["Black", "Rust"],
    tags: ["packs", "running", "everyday"],
    description: "A 3-liter hip pack with a water-bottle pocket and a padded phone sleeve.",
  },
  {
    handle: "hydration-reservoir-2l",
    title: "Hydration Reservoir 2L",
    productType: "Hydration",
    code: "HR2",
    price: 35,
    tags: ["hydration", "hiking"],
    description: "A BPA-free 2-liter reservoir with a wide opening for cleaning, a quick-disconnect hose and a bite valve.",
  },
  {
    handle: "dry-bag-set",
    title: "Dry Bag Set (3-Pack)",
    productType: "Packs",
    code: "DBS",
    price: 39,
    tags: ["packs", "waterproof", "paddling"],
    description: "Roll-top dry bags in 5, 10 and 20 liters. Waterproof when rolled three times.",
  },
  // Camping
  {
    handle: "ultralight-2p-tent",
    title: "Ultralight 2-Person Backpacking Tent",
    productType: "Tents",
    code: "UL2",
    price: 379,
    tags: ["tents", "backpacking", "ultralight"],
    description:
      "A 3.1 lb freestanding, double-wall tent with two doors and two vestibules. Aluminum poles, taped floor seams, 20-minute setup the first time and 3 minutes after that.",
    popularity: 2,
  },
  {
    handle: "basecamp-4p-tent",
    title: "Basecamp 4-Person Family Tent",
    productType: "Tents",
    code: "BC4",
    price: 429,
    tags: ["tents", "car-camping", "family"],
    description: "A roomy 4-person cabin tent with near-vertical walls, 6 ft 2 in peak height, two doors and a full-coverage rain fly.",
  },
  {
    handle: "summit-20-down-sleeping-bag",
    title: "Summit 20°F Down Sleeping Bag",
    productType: "Sleeping Bags",
    code: "S20",
    price: 329,
    variants: ["Regular", "Long"],
    variantPrices: [329, 349],
    tags: ["sleeping-bags", "backpacking", "down"],
    description:
      "A 650-fill down mummy bag with a comfort rating of 30°F and a lower limit of 20°F. Regular fits up to 6 ft, Long up to 6 ft 6 in.",
  },
  {
    handle: "trail-40-synthetic-sleeping-bag",
    title: "Trail 40°F Synthetic Sleeping Bag",
    productType: "Sleeping Bags",
    code: "T40",
    price: 129,
    variants: ["Regular", "Long"],
    variantPrices: [129, 139],
    tags: ["sleeping-bags", "camping", "synthetic"],
    description: "A warm-weather synthetic bag that stays warm when damp. Full-length zip so it opens flat as a quilt.",
  },
  {
    handle: "self-inflating-sleeping-pad",
    title: "Self-Inflating Sleeping Pad",
    productType: "Sleeping Pads",
    code: "SIP",
    price: 99,
    variants: ["Regular", "Long", "Wide"],
    variantPrices: [99, 119, 129],
    tags: ["sleeping-pads", "camping"],
    description: "A 2-inch self-inflating foam pad with an R-value of 4.2 for three-season camping.",
  },
  {
    handle: "inflatable-camp-pillow",
    title: "Inflatable Camp Pillow",
    productType: "Sleeping Pads",
    code: "ICP",
    price: 29,
    tags: ["camping", "backpacking"],
    description: "A 2.6 oz inflatable pillow with a brushed cover and a one-way valve.",
    popularity: 2,
  },
  {
    handle: "camp-chair",
    title: "Lakeside Folding Camp Chair",
    productType: "Camp Furniture",
    code: "LCC",
    price: 69,
    variants: ["Forest", "Sand"],
    tags: ["camping", "car-camping", "furniture"],
    description: "A steel-frame folding chair with a cup holder and a side pocket. Holds up to 300 lb.",
  },
  {
    handle: "camp-hammock",
    title: "Canopy Camp Hammock",
    productType: "Camp Furniture",
    code: "CCH",
    price: 59,
    variants: ["Single", "Double"],
    variantPrices: [59, 75],
    tags: ["camping", "hammock"],
    description: "A parachute-nylon hammock with tree straps included. Sets up in two minutes.",
    soldOut: true,
  },
  // Camp kitchen and hydration
  {
    handle: "compact-camp-stove",
    title: "Compact Camp Stove",
    productType: "Camp Kitchen",
    code: "CCS",
    price: 59,
    tags: ["camp-kitchen", "backpacking", "stoves"],
    description: "A 3 oz canister-top stove with a piezo igniter that boils a liter of water in about 4 minutes. Fuel sold separately.",
    popularity: 2,
  },
  {
    handle: "titanium-cook-pot-900ml",
    title: "Titanium Cook Pot 900 ml",
    productType: "Camp Kitchen",
    code: "TCP9",
    price: 49,
    tags: ["camp-kitchen", "backpacking", "ultralight"],
    description: "A 900 ml titanium pot with a strainer lid and folding handles. A 230 g fuel canister and our stove nest inside.",
  },
  {
    handle: "isobutane-fuel-canister-230g",
    title: "Isobutane Fuel Canister 230 g",
    productType: "Camp Kitchen",
    vendor: "Peakfuel",
    code: "IFC",
    price: 7.95,
    tags: ["camp-kitchen", "fuel", "hazmat", "non-returnable"],
    description:
      "An isobutane-propane blend for canister stoves. Hazardous material: ships by ground to the contiguous US only and can't be returned.",
    popularity: 3,
  },
  {
    handle: "freeze-dried-meal-chili-mac",
    title: "Freeze-Dried Meal: Chili Mac",
    productType: "Food",
    vendor: "Basin Foods",
    code: "FDM-CM",
    price: 11.95,
    variants: ["Single", "4-Pack"],
    variantPrices: [11.95, 44],
    tags: ["food", "backpacking", "non-returnable"],
    description: "Two servings of hearty chili mac. Just add boiling water and wait 10 minutes. Food items can't be returned.",
    popularity: 2,
  },
  {
    handle: "insulated-water-bottle-32oz",
    title: "Insulated Water Bottle 32 oz",
    productType: "Hydration",
    code: "IWB",
    price: 34,
    variants: ["Glacier", "Forest", "Charcoal", "Sunset"],
    tags: ["hydration", "everyday"],
    description: "Double-wall vacuum-insulated steel bottle: cold for 24 hours, hot for 12. Dishwasher safe.",
    popularity: 3,
  },
  {
    handle: "squeeze-water-filter",
    title: "Squeeze Water Filter",
    productType: "Hydration",
    vendor: "Clearwater",
    code: "SWF",
    price: 44,
    tags: ["hydration", "backpacking", "water-treatment"],
    description: "A 0.1-micron hollow-fiber filter that removes 99.9999% of bacteria and protozoa. Includes two 1-liter pouches.",
  },
  {
    handle: "trail-coffee-press",
    title: "Trail Coffee Press",
    productType: "Camp Kitchen",
    code: "TCF",
    price: 29,
    tags: ["camp-kitchen", "coffee"],
    description: "A packable 16 oz press that turns any mug into a French press. Weighs 2 oz.",
  },
  // Lighting, navigation and safety
  {
    handle: "headlamp-400",
    title: "Beacon 400 Rechargeable Headlamp",
    productType: "Lighting",
    vendor: "Lumen Trail",
    code: "HL400",
    price: 49,
    tags: ["lighting", "hiking", "camping"],
    description: "400 lumens, red night-vision mode and USB-C charging. Up to 60 hours on the lowest setting. Covered by Lumen Trail's 3-year manufacturer warranty.",
    popularity: 3,
  },
  {
    handle: "carbon-trekking-poles",
    title: "Carbon Trekking Poles (Pair)",
    productType: "Trekking Poles",
    code: "CTP",
    price: 139,
    tags: ["hiking", "trekking-poles", "ultralight"],
    description: "Three-section carbon poles with cork grips and flick locks. Adjust from 110 to 130 cm.",
    soldOut: true,
  },
  {
    handle: "trail-first-aid-kit",
    title: "Trail First Aid Kit",
    productType: "Safety",
    code: "FAK",
    price: 39,
    tags: ["safety", "hiking", "first-aid"],
    description: "A compact first aid kit for one to four people on trips of up to four days, with a waterproof pouch and a care guide.",
  },
  // Gift card
  {
    handle: "northwind-gift-card",
    title: "Northwind Digital Gift Card",
    productType: "Gift Card",
    code: "GC",
    price: 25,
    variants: ["$25", "$50", "$100", "$200"],
    variantPrices: [25, 50, 100, 200],
    tags: ["gift-card", "gift"],
    description:
      "A digital gift card delivered by email on the date you choose. Never expires and has no fees. Gift cards can't be returned or exchanged for cash.",
    notShipped: true,
  },
];

// ---------------------------------------------------------------- People and places

export const STAFF = [
  { name: "Maya Lindqvist", email: "maya@northwindoutfitters.example.com", role: "owner" },
  { name: "Daniel Okafor", email: "daniel@northwindoutfitters.example.com", role: "admin" },
  { name: "Priya Raman", email: "priya@northwindoutfitters.example.com", role: "agent" },
  { name: "Tom Becker", email: "tom@northwindoutfitters.example.com", role: "agent" },
  // The demo admin's own user (DEMO_STAFF_USER): invited here, claimed on the first admin request.
  { name: "Alex Rivera", email: "alex.rivera@northwindoutfitters.example.com", role: "agent" },
] as const;

export const FIRST_NAMES = {
  en: [
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
    "Mia", "Mason", "Amelia", "Ethan", "Harper", "Logan", "Evelyn", "Jackson", "Abigail", "Aiden",
    "Emily", "Caleb", "Ella", "Owen", "Grace", "Wyatt", "Chloe", "Henry", "Zoe", "Samuel",
    "Nora", "Dylan", "Hannah", "Isaac", "Layla", "Gabriel", "Riley", "Julian", "Aaliyah", "Mateo",
    "Priyanka", "Wei", "Keanu", "Aisha", "Diego", "Mei", "Tariq", "Rosa", "Kenji", "Fatima",
  ],
  fr: ["Camille", "Louis", "Léa", "Hugo", "Chloé", "Jules", "Manon", "Arthur", "Inès", "Théo"],
  de: ["Lukas", "Anna", "Jonas", "Lena", "Felix", "Marie", "Paul", "Sophie", "Maximilian", "Hannah"],
  es: ["Lucía", "Mateo", "Sofía", "Pablo", "Martina", "Álvaro", "Carmen", "Javier", "Elena", "Diego"],
} as const;

export const LAST_NAMES = {
  en: [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Patel", "Kim", "Chen", "O'Brien", "Yamamoto", "Okonkwo", "Sullivan", "Bergstrom", "Kaur", "Rivera",
  ],
  fr: ["Martin", "Bernard", "Dubois", "Laurent", "Moreau", "Lefèvre", "Girard", "Fontaine", "Rousseau", "Mercier"],
  de: ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch"],
  es: ["García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz"],
} as const;

export const EMAIL_DOMAINS = ["example.com", "example.org", "example.net"] as const;

export const STREETS = [
  "Maple Ave", "Cedar St", "Oak Ridge Rd", "Pine St", "Lakeview Dr", "Willow Ln", "Summit Ave", "River Rd",
  "Aspen Ct", "Elm St", "Hillcrest Dr", "Juniper Way", "Meadow Ln", "Spruce St", "Canyon Rd", "Birch Ave",
] as const;

export type Region = "west" | "central" | "east" | "remote";

export interface SeedPlace {
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCode: string;
  zip: string;
  /** Sales tax rate applied to the discounted subtotal (US only). */
  taxRate: number;
  region: Region | "international";
  locale: "en" | "fr" | "de" | "es";
  /** Relative share of customers living here. */
  weight: number;
  /** Area code for US/CA phone numbers. */
  areaCode?: string;
}

export const PLACES: SeedPlace[] = [
  { city: "Portland", province: "Oregon", provinceCode: "OR", country: "United States", countryCode: "US", zip: "97205", taxRate: 0, region: "west", locale: "en", weight: 8, areaCode: "503" },
  { city: "Bend", province: "Oregon", provinceCode: "OR", country: "United States", countryCode: "US", zip: "97701", taxRate: 0, region: "west", locale: "en", weight: 3, areaCode: "541" },
  { city: "Seattle", province: "Washington", provinceCode: "WA", country: "United States", countryCode: "US", zip: "98103", taxRate: 0.1035, region: "west", locale: "en", weight: 7, areaCode: "206" },
  { city: "San Francisco", province: "California", provinceCode: "CA", country: "United States", countryCode: "US", zip: "94110", taxRate: 0.08625, region: "west", locale: "en", weight: 6, areaCode: "415" },
  { city: "Los Angeles", province: "California", provinceCode: "CA", country: "United States", countryCode: "US", zip: "90026", taxRate: 0.095, region: "west", locale: "en", weight: 6, areaCode: "323" },
  { city: "Sacramento", province: "California", provinceCode: "CA", country: "United States", countryCode: "US", zip: "95814", taxRate: 0.0875, region: "west", locale: "en", weight: 2, areaCode: "916" },
  { city: "Boise", province: "Idaho", provinceCode: "ID", country: "United States", countryCode: "US", zip: "83702", taxRate: 0.06, region: "west", locale: "en", weight: 2, areaCode: "208" },
  { city: "Bozeman", province: "Montana", provinceCode: "MT", country: "United States", countryCode: "US", zip: "59715", taxRate: 0, region: "west", locale: "en", weight: 2, areaCode: "406" },
  { city: "Salt Lake City", province: "Utah", provinceCode: "UT", country: "United States", countryCode: "US", zip: "84111", taxRate: 0.0775, region: "west", locale: "en", weight: 3, areaCode: "801" },
  { city: "Phoenix", province: "Arizona", provinceCode: "AZ", country: "United States", countryCode: "US", zip: "85004", taxRate: 0.086, region: "west", locale: "en", weight: 3, areaCode: "602" },
  { city: "Denver", province: "Colorado", provinceCode: "CO", country: "United States", countryCode: "US", zip: "80205", taxRate: 0.0881, region: "central", locale: "en", weight: 5, areaCode: "303" },
  { city: "Boulder", province: "Colorado", provinceCode: "CO", country: "United States", countryCode: "US", zip: "80302", taxRate: 0.0886, region: "central", locale: "en", weight: 2, areaCode: "303" },
  { city: "Austin", province: "Texas", provinceCode: "TX", country: "United States", countryCode: "US", zip: "78704", taxRate: 0.0825, region: "central", locale: "en", weight: 4, areaCode: "512" },
  { city: "Minneapolis", province: "Minnesota", provinceCode: "MN", country: "United States", countryCode: "US", zip: "55408", taxRate: 0.08025, region: "central", locale: "en", weight: 3, areaCode: "612" },
  { city: "Chicago", province: "Illinois", provinceCode: "IL", country: "United States", countryCode: "US", zip: "60614", taxRate: 0.1025, region: "central", locale: "en", weight: 4, areaCode: "312" },
  { city: "Ann Arbor", province: "Michigan", provinceCode: "MI", country: "United States", countryCode: "US", zip: "48104", taxRate: 0.06, region: "central", locale: "en", weight: 2, areaCode: "734" },
  { city: "New York", province: "New York", provinceCode: "NY", country: "United States", countryCode: "US", zip: "11215", taxRate: 0.08875, region: "east", locale: "en", weight: 6, areaCode: "718" },
  { city: "Boston", province: "Massachusetts", provinceCode: "MA", country: "United States", countryCode: "US", zip: "02116", taxRate: 0.0625, region: "east", locale: "en", weight: 3, areaCode: "617" },
  { city: "Burlington", province: "Vermont", provinceCode: "VT", country: "United States", countryCode: "US", zip: "05401", taxRate: 0.07, region: "east", locale: "en", weight: 2, areaCode: "802" },
  { city: "Asheville", province: "North Carolina", provinceCode: "NC", country: "United States", countryCode: "US", zip: "28801", taxRate: 0.07, region: "east", locale: "en", weight: 2, areaCode: "828" },
  { city: "Atlanta", province: "Georgia", provinceCode: "GA", country: "United States", countryCode: "US", zip: "30307", taxRate: 0.089, region: "east", locale: "en", weight: 3, areaCode: "404" },
  { city: "Pittsburgh", province: "Pennsylvania", provinceCode: "PA", country: "United States", countryCode: "US", zip: "15213", taxRate: 0.07, region: "east", locale: "en", weight: 2, areaCode: "412" },
  { city: "Portland", province: "Maine", provinceCode: "ME", country: "United States", countryCode: "US", zip: "04101", taxRate: 0.055, region: "east", locale: "en", weight: 1, areaCode: "207" },
  { city: "Anchorage", province: "Alaska", provinceCode: "AK", country: "United States", countryCode: "US", zip: "99501", taxRate: 0, region: "remote", locale: "en", weight: 1, areaCode: "907" },
  { city: "Honolulu", province: "Hawaii", provinceCode: "HI", country: "United States", countryCode: "US", zip: "96813", taxRate: 0.04712, region: "remote", locale: "en", weight: 1, areaCode: "808" },
  { city: "Vancouver", province: "British Columbia", provinceCode: "BC", country: "Canada", countryCode: "CA", zip: "V6B 1A1", taxRate: 0, region: "international", locale: "en", weight: 3, areaCode: "604" },
  { city: "Toronto", province: "Ontario", provinceCode: "ON", country: "Canada", countryCode: "CA", zip: "M5V 2T6", taxRate: 0, region: "international", locale: "en", weight: 2, areaCode: "416" },
  { city: "Montréal", province: "Quebec", provinceCode: "QC", country: "Canada", countryCode: "CA", zip: "H2X 1Y4", taxRate: 0, region: "international", locale: "fr", weight: 1, areaCode: "514" },
  { city: "London", province: "England", provinceCode: "ENG", country: "United Kingdom", countryCode: "GB", zip: "NW1 9LR", taxRate: 0, region: "international", locale: "en", weight: 2 },
  { city: "Berlin", province: "Berlin", provinceCode: "BE", country: "Germany", countryCode: "DE", zip: "10435", taxRate: 0, region: "international", locale: "de", weight: 2 },
  { city: "München", province: "Bayern", provinceCode: "BY", country: "Germany", countryCode: "DE", zip: "80331", taxRate: 0, region: "international", locale: "de", weight: 1 },
  { city: "Paris", province: "Île-de-France", provinceCode: "IDF", country: "France", countryCode: "FR", zip: "75009", taxRate: 0, region: "international", locale: "fr", weight: 2 },
  { city: "Lyon", province: "Auvergne-Rhône-Alpes", provinceCode: "ARA", country: "France", countryCode: "FR", zip: "69002", taxRate: 0, region: "international", locale: "fr", weight: 1 },
  { city: "Madrid", province: "Madrid", provinceCode: "M", country: "Spain", countryCode: "ES", zip: "28014", taxRate: 0, region: "international", locale: "es", weight: 1 },
  { city: "Barcelona", province: "Barcelona", provinceCode: "B", country: "Spain", countryCode: "ES", zip: "08010", taxRate: 0, region: "international", locale: "es", weight: 1 },
  { city: "Sydney", province: "New South Wales", provinceCode: "NSW", country: "Australia", countryCode: "AU", zip: "2000", taxRate: 0, region: "international", locale: "en", weight: 1 },
];

export const INTERNATIONAL_STREETS: Record<string, readonly string[]> = {
  CA: ["Granville St", "Queen St W", "Rue Saint-Denis", "Robson St"],
  GB: ["Camden Road", "Holloway Road", "Brick Lane", "Kentish Town Road"],
  DE: ["Kastanienallee", "Schönhauser Allee", "Leopoldstraße", "Bergmannstraße"],
  FR: ["Rue des Martyrs", "Rue de la République", "Rue Oberkampf", "Boulevard Voltaire"],
  ES: ["Calle de Alcalá", "Carrer de Mallorca", "Calle Mayor", "Carrer de Verdi"],
  AU: ["George Street", "Crown Street", "Oxford Street", "King Street"],
};

/** Carrier hubs between the Portland warehouse and each destination region. */
export const HUBS: Record<string, readonly string[]> = {
  "USPS:west": ["Portland, OR, US", "Sacramento, CA, US"],
  "USPS:central": ["Salt Lake City, UT, US", "Denver, CO, US"],
  "USPS:east": ["Denver, CO, US", "Chicago, IL, US"],
  "USPS:remote": ["Seattle, WA, US", "Anchorage, AK, US"],
  "UPS:west": ["Hillsboro, OR, US", "Sacramento, CA, US"],
  "UPS:central": ["Salt Lake City, UT, US", "Denver, CO, US"],
  "UPS:east": ["Salt Lake City, UT, US", "Louisville, KY, US"],
  "FedEx:west": ["Portland, OR, US", "Oakland, CA, US"],
  "FedEx:central": ["Memphis, TN, US"],
  "FedEx:east": ["Memphis, TN, US"],
  "DHL:CA": ["Cincinnati, OH, US", "Toronto, ON, CA"],
  "DHL:GB": ["Cincinnati, OH, US", "East Midlands, GB"],
  "DHL:DE": ["Cincinnati, OH, US", "Leipzig, DE"],
  "DHL:FR": ["Cincinnati, OH, US", "Leipzig, DE", "Paris CDG, FR"],
  "DHL:ES": ["Cincinnati, OH, US", "Leipzig, DE", "Madrid, ES"],
  "DHL:AU": ["Cincinnati, OH, US", "Sydney, AU"],
};

// ---------------------------------------------------------------- Knowledge: articles

export interface SeedArticle {
  /** Stable key for the article (used to derive its id); not stored. */
  slug: string;
  title: string;
  tags: string[];
  /** Markdown with ## headings. */
  body: string;
}

export interface SeedPolicy {
  externalId: "refund" | "shipping" | "privacy" | "terms";
  title: string;
  tags: string[];
  body: string;
}

export const ARTICLES: SeedArticle[] = [
  // ------------------------------------------------------------ Shipping
  {
    slug: "domestic-shipping",
    title: "Domestic shipping: options and delivery times",
    tags: ["shipping", "domestic", "delivery-times"],
    body: `## Where we ship from

Every Northwind Outfitters order ships from our warehouse in Portland, Oregon. We pack and ship Standard orders within 1–2 business days (Monday to Friday, excluding US federal holidays). Expedited and Express orders placed before 1 p.m. Pacific Time on a business day leave the warehouse the same day; after the cut-off, or on a weekend or holiday, they ship the next business day.

## Shipping options within the United States

| Option | Delivery time after dispatch | Cost | Carrier |
|---|---|---|---|
| Standard | 3–7 business days | $6.95, free on orders of $75 or more | USPS or UPS Ground |
| Expedited | 2–3 business days | $14.95 | UPS |
| Express | Next business day | $29.95 | FedEx |

Delivery times are the carrier's estimates and are counted from the day your parcel leaves our warehouse, not from the day you place your order. You'll see the estimated delivery date in your shipping confirmation email.

## Alaska, Hawaii, US territories and military addresses

We ship to Alaska, Hawaii, Puerto Rico, Guam, the US Virgin Islands and APO/FPO/DPO addresses with USPS Priority Mail only. Delivery takes 5–10 business days and costs a flat $12.95. The free shipping offer doesn't apply to these addresses, and Expedited and Express aren't available.

## PO Boxes

We can deliver to PO Boxes with Standard shipping, which we then send with USPS. Expedited and Express need a street address because UPS and FedEx can't deliver to PO Boxes.

## Signature on delivery

Orders over $500 need a signature on delivery. All other parcels are left at your door, in your mailbox or with your building's mailroom, unless you give the carrier other instructions through their app.

## Fuel canisters

Isobutane fuel canisters are hazardous materials. They ship by ground to street addresses in the contiguous United States only. If your order contains fuel and a faster shipping option, we send the fuel separately by UPS Ground at no extra cost.`,
  },
  {
    slug: "international-shipping",
    title: "International shipping",
    tags: ["shipping", "international", "delivery-times"],
    body: `## Where we ship

Outside the United States we ship to Canada, Mexico, the United Kingdom, every European Union country, Switzerland, Norway, Australia, New Zealand, Japan and South Korea. If your country isn't offered at checkout, we can't ship there yet. We're sorry: carrier and customs restrictions mean we can't make exceptions or ship to a forwarding address on request.

## Rates and delivery times

All international orders travel with DHL Express.

| Destination | Delivery time after dispatch | Cost |
|---|---|---|
| Canada | 3–6 business days | $19.95 |
| All other destinations | 5–10 business days | $29.95 |

International orders of $200 or more ship free. The threshold is based on your order subtotal after discounts and before duties and taxes. International orders are packed and shipped from our Portland warehouse within 1–2 business days, like domestic Standard orders.

## Duties and taxes

Prices on our site don't include import duties, VAT, GST or customs fees. International orders ship Delivered at Place (DAP), which means DHL collects any charges from you before delivery. Read "Customs, duties and import taxes" for the details.

## Restricted items

- Isobutane fuel canisters can't be shipped outside the contiguous United States. They are removed from international orders and refunded.
- Freeze-dried meals can't be shipped to Australia or New Zealand because of biosecurity rules.

## Tracking

You'll receive a DHL tracking number by email when your order ships. DHL sends its own delivery notifications and lets you choose a delivery day or redirect the parcel to a DHL Service Point.

## Returns from outside the US

You can return international orders within our usual 30-day window, but you arrange and pay for the return shipping yourself. See "How to start a return".`,
  },
  {
    slug: "express-shipping",
    title: "Express and expedited shipping",
    tags: ["shipping", "express", "expedited"],
    body: `## Faster options

| Option | Delivery time after dispatch | Cost | Carrier |
|---|---|---|---|
| Expedited | 2–3 business days | $14.95 | UPS |
| Express | Next business day | $29.95 | FedEx |

## Order cut-off

For next-business-day Express delivery, place your order before 1 p.m. Pacific Time, Monday to Friday. Orders placed after the cut-off, on a weekend or on a US federal holiday ship the next business day. For example, an Express order placed on Friday afternoon ships on Monday and arrives on Tuesday.

## Where faster shipping is available

Expedited and Express are available for street addresses in the contiguous United States only. They aren't available for PO Boxes, Alaska, Hawaii, US territories or APO/FPO/DPO addresses. International orders already travel with DHL Express.

## Items that can't fly

Isobutane fuel canisters are hazardous materials and travel by ground only. If your Expedited or Express order includes fuel, we send the fuel separately with UPS Ground at no extra cost, so the rest of your order isn't held up.

## Free shipping and faster options

Free shipping on orders of $75 or more applies to Standard shipping only. If you choose Expedited or Express, you pay the full rate for that option whatever your order total.

## If your parcel arrives late

If an Expedited or Express parcel arrives after the delivery date the carrier promised in your shipping confirmation, contact us within 14 days of delivery. We'll refund the difference between what you paid for shipping and the Standard rate. Delays caused by a wrong or incomplete address, or by nobody being available to sign for an order over $500, aren't covered.`,
  },
  {
    slug: "shipping-costs",
    title: "Shipping costs and free shipping",
    tags: ["shipping", "costs", "free-shipping"],
    body: `## Free Standard shipping over $75

Orders of $75 or more ship free with Standard shipping to any address in the contiguous United States, including PO Boxes. The $75 is counted after discounts and before sales tax. Digital gift cards are delivered by email and don't count toward the threshold.

## All shipping rates

| Destination and option | Cost |
|---|---|
| Contiguous US, Standard (3–7 business days) | $6.95, free on orders of $75 or more |
| Contiguous US, Expedited (2–3 business days) | $14.95 |
| Contiguous US, Express (next business day) | $29.95 |
| Alaska, Hawaii, US territories, APO/FPO/DPO (5–10 business days) | $12.95 flat |
| Canada (3–6 business days) | $19.95, free on orders of $200 or more |
| Other international destinations (5–10 business days) | $29.95, free on orders of $200 or more |

International orders may also owe import duties and taxes on delivery; these are charged by the carrier, not by us.

## Split shipments

If we split your order into more than one parcel, for example because one item is on backorder, you only pay shipping once. The extra parcels are on us.

## Shipping charges and returns

If you return part of an order that shipped free and the items you keep add up to less than $75, we don't charge you shipping after the fact.

Original shipping charges are refunded only when an order arrives damaged, defective or wrong, when a parcel is lost by the carrier, or when we cancel an order. For US returns we deduct a $6.95 return label fee from refunds; exchanges and returns for store credit use a free label.

## Why is my shipping higher than expected?

Check the delivery address and the option selected at checkout. Expedited and Express are charged at their full rate even on orders over $75, and addresses in Alaska, Hawaii and US territories always pay the $12.95 flat rate.`,
  },
  {
    slug: "order-tracking",
    title: "Tracking your order",
    tags: ["shipping", "tracking", "order-status"],
    body: `## Your shipping confirmation

When your order leaves our warehouse, we email you a shipping confirmation with the carrier, the tracking number and a link to the carrier's tracking page. If your order ships in more than one parcel, you get one email per parcel, each with its own tracking number.

## Where to find your tracking

- The link in your shipping confirmation email.
- Your account, under Orders, if you checked out with an account.
- Our chat assistant: give it your order number (for example #1042) and the email address you ordered with, and it will show your latest tracking events.

## Tracking number formats

| Carrier | What the number looks like |
|---|---|
| UPS | 18 characters starting with 1Z |
| USPS | 22 digits, usually starting with 94 |
| FedEx | 12 digits |
| DHL Express | 10 digits |

## Tracking hasn't updated yet

It can take up to 24 hours after your shipping confirmation for the carrier to scan your parcel for the first time. Until then tracking shows "Label created". That's normal and doesn't mean your parcel is lost.

## What the tracking statuses mean

- **Label created**: we've packed your order and printed the label; the carrier hasn't scanned it yet.
- **In transit**: your parcel is moving through the carrier's network.
- **Out for delivery**: it's on the delivery vehicle and should arrive today.
- **Delivery attempted**: the carrier couldn't deliver, usually because a signature was needed or the address couldn't be reached. They normally try again the next business day.
- **Delivered**: the carrier has marked it delivered. Can't find it? Read "Lost, stolen or missing parcels".
- **Exception**: something interrupted the journey, such as weather, a damaged label or an address problem. Most exceptions clear within 1–2 business days.

If your tracking hasn't changed for 5 business days (10 for international orders), contact us and we'll open an investigation with the carrier.`,
  },
  {
    slug: "shipping-delays",
    title: "Shipping delays",
    tags: ["shipping", "delays", "tracking"],
    body: `## Why parcels get delayed

Most parcels arrive within the estimated window, but a few get held up along the way. Common reasons are:

- Severe weather or natural events affecting a carrier hub.
- Peak season volumes, especially from mid-November to the end of December.
- An incomplete or incorrect address, or a missing apartment number.
- Customs checks on international orders.
- A backordered item, when we ship the rest of your order first.

## What you can do

Check your tracking first: carriers often post a new estimated delivery date. During November and December, allow 2 extra business days on top of the usual delivery times. Our holiday shipping cut-off dates are posted on our homepage each year.

## When to contact us

Contact us if any of these apply:

- Your tracking hasn't updated for 5 business days (domestic) or 10 business days (international).
- Your parcel is more than 3 business days past its estimated delivery date.
- Tracking shows an exception that hasn't cleared after 2 business days.

Have your order number ready, or chat with our assistant, which can look up the latest tracking events for you.

## What we do about it

We open a trace with the carrier. Carrier investigations usually take 3–5 business days. If the carrier confirms the parcel is lost, we send a free replacement or give you a full refund including shipping, whichever you prefer. If an Expedited or Express parcel arrives after its promised date, we refund the shipping upgrade (see "Express and expedited shipping").

## Backorders

If an item is temporarily out of stock, its product page shows the expected ship date. We ship the rest of your order right away and send the backordered item as soon as it's in, at no extra shipping cost. You can cancel a backordered item at any time before it ships for a full refund of that item.`,
  },
  {
    slug: "lost-parcels",
    title: "Lost, stolen or missing parcels",
    tags: ["shipping", "lost-parcel", "delivery-problems"],
    body: `## Tracking says delivered, but you can't find it

Before you contact us, please try the following:

1. Wait 24 hours. Carriers sometimes mark parcels as delivered shortly before they actually arrive.
2. Look around your property: porch, back door, garage, behind plants, and inside your mailbox or parcel locker.
3. Ask neighbors, your building's mailroom or front desk, and anyone else in your household.
4. Check the delivery address in your shipping confirmation email.
5. Look for a delivery notice from the carrier.

If your parcel still hasn't turned up, contact us within 14 days of the delivery date shown in tracking.

## Parcel stuck in transit

If your tracking hasn't moved for 5 business days for a domestic order, or 10 business days for an international order, contact us. You don't need to wait for the estimated delivery date to pass.

## How we resolve it

We file a trace or claim with the carrier on your behalf. For parcels marked delivered, the carrier may ask us for a short signed statement that you didn't receive it; we'll send you a simple form by email. Carriers usually respond within 5 business days.

If the parcel isn't found, we send you a free replacement when the items are in stock, or a full refund including the original shipping charge. You choose which.

## Preventing missed deliveries

- Orders over $500 require a signature on delivery.
- You can sign up for free delivery alerts with UPS My Choice, FedEx Delivery Manager or USPS Informed Delivery and redirect parcels to a pickup point.
- If you're away, ask us to change the address before your order ships (see "Changing your shipping address").

## Parcel arrived damaged

If the box arrived but the contents are damaged, read "Damaged, defective or wrong items". Please keep the packaging until your case is resolved; carriers may ask to see it.`,
  },
  {
    slug: "customs-duties",
    title: "Customs, duties and import taxes",
    tags: ["shipping", "international", "customs", "duties"],
    body: `## Who pays duties and taxes

Import duties, VAT, GST and customs processing fees are paid by the recipient. We ship international orders Delivered at Place (DAP), and our prices and shipping rates don't include these charges. The amount is set by your country's customs authority, not by Northwind Outfitters, and depends on the order value, the type of goods and where they were made.

## How you pay

DHL contacts you by email or text message before delivery with a link to pay online. Paying promptly avoids delays; DHL holds parcels for up to 10 days before returning them to us. DHL may also add a small processing fee.

## What to expect by region

- **Canada**: GST or HST, and duties on some goods, plus a DHL processing fee.
- **United Kingdom**: VAT at 20%, and duties on some goods for orders over £135.
- **European Union**: VAT at your country's rate on all orders, and duties on orders over €150.
- **Australia, New Zealand, Japan, South Korea, Switzerland, Norway and Mexico**: local import taxes and duties according to each country's rules.

For an exact estimate, check your customs authority's website before you order.

## Refused parcels

If you refuse a parcel or don't pay the charges, DHL returns it to us. Once it arrives, we refund the items, minus the original shipping charge and the return charges DHL bills us, which are typically $30–$60.

## Duties and returns

We can't refund duties or import taxes you paid, because they go to your government, not to us. Many countries let you reclaim them when you return goods; ask your customs authority how. Mark your return parcel as "Returned goods" to avoid being charged again.

## Currency

Your order is charged in US dollars. Duties and taxes are charged by DHL in your local currency.`,
  },
  // ------------------------------------------------------------ Returns
  {
    slug: "return-policy-overview",
    title: "Our return policy at a glance",
    tags: ["returns", "policy", "return-window"],
    body: `## 30 days to change your mind

You can return most items within 30 days of the delivery date shown in your tracking. We want you to love your gear; if something isn't right, we'll make it easy to send it back.

## The short version

- **Window**: 30 days from delivery.
- **Condition**: unused, unwashed, with the original tags attached and in the original packaging. Footwear may be tried on indoors only.
- **Exchanges**: free for US orders, including the return label and the replacement's shipping.
- **Refunds**: to your original payment method. For US orders we deduct a $6.95 return label fee.
- **Store credit**: choose store credit instead of a refund and the return label is free. Credit is issued as soon as the carrier scans your return.
- **Damaged, defective or wrong items**: always free to return or replace. Report them within 7 days of delivery.
- **Not returnable**: gift cards, Final Sale items, personalized items, food and fuel canisters, and socks or underwear once the packaging is opened.
- **Processing**: we process returns within 3 business days of receiving them. Banks take a further 5–10 business days to show card refunds.

## Returning a gift

Received a gift? You can return it for store credit using the order number from the packing slip or gift receipt. The credit is sent to you as a Northwind gift card, and the person who bought it isn't notified.

## Holiday returns

Items delivered between November 15 and December 24 can be returned until January 31 of the following year.

## After 30 days

We can't accept returns after the 30-day window. Defects in materials or workmanship are covered by our 2-year warranty; see "Northwind two-year warranty".

## International orders

International returns follow the same 30-day window and conditions, but you arrange and pay for return shipping, and exchanges are handled as a return plus a new order.`,
  },
  {
    slug: "return-conditions",
    title: "Return conditions: what we can accept",
    tags: ["returns", "conditions"],
    body: `## General conditions

Returns must reach us within 30 days of delivery and be in a condition we can sell again. That means items are unused, unwashed and free of odors such as smoke, perfume or pet hair, with all original tags attached.

## Apparel

Try clothing on indoors, over underwear, and keep the tags attached until you're sure. Items that have been worn outdoors, washed or altered, or that have had tags removed, can't be accepted for a full refund.

## Footwear

Try boots and shoes on indoors on a clean floor so the soles stay unmarked. Return them in the original shoe box, placed inside a shipping box. Please don't tape labels directly onto the shoe box.

## Gear and equipment

- Tents: pitching a tent indoors to check its size is fine; tents that have been used outdoors can't be returned.
- Sleeping bags and pads: unused, with their stuff sacks and storage bags.
- Stoves: never fueled or lit.
- Packs: unused, with all straps, rain covers and hip-belt parts.
- All items: return every part, manual and accessory that came in the box.

## Packaging

Use the original product packaging when you can. If you no longer have the outer shipping box, any sturdy box will do. Include the packing slip or write your order number on a piece of paper inside the box.

## If an item doesn't meet the conditions

We'll email you with photos. You can choose between a partial refund of 50% of the item's price, or having the item sent back to you at no cost. If we don't hear back within 14 days, we issue the partial refund.

## Items that can't be returned

Some items can't be returned at all, whatever their condition. See "Non-returnable items".

## Damaged or defective items

These conditions don't apply to items that arrived damaged or defective; those are always accepted. See "Damaged, defective or wrong items".`,
  },
  {
    slug: "start-a-return",
    title: "How to start a return",
    tags: ["returns", "how-to", "return-label"],
    body: `## Step 1: Start your return online

Go to our returns portal at northwindoutfitters.example.com/returns and enter your order number (for example #1042) and the email address you used at checkout. You can also ask our chat assistant to start the return for you.

Select the items you're returning and tell us why. Then choose what you'd like:

- **Refund** to your original payment method (US orders: $6.95 return label fee deducted).
- **Store credit** as a Northwind gift card (free return label, credit issued at the first carrier scan).
- **Exchange** for a different size or color (free for US orders).

## Step 2: Get your return label

For US orders, we email you a prepaid USPS or UPS return label right away. Please use it within 14 days.

For international orders, we email you a return authorization number. Ship your return with a tracked service to our returns address, at your own cost, and write the return authorization number on the outside of the parcel.

## Step 3: Pack and drop off

Pack the items securely with the packing slip or a note with your order number. Attach the label and drop the parcel at any USPS location, UPS Store or UPS Access Point, depending on the label. Keep your drop-off receipt until your return is processed.

## Step 4: We process your return

We email you when your return arrives. We inspect and process returns within 3 business days of arrival, then email you when your refund, store credit or exchange is on its way.

## Returns address

Northwind Outfitters Returns, 1850 NW Timberline Way, Portland, OR 97209, USA.

Please don't send a return without starting it online first. Parcels without a return authorization take longer to identify and process.

## Bought from another store?

We're an online-only store with no retail locations. Northwind products bought from a partner retailer must be returned to that retailer.`,
  },
  {
    slug: "exchanges",
    title: "Exchanges",
    tags: ["returns", "exchanges", "sizing"],
    body: `## What you can exchange

You can exchange an item for a different size or color of the same product within 30 days of delivery. The item must meet our normal return conditions: unused, unwashed and with the original tags attached.

## How exchanges work

1. Start an exchange in our returns portal at northwindoutfitters.example.com/returns, or ask our chat assistant.
2. Choose the new size or color.
3. Send the original item back with the free prepaid label we email you.

We ship the replacement as soon as your return gets its first carrier scan, so you don't have to wait for it to reach our warehouse. The replacement ships with Standard shipping at no cost.

## What it costs

Exchanges are free for US orders: there's no return label fee and no shipping charge for the replacement. Each item can be exchanged once for free; further exchanges of the same item are handled as a return and a new order.

## Price differences

Sizes and colors of the same product almost always cost the same, so there's nothing to pay. If you'd like a completely different product, return the original item for a refund or store credit and place a new order. Choosing store credit makes the return label free.

## If the new size is out of stock

We'll let you know by email. You can pick another size or color, wait for the restock date shown on the product page, or receive a refund instead. We won't charge the return label fee in that case.

## International orders

We can't offer direct exchanges outside the United States. Return the item for a refund or store credit and place a new order for the size you need.

## Not sure which size to choose?

Check our "Apparel size guide" and "Footwear size guide", or ask our assistant for sizing help before you start the exchange.`,
  },
  {
    slug: "damaged-defective-wrong-items",
    title: "Damaged, defective or wrong items",
    tags: ["returns", "damaged", "defective", "wrong-item"],
    body: `## Report it within 7 days

If your order arrived damaged, with a defect, or with the wrong item, we're sorry. Contact us within 7 days of delivery with:

- Your order number.
- Photos of the item and the damage or defect.
- A photo of the shipping box and its label, if the item was damaged in transit.

You can send these by email to support@northwindoutfitters.example.com or upload them in a chat with our assistant.

## How we make it right

You choose between:

- A **free replacement** of the same item, shipped with Standard shipping as soon as we confirm the problem.
- A **full refund** of the item, including the original shipping charge and any sales tax.

For lower-value items we usually don't need the item back. When we do, we email you a free prepaid return label, including for international orders. No return label fee is ever deducted for damaged, defective or wrong items.

## Damaged in transit

Please keep the box and packing materials until your case is closed. We file the claim with the carrier ourselves; you don't need to contact them.

## Wrong item or wrong size sent

If we sent the wrong item or size, we ship the correct one as soon as you tell us. Return the wrong item within 30 days with the free label we send you.

## Missing items

If an item is missing from your parcel, check your shipping confirmation first: some orders ship in more than one parcel. If the item should have been in the parcel you received, contact us and we'll send it right away.

## Defects found later

If a defect shows up after the first 7 days, it's covered by our 2-year warranty. See "Northwind two-year warranty" and "How to make a warranty claim".`,
  },
  {
    slug: "non-returnable-items",
    title: "Non-returnable items",
    tags: ["returns", "final-sale", "non-returnable"],
    body: `## Items we can't take back

For hygiene, safety and legal reasons, the following items can't be returned or exchanged:

- **Gift cards**, including digital gift cards.
- **Final Sale items**. These are marked "Final Sale" on the product page and in your order confirmation. Everything in our Last Chance section, and any item discounted by 40% or more, is Final Sale.
- **Personalized items**, such as the Personalized Enamel Camp Mug, because they're made to order.
- **Food**, such as freeze-dried meals.
- **Fuel canisters**, opened or not. They are hazardous materials and can't travel back through the mail.
- **Socks and underwear** once the packaging has been opened. Unopened packs can be returned as normal.
- Items that have been used, washed, altered or damaged after delivery.
- Items returned more than 30 days after delivery (or after January 31 for holiday purchases).

## Damaged or defective non-returnable items

Non-returnable items are still covered if they arrive damaged, defective or wrong, or if a personalized item has an engraving error. Contact us within 7 days of delivery and we'll replace or refund them. Defects that appear later are covered by our 2-year warranty.

## What happens if you send one back

If we receive a non-returnable item, we'll email you and either ship it back at no cost or, for food and fuel, dispose of it safely. We can't issue a refund or store credit for it.

## Not sure?

The product page says when an item can't be returned, and so does the "Return policy" section at checkout. If you have a question about a specific product before you buy, ask our chat assistant or our customer service team.`,
  },
  // ------------------------------------------------------------ Refunds
  {
    slug: "refund-timing",
    title: "When will I get my refund?",
    tags: ["refunds", "timing"],
    body: `## Refund timeline

| Step | How long it takes |
|---|---|
| Your return travels back to us (US) | 3–7 business days |
| We inspect and process your return | Within 3 business days of arrival |
| Your bank posts a card refund | 5–10 business days |
| PayPal refund appears | 3–5 business days |
| Store credit | Immediately, at the first carrier scan of your return |

We email you when your return arrives and again when we issue the refund. The refund email shows the amount and the payment method it went to.

## Cancelled orders

If you cancel an order before it ships, we refund it in full straight away. If your bank only placed an authorization hold, the hold is released instead, usually within 3–7 business days depending on your bank.

## Damaged, lost or wrong items

Once we've confirmed the problem, we refund the same day or the next business day. For lost parcels, the refund is issued as soon as the carrier confirms the parcel is lost, or after our trace closes.

## Haven't received your refund?

- Check that it's been at least 10 business days since our refund email.
- Look for a credit on your statement rather than a removed charge; some banks show refunds as a separate line.
- If the card you paid with has expired or been replaced, the bank normally passes the refund to the new card.

If it's still missing, contact us. We can give you the refund's acquirer reference number (ARN), which your bank can use to trace it.

## Refund amount different from what you expected?

Refunds match what you paid for each item after discounts. For US returns we deduct a $6.95 return label fee, and original shipping charges aren't refunded unless the order was damaged, defective, wrong or lost. See "Partial refunds" for examples.`,
  },
  {
    slug: "refund-methods",
    title: "Refund methods",
    tags: ["refunds", "payment-methods", "store-credit"],
    body: `## Refunds go back to how you paid

We always refund to the original payment method. We can't send a refund to a different card, a bank account or another person.

| You paid with | Your refund goes to |
|---|---|
| Credit or debit card | The same card |
| Apple Pay, Google Pay or Shop Pay | The card linked to that wallet |
| PayPal | Your PayPal account |
| Shop Pay Installments | Your installment plan: remaining payments are reduced first, then any amount you've already paid goes back to your card |
| Northwind gift card | A new digital gift card, emailed to you |
| A gift card plus a card | Your card first, up to the amount charged to it, then the rest as a new gift card |

## Store credit instead of a refund

When you start a return, you can choose store credit instead of a refund. Store credit is issued as a Northwind digital gift card as soon as your return gets its first carrier scan, and the return label is free (no $6.95 fee). Gift cards never expire.

## Card closed or expired

If the card you paid with has been closed or replaced, your bank usually passes the refund to your new card automatically. If your bank can't, contact us with the bank's confirmation and we'll issue store credit instead.

## Currency

All refunds are made in US dollars, the currency you paid in. If your card is in another currency, the amount that appears on your statement can differ from the original charge because of exchange rates and your bank's fees. We can't compensate for exchange rate differences.

## Cash and checks

We don't issue refunds in cash or by check.`,
  },
  {
    slug: "partial-refunds",
    title: "Partial refunds",
    tags: ["refunds", "partial-refund", "discounts"],
    body: `## When a refund is less than the order total

A partial refund is normal when:

- You return only some of the items in an order.
- You return a US order for a refund: we deduct the $6.95 return label fee. Choose store credit or an exchange to avoid it.
- An item you returned doesn't meet our return conditions: we offer 50% of its price, or send it back to you.
- You used a discount code: each item is refunded at the discounted price you actually paid.
- Original shipping charges aren't refunded unless the order was damaged, defective, wrong or lost.

## An example

You buy a Cascade 2.5L Rain Shell for $149 and a Summit 20°F Down Sleeping Bag for $329 with the code TRAIL15 (15% off orders of $150 or more). You paid $126.65 for the jacket after the discount. If you return the jacket for a refund, you get $126.65 plus the sales tax you paid on it, minus the $6.95 return label fee.

## Partial refunds you can ask for

- **Price adjustment**: if a full-price item you bought is reduced on our site within 14 days of your order, we refund the difference once per order. Final Sale reductions aren't included.
- **Forgotten discount code**: if you forgot to enter a code that was valid when you ordered, contact us within 7 days of your order and we'll refund the code's value.
- **Late Express or Expedited delivery**: we refund the shipping upgrade if the parcel arrived after the promised date.

## Free shipping and returns

If you return part of an order that shipped free and the items you keep add up to less than $75, we don't charge you shipping after the fact.

## Goodwill refunds

Sometimes our team offers a partial refund when something went wrong but you'd like to keep the item, for example a long delivery delay or a small cosmetic flaw. These are at our team's discretion.

## Seeing the breakdown

Your refund email lists each item, the discount and tax included, and any fee deducted. If anything looks wrong, reply to that email or ask our chat assistant.`,
  },
  // ------------------------------------------------------------ Payments
  {
    slug: "payment-methods",
    title: "Accepted payment methods",
    tags: ["payments", "payment-methods"],
    body: `## How you can pay

- **Credit and debit cards**: Visa, Mastercard, American Express and Discover.
- **PayPal**, including PayPal Pay Later where available.
- **Apple Pay**, **Google Pay** and **Shop Pay**.
- **Shop Pay Installments**: split orders between $50 and $1,500 into 4 interest-free payments every two weeks, subject to approval.
- **Northwind gift cards**, on their own or combined with another payment method.

We don't accept cash on delivery, checks, money orders, bank wire transfers, cryptocurrency or purchase orders.

## When you're charged

Your payment method is charged when you place your order. If we later cancel an item or the whole order, we refund it right away.

Orders paid with a PayPal eCheck stay in "payment pending" status until the payment clears, which usually takes 3–5 business days. We ship the order as soon as the payment is confirmed.

## Currency

All prices are in US dollars, and every order is charged in US dollars. See "Currencies and international pricing".

## Security

Checkout is handled by Shopify's PCI DSS Level 1 certified payment platform. Your full card number never reaches Northwind Outfitters and we never store it. We'll never ask for your card number, CVV or password by email, phone or chat; if someone does, please don't share it and let us know.

## Billing address

For card payments, the billing address must match the address your bank has on file. The shipping address can be different, for example if you're sending a gift.

## Paying for part of an order with a gift card

Enter your gift card code in the "Discount code or gift card" field at checkout. If the gift card doesn't cover the whole order, pay the rest with any other payment method.`,
  },
  {
    slug: "failed-payments",
    title: "Failed or declined payments",
    tags: ["payments", "failed-payment", "checkout"],
    body: `## Why a payment can fail

Payments are approved or declined by your bank or payment provider, not by us, and they don't tell us the exact reason. The most common causes are:

- The billing address or ZIP code doesn't match your bank's records.
- The CVV code or expiry date was mistyped, or the card has expired.
- Not enough available funds or credit, or a daily spending limit was reached.
- Your bank's fraud protection blocked an unusual purchase, such as a large order or one shipped abroad.
- The 3-D Secure check (a code from your banking app) wasn't completed, which is common for European cards.

## What to do

1. Check your card details and billing address, then try again.
2. Try a different payment method, such as PayPal, Apple Pay, Google Pay or Shop Pay.
3. Call your bank or approve the purchase in your banking app, then retry.

## Was I charged?

If your payment failed, no order was placed and you won't receive an order confirmation email. You may see a pending authorization on your statement; it isn't a charge and your bank releases it, usually within 3–7 business days. We can't release it sooner, because the hold is controlled by your bank.

If you see a completed charge but didn't get an order confirmation, contact us with the last four digits of the card, the amount and the date, and we'll look into it.

## Orders cancelled after checkout

Every order goes through automatic fraud screening. Very occasionally an order is flagged and we cancel it to protect you; we refund it in full and email you straight away. You're welcome to place the order again, for example with PayPal.

## Pending payments

Orders paid by PayPal eCheck stay pending for 3–5 business days until the payment clears. They ship once the payment is confirmed.`,
  },
  {
    slug: "invoices-receipts",
    title: "Invoices, receipts and sales tax",
    tags: ["payments", "invoices", "sales-tax"],
    body: `## Your receipt

Your order confirmation email is your receipt. It lists every item, the shipping charge, sales tax, any discount and the payment method.

## Downloading an invoice

If you have an account, sign in and go to Orders, then choose "Download invoice" next to the order to get a PDF invoice. If you checked out as a guest, ask our chat assistant or email support@northwindoutfitters.example.com with your order number, and we'll email the PDF to the address on the order.

## Business invoices

Need your company name, a billing address or a tax ID on the invoice? Send us your order number and the details within 90 days of the order date and we'll issue an updated invoice. We can't change the items, prices or dates shown.

## Sales tax

We collect sales tax on US orders shipped to states where we're required to. It's calculated from your shipping address and shown as a separate line at checkout and on your invoice. Orders shipped to Oregon, Montana, Alaska, New Hampshire and Delaware have no state sales tax.

International orders don't include sales tax. Import duties and taxes are collected by the carrier on delivery; see "Customs, duties and import taxes".

## Tax-exempt purchases

Tax-exempt organizations should send their exemption certificate to support@northwindoutfitters.example.com before ordering. Once it's approved, we apply the exemption to your account. For orders placed within the last 30 days, we can refund the sales tax after approval.

## Gift receipts

Tick "This is a gift" at checkout and the packing slip won't show prices. The recipient can use the order number on the slip to return the gift for store credit.`,
  },
  {
    slug: "currencies",
    title: "Currencies and international pricing",
    tags: ["payments", "currency", "international"],
    body: `## We charge in US dollars

Northwind Outfitters is based in the United States. All of our prices are set in US dollars (USD), and every order is charged in US dollars, wherever you live.

## Local currency display

For convenience, our site may show approximate prices in your local currency, such as Canadian dollars, pounds sterling, euros or Australian dollars. These are estimates based on recent exchange rates. At checkout, your order total is shown and charged in US dollars.

## Exchange rates and bank fees

If your card is in another currency, your bank converts the US dollar amount at its own exchange rate and may add a foreign transaction fee. The amount on your statement can therefore differ slightly from the estimate you saw on our site. Some cards don't charge foreign transaction fees; check with your bank.

## Refunds

Refunds are made in US dollars for the amount you paid. Because exchange rates change, the amount that arrives back in your local currency may be a little more or a little less than the original charge. We can't compensate for exchange rate differences or bank fees.

## Duties and taxes

Prices in any currency don't include import duties, VAT or GST for international orders. These are collected by DHL before delivery. See "Customs, duties and import taxes".

## Gift cards

Northwind gift cards are issued in US dollars and can be used by anyone, anywhere we ship.

## Free shipping thresholds

Our free shipping thresholds are in US dollars too: $75 for Standard shipping within the contiguous United States and $200 for international orders, both counted after discounts and before taxes.`,
  },
  {
    slug: "gift-cards",
    title: "Gift cards",
    tags: ["payments", "gift-cards"],
    body: `## Buying a gift card

Northwind digital gift cards are available for $25, $50, $100 and $200 on our Northwind Digital Gift Card product page. Enter the recipient's name and email address, add a personal message and choose the delivery date. We email the gift card on that date; you'll get a copy too. We don't sell physical gift cards.

Digital gift cards don't count toward the free shipping threshold, and discount codes can't be used to buy gift cards.

## Using a gift card

Enter the gift card code in the "Discount code or gift card" field at checkout. You can use several gift cards on one order and pay any remaining balance with another payment method. Gift cards can be combined with a discount code.

## Good to know

- Gift cards never expire and have no fees.
- They are issued in US dollars and work on every order we can ship.
- They can't be exchanged for cash, except where the law requires it.
- Gift cards can't be returned or refunded.
- Store credit from returns is issued as a digital gift card and follows the same rules.

## Checking your balance

Enter the code at checkout to see the remaining balance before you pay, or ask our chat assistant or customer service team.

## Lost or missing gift card

Ask the person who sent the gift to check the recipient email address on their order. We can resend a gift card to the original recipient's email address once the buyer confirms the order number. For security, we can't move a balance to a different email address without the buyer's confirmation.

## Refunds for orders paid by gift card

If you return something you paid for with a gift card, the refund is issued as a new digital gift card.`,
  },
  {
    slug: "discount-codes",
    title: "Discount codes and promotions",
    tags: ["payments", "discounts", "promotions"],
    body: `## Using a discount code

Enter your code in the "Discount code or gift card" field at checkout and select Apply. Codes aren't case-sensitive, but they must be typed without spaces.

## The rules

- **One code per order.** Discount codes can't be combined with each other, but you can use a code together with a gift card.
- **Exclusions.** Codes don't apply to gift cards or to Final Sale items.
- **Minimum spend and expiry.** Each offer states its minimum order value and end date. For example, TRAIL15 gives 15% off orders of $150 or more.
- **Welcome offer.** Sign up for our newsletter and we'll email you WELCOME10, worth 10% off your first order. It's valid once per customer and email address.
- **Free shipping** is worked out after the discount: your order needs to be $75 or more after the discount to ship free.

## Code not working?

Check that the code hasn't expired, that your order reaches the minimum spend, that your cart doesn't contain only excluded items, and that you haven't already used a single-use code. Codes from other retailers or coupon sites aren't valid with us.

## Forgot to use your code?

If you forgot to enter a code that was valid when you ordered, contact us within 7 days of your order and we'll refund the code's value as a partial refund. We can only apply one code per order.

## Price drops

If a full-price item you bought is reduced on our site within 14 days of your order, we refund the difference once per order. This doesn't apply to Final Sale reductions or to codes sent to other customers.

## Returns on discounted orders

When you return an item from an order that used a discount, you're refunded the discounted price you paid for that item. See "Partial refunds" for an example.`,
  },
  // ------------------------------------------------------------ Sizing
  {
    slug: "apparel-size-guide",
    title: "Apparel size guide",
    tags: ["sizing", "apparel", "size-chart"],
    body: `## How to measure

Use a soft tape measure and keep it level and snug, not tight.

- **Chest**: around the fullest part of your chest, under your arms.
- **Waist**: around your natural waist, above your belly button.
- **Hips**: around the fullest part of your hips.
- **Inseam**: from the crotch seam to the bottom of the leg, measured on a pair of pants that fit you well.

## Men's and unisex sizes

| Size | Chest (in) | Chest (cm) | Waist (in) | Waist (cm) |
|---|---|---|---|---|
| S | 36–38 | 91–97 | 29–31 | 74–79 |
| M | 39–41 | 99–104 | 32–34 | 81–86 |
| L | 42–44 | 107–112 | 35–37 | 89–94 |
| XL | 45–47 | 114–119 | 38–40 | 97–102 |
| XXL | 48–50 | 122–127 | 41–43 | 104–109 |

Unisex items, such as the Sun Hoodie and the Everyday Organic Tee, follow the men's chart. Women usually take one size down in unisex styles.

## Women's sizes

| Size | Numeric | Chest (in) | Waist (in) | Hips (in) |
|---|---|---|---|---|
| XS | 0–2 | 31–32 | 24–25 | 34–35 |
| S | 4–6 | 33–34 | 26–27 | 36–37 |
| M | 8–10 | 35–36 | 28–29 | 38–39 |
| L | 12–14 | 37–39 | 30–32 | 40–42 |
| XL | 16 | 40–42 | 33–35 | 43–45 |

## Pants

Men's pants are sold by waist size in inches (30, 32, 34 and 36) with a 32-inch Regular inseam. Women's pants use numeric sizes (4, 6, 8 and 10) with a 30-inch inseam. Hemming is easy for any tailor, but altered items can't be returned.

## Between sizes?

For base layers and running clothes, choose the smaller size for a close fit. For jackets, fleece and insulation, choose the larger size if you plan to layer underneath. Each product page also lists its fit (Trim, Regular or Relaxed); see "How our clothing fits".

If you're still unsure, tell our chat assistant your height, weight and the size you usually wear, and it will suggest a size. You can exchange for free within 30 days if it doesn't fit.`,
  },
  {
    slug: "footwear-size-guide",
    title: "Footwear size guide",
    tags: ["sizing", "footwear", "size-chart"],
    body: `## Measure your feet

Measure in the afternoon, when your feet are at their largest, and wear the socks you'll hike in. Stand on a sheet of paper with your heel against a wall, mark the tip of your longest toe and measure from the wall to the mark. Measure both feet and use the longer one.

## Men's sizes

| US | UK | EU | Foot length (cm) |
|---|---|---|---|
| 7 | 6 | 40 | 25.0 |
| 8 | 7 | 41 | 25.8 |
| 9 | 8 | 42.5 | 26.7 |
| 10 | 9 | 44 | 27.5 |
| 11 | 10 | 45 | 28.4 |
| 12 | 11 | 46 | 29.2 |
| 13 | 12 | 47.5 | 30.0 |

## Women's sizes

| US | UK | EU | Foot length (cm) |
|---|---|---|---|
| 6 | 4 | 37 | 23.0 |
| 7 | 5 | 38 | 23.8 |
| 8 | 6 | 39 | 24.6 |
| 9 | 7 | 40.5 | 25.4 |
| 10 | 8 | 41.5 | 26.2 |
| 11 | 9 | 42.5 | 27.0 |

## How our footwear fits

- **Ridgeback Waterproof Hiking Boot**: true to size with room for a midweight sock. If you're between sizes, order a half size up.
- **Trailrunner GTX**: runs slightly narrow. If you have wide feet, go a half size up.
- **Camp Slip-On**: unisex, in men's US sizes. Women should order 1.5 sizes down (a women's 8.5 is a men's 7).

You should have about a thumb's width of space between your longest toe and the end of the shoe, and your heel shouldn't lift when you walk uphill.

## Trying them on

Try footwear on indoors on a clean floor so the soles stay unmarked; that way you can still return or exchange them within 30 days. Return them in the original shoe box inside a shipping box.

## Still not sure?

Ask our chat assistant with your usual size in another brand and your foot length, and we'll help you pick.`,
  },
  {
    slug: "fit-guide",
    title: "How our clothing fits",
    tags: ["sizing", "fit", "layering"],
    body: `## Our three fits

Every Northwind garment is labeled with one of three fits on its product page.

- **Trim fit**: close to the body without being tight. Used for base layers, running clothes and the Trailhead Softshell, where extra fabric would flap or trap sweat.
- **Regular fit**: room for a thin layer underneath. Most of our shells, fleece and hiking pants are Regular fit. The Cascade 2.5L Rain Shell is cut to fit over a fleece hoodie of the same size.
- **Relaxed fit**: generous through the chest and hips so you can layer. Used for the Summit Down Parka and the Basecamp Flannel Shirt.

## Layering

A typical system is a trim base layer, a regular mid layer and a shell or parka on top. If you buy all three in your usual size, they'll layer comfortably. If you like to wear a thick sweater under your shell, go up one size in the shell.

## Men's, women's and unisex

Women's styles have a narrower shoulder, a shaped waist and shorter sleeves than men's styles. Unisex styles follow the men's size chart; women usually take one size down.

## Length

Jackets are hip-length unless the description says otherwise; the women's Summit Down Parka is thigh-length. Sleeves are cut long enough to cover your wrists when you reach overhead.

## Shrinkage

- Merino base layers: wash cold and lay flat to dry; they won't shrink noticeably.
- Organic cotton flannel and tees are pre-washed, but can shrink up to 3% in a hot dryer. Wash cold and tumble dry low.
- Technical shells and fleece don't shrink. Wash them with a tech wash to keep the water-repellent finish working.

## Need help choosing?

See the "Apparel size guide" for measurements, or ask our chat assistant with your height, weight and the size you usually wear. Exchanges are free for US orders within 30 days.`,
  },
  // ------------------------------------------------------------ Warranty
  {
    slug: "warranty",
    title: "Northwind two-year warranty",
    tags: ["warranty", "defects"],
    body: `## What's covered

Every Northwind Outfitters-branded product is covered by a limited warranty for 2 years from the date of delivery. The warranty covers defects in materials and workmanship, such as:

- Seams that come apart or seam tape that peels.
- Zippers, buckles, snaps and cord locks that fail under normal use.
- Delamination of waterproof membranes or leaking seams on shells and tents.
- Tent poles, pack frames or stove parts that break because of a manufacturing fault.
- Down or insulation that clumps or escapes because of a construction fault.

## What isn't covered

- Normal wear and tear, such as abrasion, pilling or faded color.
- Damage from accidents, misuse, fire, sharp objects or animals.
- Damage from improper care, such as machine-washing a down sleeping bag with fabric softener.
- Items that have been altered or repaired by someone else.
- Loss of water repellency (DWR) over time, which can be restored with a wash-in treatment.
- Food, fuel and other consumables.

## Partner brands

Products from other brands we sell, such as Lumen Trail headlamps, Clearwater filters and Peakfuel canisters, are covered by their manufacturer's warranty. We're happy to help you contact them.

## What we do

If your claim is approved, we repair the item, replace it with the same or an equivalent product, or issue store credit for the price you paid. If none of these is possible, we refund the price you paid.

## Who is covered

The warranty covers the original purchaser, with proof of purchase from Northwind Outfitters or an authorized retailer. Gifts are covered too: the order number or a gift receipt is enough.

## Your legal rights

This warranty is in addition to your rights under consumer protection laws in your country or state, and doesn't limit them.

To make a claim, see "How to make a warranty claim".`,
  },
  {
    slug: "warranty-claims",
    title: "How to make a warranty claim",
    tags: ["warranty", "claims", "repairs"],
    body: `## Before you start

Check that the item is a Northwind Outfitters-branded product, that it's within 2 years of delivery, and that the problem is a defect rather than wear and tear or accidental damage. See "Northwind two-year warranty" for what's covered.

## What you'll need

- Your order number, or proof of purchase from an authorized retailer.
- Clear photos of the whole item, of the defect and of the product label inside.
- A short description of what happened and how the item was used.

## How to submit a claim

Email support@northwindoutfitters.example.com with the subject "Warranty claim" and your order number, or start a warranty claim with our chat assistant and upload your photos there.

## What happens next

1. **Review**: we reply within 2 business days. Often the photos are enough to approve the claim.
2. **Send-in (if needed)**: if we need to see the item, we email you a prepaid return label for US addresses. International customers ship the item at their own cost; we pay to send the repaired or replacement item back.
3. **Inspection**: we inspect items within 5 business days of receiving them.
4. **Resolution**: we repair the item, replace it, or issue store credit. Repairs take 2–3 weeks. Replacements ship with Standard shipping at no cost.

If a replacement isn't available in the same color, we'll offer the closest alternative or store credit for the price you paid.

## Repairs outside the warranty

Tears, burns and other damage that the warranty doesn't cover can often still be fixed. Our repair service patches shells, replaces zippers and restores down products for a fee. We send you a quote first and only start the repair once you approve it. Fees usually range from $15 for a patch to $60 for a main zipper replacement, plus return shipping.

## Claims for partner brands

For Lumen Trail, Clearwater, Peakfuel and Basin Foods products, contact the manufacturer directly. Our customer service team can give you their contact details.`,
  },
  // ------------------------------------------------------------ Account
  {
    slug: "create-account",
    title: "Creating an account",
    tags: ["account", "sign-up"],
    body: `## Why create an account

An account is optional; you can always check out as a guest. With an account you can:

- See all your orders and their tracking in one place.
- Download PDF invoices.
- Start returns and exchanges without typing your order number.
- Save addresses for faster checkout.
- Manage your newsletter preferences.

## How to create one

- Select the person icon at the top of any page and choose "Create account", or go to northwindoutfitters.example.com/account/register.
- Or tick "Create an account" at checkout: we'll email you a link to set your password after your order.

Enter your name, email address and a password of at least 8 characters. We send a confirmation email; select the link in it to activate your account. The link is valid for 24 hours.

## Past guest orders

If you've ordered as a guest before, create your account with the same email address. Your past orders will appear in your account automatically.

## Signing in with Shop Pay

If you use Shop Pay, you can sign in with the one-time code Shop sends to your phone or email instead of a password.

## Changing your details

Sign in and go to Account settings to change your name, email address, password or saved addresses. Changing your email address also changes where we send order updates for future orders; orders already placed keep the email they were placed with.

## Trouble signing up?

If you see "This email is already registered", you may already have an account: use "Forgot your password?" on the sign-in page. If the confirmation email doesn't arrive within 10 minutes, check your spam folder, then contact us.

## One account per email

Each email address can have one account. Business customers who want several people to order under one company should contact our customer service team.`,
  },
  {
    slug: "password-reset",
    title: "Resetting your password",
    tags: ["account", "password", "sign-in"],
    body: `## Reset your password

1. Go to the sign-in page and select "Forgot your password?".
2. Enter the email address of your account.
3. We email you a reset link. Select it and choose a new password of at least 8 characters.

The reset link is valid for 24 hours and can be used once. If it has expired, request a new one.

## The email didn't arrive

- Wait a few minutes, then check your spam, junk or promotions folder.
- Make sure you entered the email address you signed up with. If you've checked out as a guest before but never created an account, there's no password to reset: create an account with that email instead.
- Add support@northwindoutfitters.example.com to your contacts and request a new link.

For your security, we'll never send your password by email, and our team can't see or set your password for you.

## Can't access your email anymore

Contact our customer service team from the email address you'd like to use. To protect your account, we'll ask you to confirm recent order details, such as an order number, the shipping address and the last four digits of the card used. Once we've verified you, we'll update the email on your account so you can reset your password.

## Account locked

After 5 unsuccessful sign-in attempts, your account is locked for 30 minutes. Wait, then reset your password.

## Staying secure

- Use a password you don't use anywhere else.
- We'll never ask for your password by email, phone or chat, including through our chat assistant.
- If you think someone else has accessed your account, reset your password straight away and let us know.`,
  },
  {
    slug: "delete-account",
    title: "Deleting your account and personal data",
    tags: ["account", "privacy", "data-deletion"],
    body: `## How to delete your account

Sign in, go to Account settings and select "Delete my account", or email privacy@northwindoutfitters.example.com from the email address on your account. We confirm the request by email.

We complete deletion requests within 30 days. You'll get an email when it's done.

## Before you delete

- **Open orders and returns**: we finish processing any order that hasn't shipped and any return in progress first, so that we can deliver or refund it.
- **Gift cards and store credit**: gift card codes aren't tied to your account and keep working after it's deleted. Note down any codes you want to keep.
- **Newsletter**: deleting your account also unsubscribes you from our emails.

## What we delete and what we keep

We delete your account, saved addresses, wishlists, chat history and marketing preferences, and we remove your personal details from our systems and from the service providers that process them for us.

By law, we keep records of past orders, such as invoices and payment records, for 7 years for tax and accounting purposes. These records are stored securely and used for nothing else. See our Privacy Policy for details.

## Deleting data without closing your account

You can also ask us to correct your data, send you a copy of it, or stop using it for marketing, without deleting your account. Email privacy@northwindoutfitters.example.com; we answer within 30 days.

## Can I undo it?

No. Once your account is deleted, we can't restore it, your order history or your saved details. You're welcome to create a new account with the same email address later, but your past orders won't be linked to it.

## California and EU residents

You have specific rights under the CCPA and the GDPR, including the right to know, to delete and to correct your data. We don't sell your personal information. See our Privacy Policy.`,
  },
  {
    slug: "newsletter",
    title: "Newsletter and email preferences",
    tags: ["account", "newsletter", "marketing"],
    body: `## Signing up

Join our newsletter by entering your email at the bottom of any page, or by ticking the box at checkout. We'll send you a welcome email with the code WELCOME10, worth 10% off your first order (one use per customer).

## What we send

We send 1–2 newsletters a week with new gear, trail guides from our team, and early access to sales. During our spring and end-of-year sales we might send one extra email.

## Order emails

Order confirmations, shipping updates, return updates and refund emails are service emails about your purchases. They're sent even if you're not subscribed to the newsletter, and you can't unsubscribe from them.

## Unsubscribing

Select "Unsubscribe" at the bottom of any newsletter, or sign in and untick "Email me news and offers" in Account settings. Changes take effect within 48 hours, so you may receive one more email that was already scheduled.

## Text messages

We don't send marketing text messages. Carriers may text you delivery updates if you gave a phone number at checkout.

## Didn't get the welcome code?

Check your spam or promotions folder, and make sure you haven't subscribed before with the same email; the welcome code is only sent once. If you still can't find it, ask our chat assistant or customer service team.

## Changing your email address

Unsubscribe the old address and subscribe with the new one, or update the email address in your account settings.

## Your data

We use your email only to send you the messages you've agreed to. We never sell or share your email address with other companies for their marketing. See our Privacy Policy for details.`,
  },
  // ------------------------------------------------------------ Order changes
  {
    slug: "cancel-order",
    title: "Cancelling an order",
    tags: ["orders", "cancellation", "order-changes"],
    body: `## Cancel before it ships

You can cancel an order free of charge until it has shipped. Most orders ship within 1–2 business days, and Expedited and Express orders placed before 1 p.m. Pacific Time ship the same day, so please contact us as soon as possible.

## How to cancel

- Ask our chat assistant: give it your order number and the email you ordered with. If the order hasn't shipped, it can cancel it for you straight away.
- Or email support@northwindoutfitters.example.com with "Cancel order" and your order number in the subject line. During business hours we usually reply within an hour.

You'll receive a cancellation email once it's done.

## Your refund

We refund cancelled orders in full, including shipping, to your original payment method straight away. Card refunds take 5–10 business days to show; if your bank only placed an authorization hold, it's released within 3–7 business days.

## Cancelling part of an order

You can also cancel individual items before they ship. We refund the items and their sales tax. If the remaining items add up to less than $75, we don't charge you shipping after the fact.

## Already shipped?

Once an order has shipped, we can't cancel it. Let it arrive and return it within 30 days (see "How to start a return"). Please don't refuse the delivery: refused parcels take much longer to come back to us.

If only part of your order has shipped, you can still cancel the items that haven't shipped yet, such as a backordered item.

## Orders we cancel

Occasionally we have to cancel an order: when an item sold out at the same moment you ordered, when a payment couldn't be confirmed, or when our fraud screening flags an order. We refund you in full and email you the reason.`,
  },
  {
    slug: "change-shipping-address",
    title: "Changing your shipping address",
    tags: ["orders", "address-change", "order-changes"],
    body: `## Before your order ships

We can change the shipping address on any order that hasn't shipped yet. Contact us as soon as possible through our chat assistant or by email at support@northwindoutfitters.example.com with:

- Your order number.
- The email address you ordered with.
- The complete new address, including any apartment or unit number.

For your security, address changes are checked by a member of our team before they're applied. We confirm the change by email. If your order ships before we can update it, we'll let you know and try to redirect it with the carrier instead.

## Changing the shipping country

If the new address is in a different country, the shipping rate, duties and delivery time change, so we cancel the order and ask you to place a new one. If the new address is in Alaska, Hawaii or a US territory, we'll confirm the $12.95 shipping rate with you first.

## After your order ships

Once a parcel is on its way, we can't change the address ourselves, but you may be able to redirect it:

- **UPS**: sign up for UPS My Choice and request a delivery change or a pickup at a UPS Access Point.
- **FedEx**: use FedEx Delivery Manager to redirect to a FedEx location.
- **USPS**: Package Intercept is available for a fee, but isn't guaranteed.
- **DHL Express**: use the On Demand Delivery link in DHL's notification email.

If the carrier returns your parcel to us because the address was wrong or incomplete, we'll contact you and reship it once you confirm the correct address. The new shipment is charged at our normal rates.

## Typos in your address

Spotted a typo right after ordering, like a missing apartment number? Tell us straight away; this is the most common reason for delayed and lost parcels.

## Updating saved addresses

To change the addresses saved in your account for future orders, sign in and go to Account settings, then Addresses.`,
  },
  {
    slug: "modify-order-items",
    title: "Changing items in your order",
    tags: ["orders", "modify-order", "order-changes"],
    body: `## Before your order ships

Until your order ships, we can make these changes for you:

- **Swap a size or color** of an item for the same product at the same price.
- **Remove an item**: we refund the item and its sales tax to your original payment method.
- **Change a personalized engraving**, as long as production hasn't started (usually within 2 hours of ordering).

Ask our chat assistant or email support@northwindoutfitters.example.com with your order number and the change you'd like. Most orders ship within 1–2 business days, and Expedited and Express orders can ship within hours, so contact us as soon as you can.

## Adding items

We can't add items to an order that's already been placed, because the payment has been processed. Place a new order for the extra items instead. If both orders are going to the same address and neither has shipped, tell us and we'll pack them together and refund the shipping charge on the second order.

## Applying a discount code afterwards

If you forgot a code that was valid when you ordered, contact us within 7 days and we'll refund the code's value. Only one code can be used per order.

## After your order ships

Once an order has shipped, we can't change it. You can exchange items for a different size or color for free within 30 days of delivery (US orders), or return them for a refund or store credit. See "Exchanges" and "How to start a return".

## Backordered items

If an item in your order is on backorder, you can swap it for an in-stock size or color, or cancel it for a refund, at any time before it ships.

## If an item sells out

If an item sells out before we can make your change, we'll let you know and you can choose a different option or cancel the item for a full refund.`,
  },
  // ------------------------------------------------------------ Contact
  {
    slug: "contact-us",
    title: "Contact us and customer service hours",
    tags: ["contact", "customer-service", "hours"],
    body: `## Chat with us any time

Our chat assistant is available 24 hours a day, 7 days a week, from the chat bubble on every page. It can track your orders, start returns and exchanges, cancel orders that haven't shipped, and answer questions about sizing, shipping and our policies. Whenever you'd like to talk to a person, ask it to hand you over to our team.

## Customer service team hours

Our customer service team is based in Portland, Oregon:

| Day | Hours (Pacific Time) |
|---|---|
| Monday–Friday | 8:00 a.m. – 6:00 p.m. |
| Saturday | 9:00 a.m. – 3:00 p.m. |
| Sunday and US federal holidays | Closed |

## How to reach us

- **Chat**: during team hours a person usually joins within a few minutes. Outside team hours, we reply by email the next business day.
- **Email**: support@northwindoutfitters.example.com. We reply within 1 business day, usually much sooner.
- **Phone**: +1 (503) 555-0148 during team hours.
- **Mail**: Northwind Outfitters, 1850 NW Timberline Way, Portland, OR 97209, USA. Please don't send returns to this address without starting a return online first.

## Help us help you faster

Have your order number ready (you'll find it in your order confirmation email, for example #1042) and the email address you used at checkout. For damaged or defective items, include photos.

## Privacy questions

For questions about your personal data, or to delete your account, email privacy@northwindoutfitters.example.com.

## Press, wholesale and partnerships

Email hello@northwindoutfitters.example.com. Our customer service team can't answer wholesale questions.

## Feedback

We read every message. After a chat, you can rate your experience from 1 to 5; your feedback goes straight to our team.`,
  },
];

// ---------------------------------------------------------------- Knowledge: policies

export const POLICIES: SeedPolicy[] = [
  {
    externalId: "refund",
    title: "Refund Policy",
    tags: ["policy", "returns", "refunds"],
    body: `## Overview

This Refund Policy applies to purchases from Northwind Outfitters, Inc. ("Northwind Outfitters", "we", "us") at northwindoutfitters.example.com. It is in addition to any rights you have under applicable consumer law.

## Return window

You may return eligible items within 30 days of the delivery date shown in the carrier's tracking. Items delivered between November 15 and December 24 may be returned until January 31 of the following year.

## Conditions

To be eligible for a full refund, items must be unused, unwashed, unaltered and free of odors, with all original tags attached, and returned in their original packaging with all parts and accessories. Footwear may be tried on indoors only and must be returned in its original shoe box. Tents may be pitched indoors to check their size; stoves must never have been fueled.

Items that don't meet these conditions may be sent back to you at no cost or, at your choice, refunded at 50% of the item price.

## Non-returnable items

The following can't be returned: gift cards; items marked Final Sale, including any item discounted by 40% or more; personalized items; food; fuel canisters; and socks and underwear once their packaging has been opened. This doesn't affect your rights for damaged, defective or incorrect items.

## How to return

Start a return at northwindoutfitters.example.com/returns or through our chat assistant. US customers receive a prepaid return label, to be used within 14 days. International customers arrange and pay for return shipping to: Northwind Outfitters Returns, 1850 NW Timberline Way, Portland, OR 97209, USA.

## Refunds

We inspect and process returns within 3 business days of receiving them. Refunds are issued to the original payment method, in US dollars. Card issuers usually post refunds within 5–10 business days; PayPal within 3–5 business days. Items paid for with a gift card are refunded as a new digital gift card.

For US returns refunded to the original payment method, a $6.95 return label fee is deducted. No fee applies to exchanges, to returns for store credit, or to damaged, defective, incorrect or lost items.

Original shipping charges, expedited shipping charges and import duties are not refundable, except where an order was damaged, defective, incorrect or lost, or was cancelled by us. Each item is refunded at the price actually paid after discounts.

## Store credit

You may choose store credit instead of a refund. Store credit is issued as a digital gift card when the carrier first scans your return and never expires.

## Exchanges

US customers may exchange an item once, free of charge, for another size or color of the same product within 30 days of delivery. The replacement ships when the return receives its first carrier scan. If the replacement is unavailable, we issue a refund without deducting the return label fee.

## Damaged, defective or incorrect items

Report damaged, defective or incorrect items within 7 days of delivery, with photos. We will replace the item or refund it in full, including shipping. Defects that appear later are handled under our 2-year limited warranty.

## Cancellations

Orders may be cancelled free of charge until they ship. Cancelled orders are refunded in full.

## Contact

Questions about this policy: support@northwindoutfitters.example.com or +1 (503) 555-0148, Monday–Friday 8:00 a.m.–6:00 p.m. and Saturday 9:00 a.m.–3:00 p.m. Pacific Time.`,
  },
  {
    externalId: "shipping",
    title: "Shipping Policy",
    tags: ["policy", "shipping"],
    body: `## Processing

All orders ship from our warehouse in Portland, Oregon, USA. Standard and international orders are processed and shipped within 1–2 business days (Monday–Friday, excluding US federal holidays). Expedited and Express orders placed before 1 p.m. Pacific Time on a business day ship the same day; other Expedited and Express orders ship the next business day. Orders awaiting payment confirmation, such as PayPal eCheck payments, ship once payment clears.

## Domestic shipping rates and times

| Option | Estimated delivery after dispatch | Rate |
|---|---|---|
| Standard (USPS or UPS Ground) | 3–7 business days | $6.95; free on orders of $75 or more |
| Expedited (UPS) | 2–3 business days | $14.95 |
| Express (FedEx) | Next business day | $29.95 |
| Alaska, Hawaii, US territories, APO/FPO/DPO (USPS Priority Mail) | 5–10 business days | $12.95 |

The free shipping threshold is calculated on the order subtotal after discounts and before tax, and applies to Standard shipping within the contiguous United States. Expedited and Express are available for street addresses in the contiguous United States only. PO Boxes receive Standard shipping via USPS.

## International shipping

We ship to Canada, Mexico, the United Kingdom, the European Union, Switzerland, Norway, Australia, New Zealand, Japan and South Korea with DHL Express. Canada: $19.95, 3–6 business days. Other destinations: $29.95, 5–10 business days. International orders of $200 or more ship free.

International orders ship Delivered at Place (DAP). Import duties, taxes and customs fees are the recipient's responsibility and are collected by DHL. If a parcel is refused or charges go unpaid, we refund the items after the parcel is returned to us, less the original shipping charge and the return charges billed by the carrier.

## Restricted items

Fuel canisters ship by ground to the contiguous United States only and are sent separately from expedited and express orders at no extra cost. Food products can't be shipped to Australia or New Zealand.

## Delivery estimates

Delivery times are estimates provided by carriers and are not guaranteed, except that we refund the shipping upgrade when an Expedited or Express parcel is delivered after the date promised in the shipping confirmation, provided you contact us within 14 days of delivery.

## Signature

Orders over $500 require a signature on delivery.

## Tracking

We email a tracking number for each parcel when it ships. Tracking may take up to 24 hours to show the first scan.

## Split shipments

When we ship an order in several parcels, shipping is charged only once.

## Lost, delayed and stolen parcels

Contact us if tracking hasn't updated for 5 business days (10 for international orders), if a parcel is more than 3 business days past its estimated delivery date, or, for parcels marked as delivered but not received, within 14 days of the delivery date. We will open an investigation with the carrier and, if the parcel is not found, send a replacement or issue a full refund including shipping.

## Address changes

Shipping addresses can be changed before an order ships, subject to verification. We are not responsible for parcels delivered to an incorrect address provided at checkout; parcels returned to us because of an incorrect address are reshipped at our normal rates.`,
  },
  {
    externalId: "privacy",
    title: "Privacy Policy",
    tags: ["policy", "privacy", "data"],
    body: `## Who we are

Northwind Outfitters, Inc., 1850 NW Timberline Way, Portland, OR 97209, USA, operates the online store at northwindoutfitters.example.com and is responsible for your personal information. Contact: privacy@northwindoutfitters.example.com.

## Information we collect

- **Information you give us**: name, email address, phone number, shipping and billing addresses, account password, order details, messages to our customer service team and chat assistant, reviews and survey answers.
- **Payment information**: processed by our payment providers. We receive only limited details, such as the card type, the last four digits and the expiry date; we never receive or store full card numbers.
- **Information collected automatically**: device and browser information, IP address, pages viewed and items added to your cart, collected through cookies and similar technologies.
- **Information from others**: delivery updates from carriers, and fraud-screening signals from our payment providers.

## How we use it

We use your information to process and deliver orders, handle returns, refunds and warranty claims, provide customer service, prevent fraud, comply with legal obligations, improve our store, and, with your consent, send marketing emails.

## Our chat assistant

Our chat assistant is an automated system operated for us by a service provider. It uses your messages, and the order details you verify, to answer your questions and take actions you request, such as starting a return. Conversations may be reviewed by our customer service team. Chat history is kept for 2 years and then deleted. Please don't share full card numbers or passwords in chat.

## Who we share it with

We share personal information only with service providers that help us run our business, under contracts that restrict how they use it: our e-commerce platform (Shopify), payment processors, shipping carriers (USPS, UPS, FedEx, DHL), our email service provider, our customer service and chat software, and our analytics provider. We may disclose information when required by law or to protect our rights. We do not sell your personal information and do not share it for cross-context behavioral advertising.

## Cookies

We use essential cookies to run our store and, with your consent where required, analytics and marketing cookies. You can change your choices at any time through the cookie settings link at the bottom of every page.

## How long we keep it

We keep account information while your account is active. Order, payment and invoice records are kept for 7 years to meet tax and accounting obligations. Marketing data is deleted when you unsubscribe or close your account, except for the minimal record needed to respect your choice.

## Your rights

Depending on where you live, including California (CCPA/CPRA) and the European Economic Area and United Kingdom (GDPR), you may have the right to access, correct, delete or receive a copy of your personal information, to object to or restrict certain processing, and to withdraw consent. Email privacy@northwindoutfitters.example.com or use the "Delete my account" option in your account settings. We respond within 30 days and won't discriminate against you for exercising your rights. You may also complain to your local data protection authority.

## International transfers

We are based in the United States and process information there. Where we transfer personal information from the EEA or the UK, we rely on appropriate safeguards such as the European Commission's standard contractual clauses.

## Security

We protect your information with encryption in transit and at rest, access controls and regular reviews. No system is completely secure; if we become aware of a breach affecting you, we will notify you as required by law.

## Children

Our store is not directed at children under 16, and we don't knowingly collect their personal information.

## Changes

We may update this policy. We will post the new version here with its effective date and, for significant changes, notify you by email.`,
  },
  {
    externalId: "terms",
    title: "Terms of Service",
    tags: ["policy", "terms"],
    body: `## Agreement

These Terms of Service govern your use of northwindoutfitters.example.com and your purchases from Northwind Outfitters, Inc. ("Northwind Outfitters", "we", "us"). By using our store or placing an order, you agree to these terms, our Refund Policy, our Shipping Policy and our Privacy Policy.

## Eligibility and accounts

You must be at least 18 years old, or have the consent of a parent or guardian, to place an order. You are responsible for keeping your account password confidential and for activity under your account. Tell us immediately if you suspect unauthorized use.

## Products and prices

We try to describe and display our products accurately, but colors may vary on screen and descriptions may contain errors. Prices are in US dollars and exclude sales tax, shipping, and import duties and taxes, which are shown or collected as described in our Shipping Policy. We may change prices and product availability at any time without notice. If an item is listed at an incorrect price, we may cancel orders for that item and refund you in full.

## Orders

Your order is an offer to buy. A contract is formed when we ship the items and send you a shipping confirmation. We may refuse or cancel an order, or limit quantities, for example if an item is unavailable, if payment can't be verified, or if we suspect fraud or resale. If we cancel an order after you have paid, we refund you in full.

## Payment

You authorize us and our payment providers to charge your chosen payment method for the total amount of your order. Gift cards and store credit have no cash value except where required by law, never expire and can't be reloaded or resold.

## Discounts and promotions

Discount codes are subject to the terms of each offer, are limited to one per order, can't be applied to gift cards or Final Sale items, and may be withdrawn at any time. Codes obtained in violation of their terms may be voided.

## Shipping, risk and title

Title and risk of loss pass to you when the carrier delivers your order. Delivery dates are estimates, as set out in our Shipping Policy.

## Returns and warranty

Returns and refunds are governed by our Refund Policy. Northwind Outfitters-branded products are covered by a 2-year limited warranty against defects in materials and workmanship. Other brands are covered by their manufacturer's warranty.

## Safe use of outdoor products

Outdoor activities carry inherent risks. Follow the instructions and warnings supplied with our products, particularly stoves, fuel, tents and safety equipment, and never use a stove inside a tent. You are responsible for your own safety and for choosing equipment suited to your activity and the conditions.

## Chat assistant

Our store offers an automated chat assistant. Its answers are provided for convenience and may occasionally be inaccurate; our policies as published on this site prevail over any conflicting statement by the assistant. Actions such as cancellations and returns are subject to these terms and our policies.

## Acceptable use

You agree not to misuse our store, including by attempting to gain unauthorized access, scraping content, interfering with its operation, submitting false information, or abusing our returns, promotions or chat assistant.

## Intellectual property

All content on our store, including text, images, logos and product designs, belongs to Northwind Outfitters or its licensors and may not be used without our written permission.

## Limitation of liability

To the fullest extent permitted by law, Northwind Outfitters is not liable for indirect, incidental, special or consequential damages, and our total liability for any claim relating to a purchase is limited to the amount you paid for that purchase. Nothing in these terms limits liability that cannot be limited by law, or your statutory rights as a consumer.

## Governing law

These terms are governed by the laws of the State of Oregon, USA, without regard to conflict-of-law rules. Consumers residing outside the United States keep the protection of the mandatory laws of their country of residence.

## Changes and contact

We may update these terms by posting a new version on this page; changes apply to orders placed after the update. Questions: support@northwindoutfitters.example.com, +1 (503) 555-0148, or Northwind Outfitters, Inc., 1850 NW Timberline Way, Portland, OR 97209, USA.`,
  },
];
