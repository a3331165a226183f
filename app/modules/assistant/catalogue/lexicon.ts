/**
 * Small word lists for talking about products in en/fr/de/es: product nouns in French, German and Spanish
 * with their English catalogue word (shop catalogues are mostly written in English), and the words of a
 * product request that do not name a product (articles, colours, sizes, everyday adjectives, services).
 * All keys are folded (see `fold`) and singular as `foldedStem` makes them.
 */

/** Lower case, accents removed, ß → ss: how every list here is written. */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").replace(/ß/g, "ss").toLowerCase();
}

/** The plural "s" dropped from words longer than 3 letters ("jackets" → "jacket", "dress" stays). */
export function foldedStem(token: string): string {
  return token.length > 3 && token.endsWith("s") && !token.endsWith("ss") ? token.slice(0, -1) : token;
}

/** A list's words as message tokens are compared: folded and singular ("this" is stored as "thi", like the token). */
function words(list: string): string[] {
  return list.split(/\s+/).filter(Boolean).map(foldedStem);
}

/**
 * Product nouns → the English word catalogues use. German compounds ("Regenjacke") map to several words; a
 * compound that is not listed is read by its last part ("Softshelljacke" → jacket), see `translateProductWord`.
 */
const PRODUCT_NOUNS: Record<string, string> = {
  // French
  veste: "jacket", blouson: "jacket", manteau: "parka", doudoune: "puffer", parka: "parka", gilet: "vest", polaire: "fleece",
  sweat: "hoodie", pantalon: "pant", short: "short", chemise: "shirt", "t-shirt": "tee", tshirt: "tee", chaussette: "sock",
  bonnet: "beanie", casquette: "cap", chapeau: "hat", gant: "glove", guetre: "gaiter", chaussure: "shoe", botte: "boot",
  tente: "tent", sac: "bag", couchage: "sleeping", duvet: "down", matela: "pad", matelas: "pad", oreiller: "pillow", chaise: "chair",
  hamac: "hammock", rechaud: "stove", casserole: "pot", popote: "pot", cartouche: "canister", gourde: "bottle", bouteille: "bottle",
  filtre: "filter", cafetiere: "press", lampe: "headlamp", frontale: "headlamp", baton: "pole", trousse: "kit", mug: "mug", tasse: "mug",
  carte: "card", cadeau: "gift", repa: "meal", repas: "meal", coque: "case", housse: "case",
  // German
  jacke: "jacket", regenjacke: "rain jacket", daunenjacke: "down jacket", weste: "vest", fleecejacke: "fleece jacket", kapuzenpulli: "hoodie",
  hoodie: "hoodie", pullover: "hoodie", hose: "pant", regenhose: "rain pant", wanderhose: "hiking pant", hemd: "shirt", socke: "sock",
  socken: "sock", mutze: "beanie", kappe: "cap", hut: "hat", handschuh: "glove", handschuhe: "glove", gamasche: "gaiter", gamaschen: "gaiter",
  schuh: "shoe", schuhe: "shoe", wanderschuh: "hiking shoe", wanderschuhe: "hiking shoe", stiefel: "boot", wanderstiefel: "hiking boot",
  zelt: "tent", rucksack: "pack", tasche: "bag", schlafsack: "sleeping bag", isomatte: "pad", matte: "pad", kissen: "pillow", stuhl: "chair",
  hangematte: "hammock", kocher: "stove", topf: "pot", kartusche: "canister", flasche: "bottle", trinkflasche: "bottle", wasserfilter: "water filter",
  stirnlampe: "headlamp", stocke: "pole", wanderstocke: "trekking pole", becher: "mug", gutschein: "gift card", hulle: "case",
  // Spanish
  chaqueta: "jacket", cazadora: "jacket", chubasquero: "rain jacket", abrigo: "parka", plumifero: "puffer", chaleco: "vest", sudadera: "hoodie",
  pantalone: "pant", pantaloncito: "short", camisa: "shirt", camiseta: "tee", calcetin: "sock",
  calcetine: "sock", calcetines: "sock", gorro: "beanie", gorra: "cap", sombrero: "hat", guante: "glove", polaina: "gaiter", zapato: "shoe",
  zapatilla: "shoe", bota: "boot", campana: "tent", carpa: "tent", dormir: "sleeping", mochila: "pack", bolsa: "bag", saco: "bag", esterilla: "pad",
  colchoneta: "pad", almohada: "pillow", silla: "chair", hamaca: "hammock", hornillo: "stove", olla: "pot", cartucho: "canister",
  botella: "bottle", cantimplora: "bottle", filtro: "filter", cafetera: "press", linterna: "headlamp", baston: "pole", bastone: "pole",
  botiquin: "kit", taza: "mug", tarjeta: "card", regalo: "gift", comida: "meal", funda: "case",
};

/** Last parts of German compounds, longest first: "Softshelljacke" → "jacke". */
const COMPOUND_TAILS = Object.keys(PRODUCT_NOUNS)
  .filter((key) => key.length >= 4 && /^[a-z]+$/.test(key))
  .sort((a, b) => b.length - a.length);

