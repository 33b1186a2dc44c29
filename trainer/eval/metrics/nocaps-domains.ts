/**
 * NoCaps reports CIDEr-D overall and per domain (in-domain, near-domain, out-domain: how far an image's
 * objects are from COCO's). Each domain is scored as a corpus of its own, as the NoCaps evaluation runs
 * the COCO toolkit once per domain subset: document frequencies and ln(#images) come from that
 * domain's images, so the overall score is not the image-weighted mean of the three.
 */
import { ciderD, type CaptionedImage, type CiderDResult } from './cider-d.ts';

export const NOCAPS_DOMAINS = ['in-domain', 'near-domain', 'out-domain'] as const;
export type NocapsDomain = (typeof NOCAPS_DOMAINS)[number];

/** The official spellings and the short ones the NoCaps adapter stores. */
const DOMAIN_SPELLINGS: Readonly<Record<string, NocapsDomain>> = {
  'in-domain': 'in-domain', in: 'in-domain',
  'near-domain': 'near-domain', near: 'near-domain',
  'out-domain': 'out-domain', out: 'out-domain',
};

/** The domain in a record's `meta` JSON ({"domain": ...}), or null when there is none or it is unknown. */
export function nocapsDomain(meta: string | null): NocapsDomain | null {
  if (meta === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(meta);
  } catch {
    return null;
  }
  const domain = typeof parsed === 'object' && parsed !== null ? (parsed as { domain?: unknown }).domain : undefined;
  return typeof domain === 'string' && Object.hasOwn(DOMAIN_SPELLINGS, domain) ? DOMAIN_SPELLINGS[domain] : null;
}

export interface DomainCiderD {
  overall: CiderDResult;
  /** Only the domains that have images. */
  byDomain: Partial<Record<NocapsDomain, number>>;
}

export function ciderDByDomain(images: readonly CaptionedImage[], domains: readonly NocapsDomain[]): DomainCiderD {
  const byDomain: Partial<Record<NocapsDomain, number>> = {};
  for (const domain of NOCAPS_DOMAINS) {
    const subset = images.filter((_, i) => domains[i] === domain);
    if (subset.length > 0) byDomain[domain] = ciderD(subset).score;
  }
  return { overall: ciderD(images), byDomain };
}
