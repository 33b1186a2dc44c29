/**
 * Turns a record's MediaRefs into media-store keys, storing what is new. An image's key is the
 * sha256 of its original bytes; a video becomes VIDEO_FRAMES frames sampled uniformly, keyed
 * `<sha256 of the video>#<i>of<n>` (i from 0). Work already done is never repeated: a ref seen
 * before maps to its key without reading, a stored key is not decoded again, and records that share
 * an image being decoded wait for the one decode.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import type { RawAccess } from '../raw/access.ts';
import type { MediaRef } from '../sources/types.ts';
import { ImageDecodeError } from './encode-image.ts';
import type { ImagePool } from './image-pool.ts';
import { LruMap } from './lru.ts';
import type { MediaStore } from './media-store.ts';
import { videoFrameKey } from './media-schema.ts';
import { describeRef, readMediaRef } from './read-media-ref.ts';
import { extractFrames, VideoDecodeError } from './video-frames.ts';
import { extractFramesFromBytes } from './video-frames-bytes.ts';

export const VIDEO_FRAMES = 4;
/** Refs remembered with their key; a forgotten one only costs a re-read and re-hash. */
const REF_CACHE = 200_000;

export interface MediaProblem {
  reason: 'unknown-image' | 'unreadable-image' | 'undecodable-video';
  detail: string;
}

export interface ResolvedMedia {
  keys: string[];
  /** Keys this call added to the store, and their stored bytes. */
  newImages: number;
  newBytes: number;
}

export type MediaOutcome = ResolvedMedia | { problem: MediaProblem };

class MediaFailure extends Error {
  constructor(readonly problem: MediaProblem) {
    super(problem.detail);
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const refId = (ref: MediaRef) => `${ref.kind}\0${ref.source}\0${ref.path}\0${ref.member ?? ''}`;

export class MediaResolver {
  private readonly refKeys = new LruMap<string, string[]>(REF_CACHE);
  /** Adapters that hand out one MediaRef object per image (COCO's index) are answered by identity. */
  private readonly refObjects = new WeakMap<MediaRef, string[]>();
  /** Keys (an image, or a video's sha256) whose storing is under way. */
  private readonly pending = new Map<string, Promise<number>>();
  private readonly failed = new Map<string, MediaProblem>();
  private readonly ffmpegSlots = pLimit(Math.max(1, availableParallelism()));

  constructor(private readonly raw: RawAccess, private readonly store: MediaStore, private readonly pool: ImagePool) {}

  /** The keys of refs seen before whose images are all stored, without waiting; else null. */
  known(refs: readonly MediaRef[]): string[] | null {
    if (refs.length === 1) {
      const keys = this.keysOf(refs[0]);
      return keys && keys.every((k) => this.store.has(k)) ? keys : null;
    }
    const all: string[] = [];
    for (const ref of refs) {
      const keys = this.keysOf(ref);
      if (!keys || !keys.every((k) => this.store.has(k))) return null;
      all.push(...keys);
    }
    return all;
  }

  async resolve(refs: readonly MediaRef[]): Promise<MediaOutcome> {
    const resolved: ResolvedMedia = { keys: [], newImages: 0, newBytes: 0 };
    try {
      const parts = await Promise.all(refs.map((ref) => this.resolveRef(ref)));
      for (const part of parts) {
        resolved.keys.push(...part.keys);
        resolved.newImages += part.newImages;
        resolved.newBytes += part.newBytes;
      }
      return resolved;
    } catch (err) {
      if (err instanceof MediaFailure) return { problem: err.problem };
      throw err;
    }
  }

  private keysOf(ref: MediaRef): string[] | undefined {
    return this.refObjects.get(ref) ?? this.refKeys.get(refId(ref));
  }

  private async resolveRef(ref: MediaRef): Promise<ResolvedMedia> {
    const known = this.keysOf(ref);
    if (known && known.every((k) => this.store.has(k))) return { keys: known, newImages: 0, newBytes: 0 };
    const read = await readMediaRef(this.raw, ref);
    if ('missing' in read) throw new MediaFailure({ reason: 'unknown-image', detail: read.missing });
    const hash = sha256(read.bytes);
    const keys = ref.kind === 'video' ? Array.from({ length: VIDEO_FRAMES }, (_, i) => videoFrameKey(hash, i, VIDEO_FRAMES)) : [hash];
    const newBytes = await this.once(hash, keys, () => (ref.kind === 'video' ? this.storeVideo(ref, read.bytes, keys) : this.storeImage(hash, read.bytes, ref)));
    this.refKeys.set(refId(ref), keys);
    this.refObjects.set(ref, keys);
    return { keys, newImages: newBytes > 0 ? keys.length : 0, newBytes };
  }

  /** Runs `store` for `hash` unless its keys are stored, it failed before, or it is under way. */
  private async once(hash: string, keys: string[], store: () => Promise<number>): Promise<number> {
    if (keys.every((k) => this.store.has(k))) return 0;
    const failed = this.failed.get(hash);
    if (failed) throw new MediaFailure(failed);
    const running = this.pending.get(hash);
    if (running) {
      await running;
      return 0;
    }
    const work = store();
    this.pending.set(hash, work);
    try {
      return await work;
    } catch (err) {
      if (err instanceof MediaFailure) this.failed.set(hash, err.problem);
      throw err;
    } finally {
      this.pending.delete(hash);
    }
  }

  private async storeImage(key: string, bytes: Buffer, ref: MediaRef): Promise<number> {
    try {
      const image = await this.pool.encode(bytes);
      await this.store.add(key, image);
      return image.bytes.length;
    } catch (err) {
      if (err instanceof ImageDecodeError) throw new MediaFailure({ reason: 'unreadable-image', detail: `${describeRef(ref)}: ${err.message}` });
      throw err;
    }
  }

  private async storeVideo(ref: MediaRef, bytes: Buffer, keys: string[]): Promise<number> {
    let frames: Buffer[];
    try {
      frames = await this.ffmpegSlots(() => (ref.member === undefined
        ? extractFrames(this.raw.resolve(ref.source, ref.path), keys.length)
        : extractFramesFromBytes(bytes, `${ref.path}:${ref.member}`, keys.length)));
    } catch (err) {
      if (err instanceof VideoDecodeError) throw new MediaFailure({ reason: 'undecodable-video', detail: `${describeRef(ref)}: ${err.ffmpegMessage}` });
      throw err;
    }
    let total = 0;
    for (const [i, frame] of frames.entries()) {
      try {
        const image = await this.pool.encode(frame);
        if (await this.store.add(keys[i], image)) total += image.bytes.length;
      } catch (err) {
        if (err instanceof ImageDecodeError) throw new MediaFailure({ reason: 'undecodable-video', detail: `${describeRef(ref)}: frame ${i}: ${err.message}` });
        throw err;
      }
    }
    return total;
  }
}