/** English catalogue words for a folded message word in another language; [] when it is not a known product noun. */
export function translateProductWord(token: string): string[] {
  const direct = PRODUCT_NOUNS[token] ?? PRODUCT_NOUNS[foldedStem(token)];
  if (direct) return direct.split(" ");
  if (token.length >= 8) {
    const tail = COMPOUND_TAILS.find((key) => token.endsWith(key) && token.length - key.length >= 3);
    if (tail) return PRODUCT_NOUNS[tail]!.split(" ");
  }
  return [];
}

export const COLOURS = new Set(
  words(`
    red blue green black white grey gray navy yellow orange pink purple brown beige olive tan khaki teal maroon charcoal cream
    forest rust sand stone slate sky sage coral burgundy mint lime ochre indigo turquoise lavender silver gold camo heather
    rouge bleu bleue vert verte noir noire blanc blanche gri grise jaune rose violet marron kaki
    rot rote blau blaue grun grune schwarz schwarze wei weiss weisse gelb braun lila grau oliv oliva marine
    rojo roja azul verde negro negra blanco blanca amarillo amarilla morado morada marron gris
  `),
);

/** Colour names in French, German and Spanish → the English name catalogues use for options. */
const COLOUR_NAMES: Record<string, string> = {
  rouge: "red", rojo: "red", roja: "red", rot: "red", rote: "red",
  bleu: "blue", bleue: "blue", azul: "blue", blau: "blue", blaue: "blue",
  vert: "green", verte: "green", verde: "green", grun: "green", grune: "green",
  noir: "black", noire: "black", negro: "black", negra: "black", schwarz: "black", schwarze: "black",
  blanc: "white", blanche: "white", blanco: "white", blanca: "white", weiss: "white", weisse: "white",
  gris: "grey", grise: "grey", grau: "grey", gray: "grey",
  jaune: "yellow", amarillo: "yellow", amarilla: "yellow", gelb: "yellow",
  rose: "pink", rosa: "pink", violet: "purple", morado: "purple", morada: "purple", lila: "purple",
  marron: "brown", braun: "brown", kaki: "khaki", oliva: "olive", oliv: "olive", marine: "navy",
};

/** The English name of a colour word ("Noir" → "black"), or the folded word itself. */
export function colourName(word: string): string {
  const folded = fold(word);
  return COLOUR_NAMES[folded] ?? folded;
}

/** Whether a word (any case, singular or plural) names a colour. */
export function isColour(word: string): boolean {
  return COLOURS.has(foldedStem(fold(word)));
}

export const SIZE_WORDS = new Set(words("xxs xs xl xxl xxxl 2xl 3xl small medium large petit petite moyen grand grande klein mittel gross pequeno pequena mediano mediana"));

/**
 * Words in a product request that say nothing about which product: articles, pronouns, quantities, people,
 * everyday adjectives. A request made only of these ("do you have it in blue?") names no product.
 */
export const GENERIC_WORDS = new Set([
  ...words(`
    a an the this that these those it them one ones some any anything something other another more new old same similar cheap cheaper
    cheapest good best better nice great cool different real genuine original proper decent affordable expensive quality kind type sort
    version model style item product thing stuff pair set your you my our their his her here there also still too please pls
    kid child children baby toddler boy girl men man woman women lady ladies unisex adult husband wife son daughter friend partner mom
    dad mum mother father boyfriend girlfriend family
    le la les un une de des du d l ce cet cette ces votre vos mon ma mes autre autres nouveau nouvelle moins cher chere bon bonne
    meilleur meilleure pour enfant bebe homme femme garcon fille mari ici aussi encore quelque quelques chose
    der die das den dem des ein eine einen einem einer diese dieser diesen dieses ihr ihre euer eure mein meine andere anderen neu neue neuen
    gunstig gunstige gute guten fur kind kinder baby herren damen mann frau sohn tochter auch noch etwas so
    el los las uno una unos unas este esta estos estas ese esa su sus mi mis otro otra otros otras nuevo nueva barato barata bueno buena
    mejor para nino nina ninos hombre mujer mujeres hijo hija algo tambien aqui alguna alguno algun
  `),
  ...COLOURS,
  ...SIZE_WORDS,
]);

/**
 * Things a shop offers that are not products: "do you have free shipping?", "do you offer gift wrapping?". A
 * request naming one of these is a service question, not a product the shop may or may not sell.
 */
