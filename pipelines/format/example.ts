/** What rendering produces: the text the Q-Former and the LM see, and where it came from. */

export interface RenderedExample {
  /** Goes to the Q-Former and, before the target, to the LM; the image is placed by the model. */
  instruction: string;
  target: string;
  templateId: string;
}

export interface EvalPrompt {
  instruction: string;
  templateId: string;
  /** Ground truth as the dataset gives it (all captions, all human answers); empty when withheld. */
  references: string[];
  /** For ranking tasks: the texts whose likelihood the model compares; null for free generation. */
  candidates: string[] | null;
  /** Index of the correct candidate. */
  answerIndex: number | null;
}
