import { fold } from "./lexicon";

/**
 * Materials and care instructions read from description sentences and named in the shopper's language, so a
 * French, German or Spanish answer states the fact in that language ("Pflege: Waschen bei 30 °C, ohne
 * Weichspüler") before quoting the merchant's own (often English) sentence. Only what a pattern recognises
 * is restated; everything else stays in the quote.
 */

type Language = "en" | "fr" | "de" | "es";
type Names = Record<Exclude<Language, "en">, string>;

/** Longest first: "recycled polyester" is read before "polyester", "merino wool" before "wool". */
const MATERIALS: [RegExp, Names][] = [
  [/merino(?:-blend)? wool|merino(?:-blend)?/, { fr: "laine mérinos", de: "Merinowolle", es: "lana merino" }],
  [/organic[- ]cotton/, { fr: "coton bio", de: "Bio-Baumwolle", es: "algodón orgánico" }],
  [/recycled polyester/, { fr: "polyester recyclé", de: "recyceltes Polyester", es: "poliéster reciclado" }],
  [/recycled nylon/, { fr: "nylon recyclé", de: "recyceltes Nylon", es: "nailon reciclado" }],
  [/nubuck(?: leather)?/, { fr: "cuir nubuck", de: "Nubukleder", es: "piel nobuk (cuero)" }],
  [/stainless steel|18\/8 (?:stainless )?steel/, { fr: "acier inoxydable", de: "Edelstahl", es: "acero inoxidable" }],
  [/(?:duck|goose) down|\d+-fill(?:-power)?(?: \w+){0,3} down|down insulation/, { fr: "duvet", de: "Daunen", es: "plumón" }],
  [/synthetic(?:-insulated| insulation| fill)/, { fr: "isolation synthétique", de: "synthetische Isolierung", es: "aislamiento sintético" }],
  [/gore-tex/, { fr: "Gore-Tex", de: "Gore-Tex", es: "Gore-Tex" }],
  [/wool/, { fr: "laine", de: "Wolle", es: "lana" }],
  [/cotton/, { fr: "coton", de: "Baumwolle", es: "algodón" }],
  [/polyester/, { fr: "polyester", de: "Polyester", es: "poliéster" }],
  [/nylon/, { fr: "nylon", de: "Nylon", es: "nailon" }],
  [/leather/, { fr: "cuir", de: "Leder", es: "cuero" }],
  [/fleece/, { fr: "polaire", de: "Fleece", es: "forro polar" }],
  [/titanium/, { fr: "titane", de: "Titan", es: "titanio" }],
  [/alumin(?:i)?um/, { fr: "aluminium", de: "Aluminium", es: "aluminio" }],
  [/steel/, { fr: "acier", de: "Stahl", es: "acero" }],
  [/carbon/, { fr: "carbone", de: "Carbon", es: "carbono" }],
  [/cork/, { fr: "liège", de: "Kork", es: "corcho" }],
  [/rubber/, { fr: "caoutchouc", de: "Gummi", es: "goma" }],
  [/enamel/, { fr: "émail", de: "Emaille", es: "esmalte" }],
  [/silicone/, { fr: "silicone", de: "Silikon", es: "silicona" }],
  [/membrane/, { fr: "membrane", de: "Membran", es: "membrana" }],
];

