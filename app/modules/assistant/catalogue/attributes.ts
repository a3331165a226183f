import { fold, isFeatureWord } from "./lexicon";

/**
 * Which attribute of a product a shopper asks about ("is it waterproof?", "ça taille grand ?", "¿de qué
 * está hecho?"), and which sentences of a product description speak about it. Patterns are written on folded
 * text (lower case, no accents, ß → ss) in English, French, German and Spanish.
 */

export const PRODUCT_ATTRIBUTES = [
  "price",
  "stock",
  "sizes",
  "colours",
  "material",
  "waterproof",
  "fit",
  "care",
  "dimensions",
  "weight",
  "warmth",
  "warranty",
  "returnable",
  /** Something else the description may mention: pockets, a hood, odour ("does it have pockets?", "riecht es?"). */
  "feature",
] as const;
export type ProductAttribute = (typeof PRODUCT_ATTRIBUTES)[number];
/** The attributes a description answers (the others come from the variants, or are any feature). */
export type DescribedAttribute = Exclude<ProductAttribute, "price" | "stock" | "sizes" | "feature">;

const SIZE_LABEL = String.raw`(?:xxs|xs|s|m|l|xl|xxl|xxxl|2xl|3xl|\d{1,2}(?:[.,]5)?)`;
const COLOUR_NAMES = "(?:red|blue|green|black|white|grey|gray|navy|yellow|orange|pink|purple|brown|beige|olive|khaki|rouge|bleu|bleue|vert|verte|noir|noire|blanc|blanche|gris|grise|jaune|rose|violet|marron|kaki|rot|blau|grun|schwarz|weiss|gelb|braun|lila|grau|rojo|roja|azul|verde|negro|negra|blanco|blanca|amarillo|morado)";

/**
 * Checked in this order: the first that matches wins, so "how much does it weigh" is weight (not price) and
 * "wie groß ist" is dimensions (not the size "Größe").
 */
