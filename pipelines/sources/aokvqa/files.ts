/** A-OKVQA's official tarball and the split files inside it (LAVIS re-hosts the same names extracted). */
export const AOKVQA_TARBALL = 'aokvqa_v1p0.tar.gz';

export const splitFile = (split: string) => `aokvqa_v1p0_${split}.json`;

/** The splits the mixture uses; test has no answers and is not read. */
export const AOKVQA_SPLITS = ['train', 'val'] as const;
