/** Every embedding in the database has this many dimensions (OpenAI text-embedding-3-small's size). */
export const EMBEDDING_DIMENSIONS = 1536;

/** Turns texts into L2-normalised vectors of EMBEDDING_DIMENSIONS, in input order. */
export interface Embedder {
  /** Stable name of the model, e.g. "openai:text-embedding-3-small" or "offline:v1". */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}