/** Care instructions; `{1}` is the pattern's first group (a temperature). Negated and longer forms come first. */
const CARE: [RegExp, Names][] = [
  [/wool cycle at (\d+) ?°c/, { fr: "programme laine à {1} °C", de: "Wollwaschgang bei {1} °C", es: "programa de lana a {1} °C" }],
  [/machine[- ]wash(?:able)?(?: at)? (\d+) ?°c/, { fr: "lavage en machine à {1} °C", de: "Maschinenwäsche bei {1} °C", es: "lavado a máquina a {1} °C" }],
  [/(?:wash|cycle) at (\d+) ?°c/, { fr: "lavage à {1} °C", de: "Waschen bei {1} °C", es: "lavado a {1} °C" }],
  [/machine[- ]wash(?:able)? cold/, { fr: "lavage en machine à froid", de: "Maschinenwäsche kalt", es: "lavado a máquina en frío" }],
  [/wash cold/, { fr: "lavage à froid", de: "kalt waschen", es: "lavado en frío" }],
  [/wool cycle/, { fr: "programme laine", de: "Wollwaschgang", es: "programa de lana" }],
  [/hand[- ]wash/, { fr: "lavage à la main", de: "Handwäsche", es: "lavado a mano" }],
  [/(?:never|do not|don't|no) tumble[- ]dr(?:y|ied)/, { fr: "pas de sèche-linge", de: "nicht in den Trockner", es: "no usar secadora" }],
  [/tumble[- ]dr(?:y|ied) (?:on )?low/, { fr: "sèche-linge à basse température", de: "Trockner bei niedriger Temperatur", es: "secadora a baja temperatura" }],
  [/(?:without|no) fabric softener/, { fr: "sans adoucissant", de: "ohne Weichspüler", es: "sin suavizante" }],
  [/down detergent/, { fr: "lessive spéciale duvet", de: "Daunenwaschmittel", es: "detergente para plumas" }],
  [/tennis balls/, { fr: "avec des balles de tennis", de: "mit Tennisbällen", es: "con pelotas de tenis" }],
  [/dry flat/, { fr: "séchage à plat", de: "liegend trocknen", es: "secar en plano" }],
  [/not dishwasher[- ]safe/, { fr: "ne va pas au lave-vaisselle", de: "nicht spülmaschinenfest", es: "no apto para lavavajillas" }],
  [/dishwasher[- ]safe/, { fr: "va au lave-vaisselle", de: "spülmaschinenfest", es: "apto para lavavajillas" }],
  [/brush off/, { fr: "brosser", de: "abbürsten", es: "cepillar" }],
  [/lukewarm water/, { fr: "eau tiède", de: "lauwarmes Wasser", es: "agua tibia" }],
  [/never on a heater|away from (?:direct )?heat/, { fr: "jamais sur un radiateur", de: "nie auf der Heizung", es: "nunca sobre un radiador" }],
  [/shoe wax|wax/, { fr: "cire pour chaussures", de: "Schuhwachs", es: "cera para calzado" }],
  [/pre-washed/, { fr: "prélavé", de: "vorgewaschen", es: "prelavado" }],
  [/shrink up to (\d+) ?%/, { fr: "peut rétrécir jusqu'à {1} %", de: "kann bis zu {1} % einlaufen", es: "puede encoger hasta un {1} %" }],
  [/shrink/, { fr: "peut rétrécir", de: "kann einlaufen", es: "puede encoger" }],
];

const LABELS: Record<"material" | "care", Names> = {
  material: { fr: "Matière : ", de: "Material: ", es: "Material: " },
  care: { fr: "Entretien : ", de: "Pflege: ", es: "Cuidado: " },
};

function read(sentences: string[], table: [RegExp, Names][], language: Exclude<Language, "en">, percent: boolean): string[] {
  const found: string[] = [];
  for (const sentence of sentences) {
    let rest = fold(sentence);
    const hits: { at: number; text: string }[] = [];
    for (const [pattern, names] of table) {
      const match = new RegExp(percent ? String.raw`(?:(\d+) ?% )?(?:${pattern.source})` : pattern.source).exec(rest);
      if (!match) continue;
      const name = percent ? names[language] : names[language].replace("{1}", match[1] ?? "");
      hits.push({ at: match.index, text: percent && match[1] ? `${match[1]} % ${name}` : name });
      // What a pattern read is blanked: "dishwasher safe" inside "not dishwasher safe" is not read again.
      rest = rest.slice(0, match.index) + " ".repeat(match[0].length) + rest.slice(match.index + match[0].length);
    }
    found.push(...hits.sort((a, b) => a.at - b.at).map((hit) => hit.text));
  }
  return [...new Set(found)];
}

/**
 * "Material: recyceltes Polyester." / "Entretien : lavage à 30 °C, sans adoucissant." for the facts the
 * sentences state, or "" in English (the quote says it) and when nothing is recognised.
 */
export function localizedFacts(kind: "material" | "care", sentences: string[], language: string): string {
  if (language !== "fr" && language !== "de" && language !== "es") return "";
  const facts = read(sentences, kind === "material" ? MATERIALS : CARE, language, kind === "material");
  if (facts.length === 0) return "";
  const text = facts.join(", ");
  return `${LABELS[kind][language]}${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
