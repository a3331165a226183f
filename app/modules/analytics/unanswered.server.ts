import { contentTerms, expandQuery, termWeight } from "~/modules/knowledge";
import type { UnansweredQuestion } from "./summary";

/**
 * Unanswered questions grouped by similar wording, so "do you ship to Iceland?" and "shipping to iceland??" are one
 * gap in the help center. A question is its content terms (the knowledge module's stemming and stop words, French,
 * German and Spanish read through its English lexicon), weighted by how telling each term is; it joins the group
 * whose terms it shares most (weighted cosine ≥ SIMILAR), else starts one. Offline and deterministic.
 */

const SIMILAR = 0.5;
/** The newest questions read; older ones are not what the help center misses now. */
const MAX_QUESTIONS = 600;
const EXAMPLES = 5;
const CONVERSATIONS = 50;

export interface UnansweredGroup {
  /** The group's most typical question (the first one asked of its most common wording). */
  question: string;
  language: string;
  count: number;
  /** Up to five different wordings, newest first. */
  examples: string[];
  /** The conversations they were asked in (up to 50), newest first. */
  conversationIds: string[];
  /** ISO time of the newest question. */
  lastAskedAt: string;
}

type Vector = Map<string, number>;

// Questions repeat (across groups, days and page loads): their vectors are kept, a bounded number.
const vectors = new Map<string, Vector>();
const MAX_VECTORS = 20_000;

function vectorOf(question: UnansweredQuestion): Vector {
  const key = `${question.language}:${question.text}`;
  const known = vectors.get(key);
  if (known) return known;
  const english = question.language === "en" ? question.text : expandQuery(question.text, question.language).englishText;
  const vector: Vector = new Map();
  for (const term of contentTerms(english)) vector.set(term, (vector.get(term) ?? 0) + termWeight(term));
  if (vectors.size >= MAX_VECTORS) vectors.clear();
  vectors.set(key, vector);
  return vector;
}

function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (const [term, weight] of a) {
    normA += weight * weight;
    const other = b.get(term);
    if (other) dot += weight * other;
  }
  for (const weight of b.values()) normB += weight * weight;
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

const normalised = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

/** Groups the questions (any order given; newest are read first), largest group first, at most `limit`. */
export function groupUnansweredQuestions(questions: UnansweredQuestion[], limit = 10): UnansweredGroup[] {
  const newest = [...questions].sort((a, b) => b.at.localeCompare(a.at)).slice(0, MAX_QUESTIONS);
  const groups: { centroid: Vector; members: UnansweredQuestion[] }[] = [];
  for (const question of newest) {
    const vector = vectorOf(question);
    let best: (typeof groups)[number] | undefined;
    let bestScore = SIMILAR;
    for (const group of groups) {
      const score = vector.size > 0 ? cosine(vector, group.centroid) : normalised(question.text) === normalised(group.members[0]!.text) ? 1 : 0;
      if (score >= bestScore) {
        best = group;
        bestScore = score;
      }
    }
    if (best) {
      best.members.push(question);
      for (const [term, weight] of vector) best.centroid.set(term, (best.centroid.get(term) ?? 0) + weight);
    } else groups.push({ centroid: new Map(vector), members: [question] });
  }
  return groups
    .map(({ members }) => {
      const wordings = new Map<string, { text: string; count: number; language: string }>();
      for (const member of members) {
        const key = normalised(member.text);
        const seen = wordings.get(key);
        if (seen) seen.count++;
        else wordings.set(key, { text: member.text.trim(), count: 1, language: member.language });
      }
      const typical = [...wordings.values()].sort((a, b) => b.count - a.count)[0]!;
      return {
        question: typical.text,
        language: typical.language,
        count: members.length,
        examples: [...wordings.values()].slice(0, EXAMPLES).map((wording) => wording.text),
        conversationIds: [...new Set(members.map((member) => member.conversationId))].slice(0, CONVERSATIONS),
        lastAskedAt: members[0]!.at,
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt.localeCompare(a.lastAskedAt))
    .slice(0, limit);
}
