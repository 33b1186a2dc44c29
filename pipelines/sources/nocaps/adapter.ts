/**
 * NoCaps val: one record per image with its ten reference captions in `answers` and its domain
 * (in / near / out) in `meta`, which the evaluation reports CIDEr by. Photos come from the URL
 * list (each image's coco_url); an image whose photo was not fetched is quarantined
 * `image-not-fetched`, as are images without captions and captions of unknown images.
 */
import type { RawAccess } from '../../raw/access.ts';
import { answerShares } from '../common/answer-shares.ts';
import { asObject, BadRecord, int, relativePath, str } from '../common/fields.ts';
import { guarded, quarantined, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter, UrlListEntry } from '../types.ts';
import { openJsonStream, type JsonStreamInput } from '../vizwiz/json-stream-input.ts';
import { CAPTIONS_FILE, imagePath, LAVIS_FILE, spec } from './spec.ts';

const SOURCE = spec.source;
const DOMAINS: Record<string, string> = { 'in-domain': 'in', 'near-domain': 'near', 'out-domain': 'out' };

async function captionsInput(raw: RawAccess): Promise<JsonStreamInput> {
  const input = await openJsonStream(raw, SOURCE, { member: CAPTIONS_FILE });
  if (input) return input;
  if (raw.exists(SOURCE, LAVIS_FILE)) {
    throw new Error(`${SOURCE}: only LAVIS's ${LAVIS_FILE} is in ${raw.root(SOURCE)}; it lists images without captions or domains, `
      + `so NoCaps cannot be evaluated from it. Fetch ${CAPTIONS_FILE} (run ingest for "${SOURCE}")`);
  }
  throw new Error(`${SOURCE}: ${CAPTIONS_FILE} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
}

interface NocapsImage {
  id: number;
  openImagesId: string;
  domain: string;
  url: string;
  path: string;
}

function parseImage(value: unknown): NocapsImage {
  const image = asObject(value, 'image');
  const officialDomain = str(image, 'domain');
  const domain = DOMAINS[officialDomain];
  if (!domain) throw new BadRecord('bad-value', `"domain" is "${officialDomain}", expected in-domain, near-domain or out-domain`);
  return {
    id: int(image, 'id'),
    openImagesId: str(image, 'open_images_id'),
    domain,
    url: str(image, 'coco_url'),
    path: imagePath(relativePath(image, 'file_name')),
  };
}

interface ImageCaptions {
  /** Index of the image's first annotation, where an orphan is reported. */
  first: number;
  captions: string[];
}

/** Captions by image id, in file order; an annotation that cannot be attributed to an image is quarantined. */
async function captionsByImage(input: JsonStreamInput, bad: AdapterOutput[]): Promise<Map<number, ImageCaptions>> {
  const byImage = new Map<number, ImageCaptions>();
  for await (const { key, value } of input.members(['annotations'])) {
    try {
      const annotation = asObject(value, 'annotation');
      const imageId = int(annotation, 'image_id');
      const caption = str(annotation, 'caption').trim();
      const entry = byImage.get(imageId) ?? { first: key as number, captions: [] };
      entry.captions.push(caption);
      byImage.set(imageId, entry);
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      bad.push(quarantined({ dataset: 'nocaps', split: 'val', sourceFile: input.file, sourceIndex: key as number }, err));
    }
  }
  return byImage;
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  const input = await captionsInput(raw);
  const badAnnotations: AdapterOutput[] = [];
  const captions = await captionsByImage(input, badAnnotations);
  yield* badAnnotations;
  const seen = new Set<number>();
  for await (const { key, value } of input.members(['images'])) {
    const place: RecordPlace = { dataset: 'nocaps', split: 'val', sourceFile: input.file, sourceIndex: key as number };
    // An image quarantined for another field still owns its captions: they are not "unknown".
    const listedId = (value as { id?: unknown } | null)?.id;
    if (typeof listedId === 'number') seen.add(listedId);
    yield await guarded(place, async () => {
      const image = parseImage(value);
      const answers = captions.get(image.id)?.captions;
      if (!answers) throw new BadRecord('missing-field', `image ${image.id} has no captions in "annotations"`);
      if (!raw.exists(SOURCE, image.path)) {
        throw new BadRecord('image-not-fetched', `${image.path} was not fetched from ${image.url} (see the URL-list status of ingest)`);
      }
      return sourceRecord({
        ...place,
        id: `nocaps/val/${image.id}`,
        answers,
        answerWeights: answerShares(answers),
        meta: JSON.stringify({ domain: image.domain, open_images_id: image.openImagesId }),
        media: [{ kind: 'image', source: SOURCE, path: image.path }],
      });
    });
  }
  for (const [imageId, { first }] of captions) {
    if (seen.has(imageId)) continue;
    yield quarantined({ dataset: 'nocaps', split: 'val', sourceFile: input.file, sourceIndex: first },
      new BadRecord('unknown-image', `annotation ${first} has a caption for image_id ${imageId}, which "images" does not list`));
  }
}

/** Every photo of a well-formed image entry; read() quarantines the rest. */
async function* urlList(raw: RawAccess): AsyncGenerator<UrlListEntry> {
  for await (const { value } of (await captionsInput(raw)).members(['images'])) {
    try {
      const image = parseImage(value);
      yield { url: image.url, path: image.path };
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
    }
  }
}

export const adapter: SourceAdapter = { spec, read, urlList };