export const SERVICE_WORDS = new Set(
  words(`
    shipping delivery ship express return returns refund exchange warranty guarantee discount code coupon promo promotion sale sales deal
    offer voucher fee fees price prices cost payment pay paypal klarna afterpay apple google installment financing invoice receipt
    order orders account login password newsletter loyalty point reward membership subscription student military store shop outlet
    showroom location address phone number email mail contact chat agent person human staff team hour hours office app website site
    catalog catalogue size chart guide stock inventory restock wrapping wrap gift-wrap tracking track question problem issue help
    information info option options sizes color colors colour colours policy policies international internationally abroad worldwide
    livraison retour remboursement echange garantie reduction remise soldes frais paiement commande compte magasin boutique adresse
    numero telephone horaire aide taille tailles couleur couleurs emballage
    versand lieferung ruckgabe ruckerstattung umtausch garantie rabatt gutscheincode gebuhr zahlung bestellung konto laden geschaft
    adresse nummer telefon hilfe grosse grossen farbe farben verpackung
    envio entrega devolucion reembolso cambio garantia descuento cupon rebaja gastos pago pedido cuenta tienda direccion numero telefono
    horario ayuda talla tallas colores envoltorio
  `),
);

/**
 * Common product features: the English word descriptions use, the words shoppers use for it in English,
 * French, German and Spanish, and how a reply names it in each language.
 */
const FEATURES: { en: string; words: string; label: Record<"en" | "fr" | "de" | "es", string> }[] = [
  { en: "pocket", words: "poche poches tasche taschen bolsillo bolsillos", label: { en: "pockets", fr: "poches", de: "Taschen", es: "bolsillos" } },
  { en: "hood", words: "capuche kapuze capucha", label: { en: "the hood", fr: "capuche", de: "Kapuze", es: "capucha" } },
  { en: "zip", words: "zipper fermeture reissverschluss cremallera", label: { en: "zips", fr: "fermetures", de: "Reißverschlüsse", es: "cremalleras" } },
  { en: "strap", words: "sangle sangles gurt gurte correa correas", label: { en: "straps", fr: "sangles", de: "Gurte", es: "correas" } },
  { en: "lining", words: "doublure futter forro", label: { en: "the lining", fr: "doublure", de: "Futter", es: "forro" } },
  { en: "sleeve", words: "manche manches armel manga mangas", label: { en: "sleeves", fr: "manches", de: "Ärmel", es: "mangas" } },
  { en: "sole", words: "semelle sohle suela outsole", label: { en: "the sole", fr: "semelle", de: "Sohle", es: "suela" } },
  { en: "odor", words: "odour smell smells stink odeur odeurs sentir geruch riechen stinken olor olores oler", label: { en: "odour", fr: "odeurs", de: "Geruch", es: "olor" } },
  { en: "pack", words: "packs packable range ranger rangement verstauen verstaut packen guardar guarda plegable", label: { en: "packing", fr: "rangement", de: "Verstauen", es: "guardado" } },
  { en: "own", words: "propre eigene eigenen eigenes propio propia", label: { en: "", fr: "", de: "", es: "" } },
  { en: "day", words: "jour jours tag tage tagen dia dias", label: { en: "", fr: "", de: "", es: "" } },
  { en: "hiking", words: "randonnee wandern wanderung senderismo", label: { en: "hiking", fr: "randonnée", de: "Wandern", es: "senderismo" } },
  { en: "running", words: "course laufen joggen correr", label: { en: "running", fr: "course", de: "Laufen", es: "correr" } },
  { en: "snow", words: "neige schnee nieve", label: { en: "snow", fr: "neige", de: "Schnee", es: "nieve" } },
  { en: "sun", words: "soleil sonne sol", label: { en: "sun", fr: "soleil", de: "Sonne", es: "sol" } },
  { en: "recycled", words: "recycle recyclee recycelt reciclado reciclada", label: { en: "recycled materials", fr: "matières recyclées", de: "Recyclingmaterial", es: "materiales reciclados" } },
  { en: "organic", words: "bio organico organica", label: { en: "organic materials", fr: "bio", de: "Bio", es: "orgánico" } },
  { en: "wash", words: "laver lavable waschen wasche lavar", label: { en: "washing", fr: "lavage", de: "Waschen", es: "lavado" } },
  { en: "dishwasher", words: "lave-vaisselle vaisselle spulmaschine spulmaschinenfest lavavajillas", label: { en: "the dishwasher", fr: "lave-vaisselle", de: "Spülmaschine", es: "lavavajillas" } },
];

export const FEATURE_WORDS = new Map<string, string>(FEATURES.flatMap((feature) => feature.words.split(" ").map((word) => [word, feature.en] as [string, string])));
export const FEATURE_LABELS = new Map(FEATURES.map((feature) => [feature.en, feature.label]));

/** English words for the same features, as shoppers write them ("does it have pockets?"). */
const ENGLISH_FEATURE_WORDS = new Set(
  "pocket pockets hood hoods zip zips zipper zippers strap straps lining sleeve sleeves sole soles odor odour smell smells stink pack packs packable".split(" "),
);

/** Whether a folded word names a product feature a description may mention, in any of the four languages. */
export function isFeatureWord(word: string): boolean {
  if (ENGLISH_FEATURE_WORDS.has(word)) return true;
  const feature = FEATURE_WORDS.get(word);
  return feature !== undefined && FEATURE_LABELS.get(feature)?.en !== "";
}