const QUESTION_PATTERNS: [ProductAttribute, RegExp][] = [
  [
    "weight",
    /\b(how heavy|weighs?|weight|poids|pese|pesent|lourde?s?|legere?s?|gewicht|wiegt|wiegen|wie schwer|peso|pesa|pesan|pesados?|ligeros?|liviano)\b/,
  ],
  [
    "dimensions",
    /\b(dimensions?|how (?:big|large|tall|wide|deep)|how long is|measurements?|capacity|volume|how many (?:liters|litres|people)|packed size|inseam|peak height|hauteur|longueur|largeur|mesures?|capacite|combien de (?:litres|personnes)|taille (?:du|de la) (?:sac|tente)|abmessungen|masse|wie gross|wie hoch|wie breit|wie lang ist|fassungsvermogen|volumen|packmass|dimensiones|medidas|cuanto mide|que tan grande|capacidad|cuantos litros|altura|largo)\b/,
  ],
  [
    "waterproof",
    /\b(waterproof|water ?proof|water[- ]?resistant|water[- ]?repellent|rain ?proof|keep (?:me |you |my feet )?dry|in (?:the |heavy )?rain|for rain|wet weather|impermeables?|etanches?|deperlante?s?|sous la pluie|contre la pluie|wasserdicht|wasserfest|wasserabweisend|regendicht|bei regen|im regen|resistente al agua|bajo la lluvia|para la lluvia|se moja)\b/,
  ],
  [
    "care",
    /\b(wash|washing|washable|machine[- ]wash(?:able)?|hand[- ]wash|dry[- ]clean|tumble|dryer|iron(?:ing)?|bleach|clean (?:it|them)|how (?:do i|to|should i) (?:clean|care)|care (?:instructions|label|guide)|dishwasher|laver|lavage|lavable|lave-linge|machine a laver|seche-linge|repasser|nettoyer|entretien|lave-vaisselle|wasch\w*|weichspuler|fabric softener|adoucissant|suavizante|trockner|bugeln|reinigen|pflege|spulmaschine\w*|lavar|lavado|lavables?|lavadora|secadora|planchar|limpiar|lavavajillas)\b/,
  ],
  [
    "material",
    /\b(made (?:of|from|out of|with)|what (?:is it|are they|is this|are these) made|materials?|fabrics?|(?:is|are) (?:it|they|this|these) (?:made of |real |100% )?(?:cotton|wool|merino|polyester|nylon|leather|down|synthetic|plastic|titanium|aluminium|aluminum|steel|carbon|linen|silk|vegan|bpa[- ]free)|matieres?|tissu|en quoi|compos[ee]e?s?|composition|fait en|en (?:coton|laine|cuir|duvet|polyester)|woraus|aus was|stoff|hergestellt|aus (?:baumwolle|wolle|leder|daunen|polyester)|de que (?:esta|estan) hech[oa]s?|hech[oa]s? de|tela|composicion|de (?:algodon|lana|cuero|piel|plumon|poliester))\b/,
  ],
  [
    "warmth",
    /\b(how warm|warm(?:er|est)?|warmth|temperature|comfort rating|r-value|cold (?:weather|nights?)|for winter|in winter|chaude?s?|chaleur|grand froid|en hiver|pour l'hiver|warm genug|wie warm|warme|kalte|im winter|fur den winter|temperatur|abriga|abrigad[oa]|calid[oa]|fri[oa]s?|invierno|temperatura|keeps? (?:drinks? |water |it )?(?:cold|hot)|mantiene)\b/,
  ],
  ["warranty", /\b(warranty|guarantee[ed]?|garantie|gewahrleistung|garantia)\b/],
  [
    "returnable",
    /\b(returnable|non-returnable|be returned|final sale|retournables?|peut-on (?:le |la |les )?retourner|zuruckgegeben werden|umtauschbar|se (?:puede|pueden) devolver|devolvible)\b/,
  ],
  [
    "fit",
    /\b(true to size|runs? (?:small|large|big|narrow|wide|short|long)|fits?|fitting|sizing|size (?:up|down)|half[- ]size|between sizes|(?:what|which) size (?:should|do|would|to|for)|size (?:chart|guide)|taille (?:t-il |-t-il )?(?:grand|petit|normalement)|taillent|taille-t-(?:il|elle)|coupe|quelle taille (?:prendre|choisir|me conseill)|guide des tailles|fallt|fallen|passform|sitzt|schnitt|welche grosse (?:soll|sollte|nehme|brauche)|grossentabelle|horma|calce|como (?:me )?queda|queda (?:grande|pequen[oa]|chic[oa]|bien|justo|holgad[oa])|talla (?:es |viene )?(?:grande|pequena|normal)|que talla (?:debo|me|elijo|pido)|guia de tallas)\b/,
  ],
  [
    "colours",
    new RegExp(
      String.raw`\b(colou?rs?|colorways?|couleurs?|farben?|colores|(?:in|en|auf|de|come in|available in) (?:the |a |an |le |la |el )?(?:colou?r |couleur |farbe |color )?${COLOUR_NAMES})\b`,
    ),
  ],
  [
    "sizes",
    new RegExp(
      String.raw`\b(sizes|(?:what|which) size|size ${SIZE_LABEL}|in (?:a |an )?(?:size )?(?:${SIZE_LABEL}|small|medium|large|x-large|extra large|extra small)|tailles|(?:quelle )?taille ${SIZE_LABEL}|en ${SIZE_LABEL}|grossen|grosse ${SIZE_LABEL}|welche grosse|in grosse|tallas|(?:que )?talla ${SIZE_LABEL}|que talla)\b`,
    ),
  ],
  [
    "stock",
    /\b(in stock|out of stock|sold out|available|availability|back in stock|restock\w*|any left|en stock|disponibles?|disponibilite|epuisee?s?|rupture|auf lager|lieferbar|verfugbar|ausverkauft|vorratig|wieder da|agotad[oa]s?|hay stock|en existencia|quedan)\b/,
  ],
  [
    "price",
    /\b(how much|price[ds]?|cost(?:s|ing)?|expensive|combien|prix|coute(?:nt)?|tarif|wie ?viel|kostet|kosten|preis|teuer|cuanto (?:cuesta|cuestan|vale|valen|es)|precio|cuesta|cuestan)\b/,
  ],
];

export interface AttributeOptions {
  /** Words to disregard, typically the product's own title ("Carbon Trekking Poles" is not a material question). */
  ignore?: string[];
}

/**
 * The attribute a message asks about, or undefined. Cheap (a few regexes on ≤ 500 characters): meant to run
 * every turn so that "is it waterproof?" can go to the product under discussion.
 */
export function productAttributeAsked(text: string, options: AttributeOptions = {}): ProductAttribute | undefined {
  const input = typeof text === "string" ? text.slice(0, 500) : "";
  let folded = ` ${fold(input)} `;
  for (const word of options.ignore ?? []) {
    const w = fold(word).replace(/[^\p{L}\p{N}]/gu, "");
    if (w.length > 1) folded = folded.replace(new RegExp(`(?<![\\p{L}\\p{N}])${w}s?(?![\\p{L}\\p{N}])`, "gu"), " ");
  }
  // "How much is shipping?", "Wie lange kann ich Artikel zurückgeben?": about the shop's services, not a product.
  if (SERVICE_TOPIC.test(folded)) return undefined;
  for (const [attribute, pattern] of QUESTION_PATTERNS) if (pattern.test(folded)) return attribute;
  // A question about a feature ("does it have pockets?", "se range-t-elle dans sa poche ?"), not a problem with one.
  const question = fold(input).replace(/[¿¡]/g, "").trim();
  const asks = YES_NO_START.test(question) || GERMAN_VERB_FIRST.test(question) || /^(?:\W*)(?:est-ce|y a-t-il)\b/.test(question);
  if (asks && !PROBLEM.test(folded) && folded.split(/[^\p{L}-]+/u).some(isFeatureWord)) return "feature";
  return undefined;
}

const SERVICE_TOPIC =
  /\b(?:shipping|delivery|deliver|ship|postage|customs|duties|refunds?|refunded|exchange|cancel\w*|return (?:policy|window|label|fee)|policy|full-price|sale items?|order|orders|checkout|discount|coupon|livraison|livrez|expedition|frais de port|rembours\w*|commande|annul\w*|douane|versand|lieferung|liefern|zoll|ruckerstattung|erstattung|rucksendung|bestellung|storn\w*|artikel|envio|entrega|aduana|reembols\w*|pedido|cancel\w*|devolucion)\b/;

/** "Fängt es an zu riechen?", "Hat sie Taschen?": a German yes/no question starts with its verb. */
const GERMAN_VERB_FIRST = /^\p{L}+ (?:es|sie|er|man|die|der|das)\b/u;
const PROBLEM = /\b(?:broke|broken|torn|ripped|damaged|defect\w*|faulty|return\w*|refund\w*|exchange|casse\w*|dechire\w*|abime\w*|retour\w*|rembours\w*|kaputt|defekt|gerissen|ruckgabe|umtausch\w*|roto|rota|rasgad[oa]|devol\w*|reembols\w*)\b/;

const WH_WORDS =
  /^(?:\W*)(?:what|which|how|where|when|why|who|que|quel|quelle|quels|quelles|comment|combien|ou|pourquoi|qu'est-ce|was|welche[rsnm]?|wie|wo|wann|warum|woraus|que|cual|cuales|como|cuanto|cuanta|cuantos|cuantas|donde|cuando|por que)\b/;
const YES_NO_START =
  /^(?:\W*)(?:(?:and|but|so|also|ok|hi|hey|hello)\W+)?(?:is|are|does|do|did|can|could|will|would|has|have|should|est-ce|est-il|est-elle|sont-ils|sont-elles|peut-on|puis-je|a-t-il|a-t-elle|y a-t-il|ist|sind|hat|haben|kann|kannst|konnen|passt|lasst|gibt|es|son|tiene|tienen|se puede|puedo|esta|estan|lleva|viene|vienen)\b/;

/** "Is it waterproof?", "Est-ce que ça se lave en machine ?", "¿Es impermeable?": a question a yes or a no answers. */
export function isYesNoQuestion(text: string): boolean {
  const folded = fold(typeof text === "string" ? text.slice(0, 500) : "")
    .replace(/[¿¡]/g, "")
    .trim();
  if (WH_WORDS.test(folded)) return false;
  return YES_NO_START.test(folded) || /\?\s*$/.test(folded) || /-(?:il|elle|ils|elles|on)\b/.test(folded);
}

/**
 * Description cues: a sentence speaks about the attribute when it matches. Weighted: a sentence with more
 * (and stronger) cues answers better.
 */
export const DESCRIPTION_CUES: Record<DescribedAttribute, RegExp[]> = {
  material: [
    /\bmade (?:with|from|of|in)\b|\bmaterials?\b|\bfabric\b|\bmatiere\b|\btissu\b|\bstoff\b|\btela\b|\bhecho de\b|\bfait en\b/,
    /\b(?:merino|wool|cotton|polyester|nylon|polyamide|elastane|spandex|lycra|leather|suede|fleece|titanium|alumin(?:i)?um|stainless|steel|carbon|cork|rubber|enamel|silicone|canvas|linen|silk|bamboo|hemp|gore-tex|coton|laine|cuir|lin|soie|baumwolle|wolle|leder|daunen|seide|algodon|lana|cuero|seda|poliester)\b/,
    /\b(?:\d+-fill(?:-power)?(?:\s+\w+){0,3}\s+down|(?:goose|duck|sourced) down|down (?:fill|insulat\w*)|synthetic(?:-insulated| insulation| fill)?|recycled|organic|bpa-free|hollow-fiber|foam|membrane|insulated with)\b/,
  ],
  waterproof: [
    /\b(?:waterproof|imperm[eé]able|impermeable|etanche|wasserdicht)\b/,
    /\b(?:water-?resistant|water[- ]repellent|dwr|sheds|deperlant|wasserabweisend|resistente al agua|taped seams|membrane|rain (?:cover|fly)|stays warm when damp)\b/,
  ],
  fit: [
    /\b(?:regular|trim|relaxed|slim|athletic|loose|classic|standard|tailored|women's-specific|women's|men's|narrow) (?:fit|cut|last)\b|\bfits? (?:true|up to|over|under|snug|loose|slim)\b|\btrue to size\b|\bruns? (?:small|large|big|slightly|narrow|wide|short|long)/,
    /\b(?:size (?:up|down|chart|guide)|sizes? down|half size|between sizes|sizing|one size|order .{0,20} sizes? (?:up|down)|torsos?|inseam|coupe|taille (?:grand|petit|normalement)|passform|schnitt|fallt|horma|corte)\b|\bfit\b/,
  ],
  care: [
    /\b(?:machine[- ]wash\w*|hand[- ]wash\w*|wash\w*|pre-washed|tumble[- ]dr\w*|dry[- ]clean\w*|dryer|iron\w*|bleach|dishwasher|care (?:label|instructions)|shrink|laver|lavable|lavage|waschen|waschbar|pflege|lavar|lavable|lavado)\b/,
    /\b(?:clean\w*|rinse|air[- ]dry|spot[- ]clean)\b/,
  ],
  dimensions: [
    /\b\d+(?:[.,]\d+)?\s?(?:-\s?)?(?:cm|mm|m|in|inch|inches|ft|feet|foot|liters?|litres?|l|ml)\b|\b\d+ ?(?:x|×) ?\d+/,
    /\b(?:height|length|width|depth|peak|tall|long|wide|inseam|torso|capacity|volume|fits up to|hauteur|longueur|largeur|hohe|lange|breite|altura|largo|ancho|\d+-person|\d+-liter|\d+-inch|seven-inch|four-inch|three-inch|knee-high|hip-length|thigh-length|mid-height)\b/,
  ],
  weight: [/\b\d+(?:[.,]\d+)?\s?(?:oz|ounces?|lb|lbs|pounds?|g|kg|grams?)\b|\bweighs?\b|\bweight\b|\bpoids\b|\bgewicht\b|\bpeso\b/, /\b(?:lightweight|featherweight|ultralight|heavyweight|midweight|packable|holds up to)\b/],
  warmth: [
    /\b(?:warm\w*|insulat\w*|\d+-fill|°[fc]|comfort rating|lower limit|r-value|winter|cold|thermal|fleece-lined|chaud|isol\w*|wärm\w*|warme|calid\w*|abrig\w*|aislad\w*)\b/,
    /\b(?:three-season|four-season|cool|breathes|breathable|temperature)\b/,
  ],
  warranty: [/\b(?:warrant\w*|guarantee\w*|garantie|gewahrleistung|garantia)\b/],
  returnable: [/\b(?:return\w*|unopened|made to order|final sale|retour\w*|ruckgabe|devoluci\w*|devolver)\b/],
  colours: [
    new RegExp(String.raw`\b(?:colou?rs?|colorways?|couleurs?|farben?|colores|${COLOUR_NAMES.slice(3, -1)})\b`),
  ],
};
