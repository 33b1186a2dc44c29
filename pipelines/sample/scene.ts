/**
 * Synthetic scenes for the embedded sample mirror. Shapes sit one per cell on a regular grid whose
 * cell is a multiple of 16 px, so the demo's frozen patch encoder can tell them apart
 * (research/toy-learnability.md §3.5). Every annotation in the sample mirror is derived from the
 * scene it describes, so questions and captions are true of their images.
 */
import sharp from 'sharp';
import { pick } from '../util/random.ts';
import { GLYPH_HEIGHT, textPixels, textWidth } from './font5x7.ts';

export const COLORS = {
  red: [220, 40, 40],
  green: [40, 180, 60],
  blue: [50, 90, 230],
  yellow: [235, 215, 40],
  purple: [150, 60, 200],
  white: [245, 245, 245],
} as const;

export type ColorName = keyof typeof COLORS;
export type ShapeName = 'circle' | 'square' | 'triangle';
export type Position = 'left' | 'right' | 'top' | 'bottom';

export const COLOR_NAMES = Object.keys(COLORS) as ColorName[];
export const SHAPE_NAMES: ShapeName[] = ['circle', 'square', 'triangle'];
export const POSITIONS: Position[] = ['left', 'right', 'top', 'bottom'];
export const COUNT_WORDS = ['zero', 'one', 'two', 'three'] as const;

export interface Scene {
  shape: ShapeName;
  color: ColorName;
  count: 1 | 2 | 3;
  position: Position;
  /** Printed words, one line each (at most 2), drawn in the middle rows; shapes then go top or bottom. */
  text?: string[];
}

export interface RenderOptions {
  /** Grid cells per side. */
  cells?: number;
  /** Cell size in pixels, a multiple of 16. */
  cell?: number;
  format?: 'jpeg' | 'png';
  background?: readonly [number, number, number];
}

export function randomScene(next: () => number, text?: string[]): Scene {
  const positions: Position[] = text ? ['top', 'bottom'] : POSITIONS;
  return {
    shape: pick(next, SHAPE_NAMES),
    color: pick(next, COLOR_NAMES),
    count: (1 + Math.floor(next() * 3)) as 1 | 2 | 3,
    position: pick(next, positions),
    ...(text ? { text } : {}),
  };
}

export function plural(scene: Scene): string {
  return scene.count === 1 ? scene.shape : `${scene.shape}s`;
}

/** "two red circles on the left" */
export function describeScene(scene: Scene): string {
  const where = scene.position === 'top' || scene.position === 'bottom' ? `at the ${scene.position}` : `on the ${scene.position}`;
  const base = `${COUNT_WORDS[scene.count]} ${scene.color} ${plural(scene)} ${where}`;
  return scene.text ? `${base} and the text ${scene.text.map((t) => `"${t.toLowerCase()}"`).join(' ')}` : base;
}

/** Grid cells (column, row) the shapes occupy: a band along one side, centred. */
export function shapeCells(scene: Scene, cells = 7): [number, number][] {
  const mid = Math.floor(cells / 2);
  const along = scene.count === 1 ? [mid] : scene.count === 2 ? [mid - 1, mid + 1] : [mid - 1, mid, mid + 1];
  switch (scene.position) {
    case 'left': return along.map((r) => [1, r]);
    case 'right': return along.map((r) => [cells - 2, r]);
    case 'top': return along.map((c) => [c, 1]);
    case 'bottom': return along.map((c) => [c, cells - 2]);
  }
}

function shapeSvg(shape: ShapeName, cx: number, cy: number, r: number, fill: string): string {
  switch (shape) {
    case 'circle': return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`;
    case 'square': return `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" fill="${fill}"/>`;
    case 'triangle': return `<polygon points="${cx},${cy - r} ${cx + r},${cy + r} ${cx - r},${cy + r}" fill="${fill}"/>`;
  }
}

export function sceneSvg(scene: Scene, options: RenderOptions = {}): string {
  const cells = options.cells ?? 7;
  const cell = options.cell ?? 16;
  if (cell % 16 !== 0) throw new Error(`cell size ${cell} is not a multiple of 16`);
  const size = cells * cell;
  const [br, bg, bb] = options.background ?? [24, 24, 32];
  const fill = `rgb(${COLORS[scene.color].join(',')})`;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">`,
    `<rect width="${size}" height="${size}" fill="rgb(${br},${bg},${bb})"/>`];
  const r = Math.round(cell * 0.4);
  for (const [c, row] of shapeCells(scene, cells)) {
    parts.push(shapeSvg(scene.shape, c * cell + cell / 2, row * cell + cell / 2, r, fill));
  }
  const lines = scene.text ?? [];
  const scale = Math.max(1, Math.floor(cell / 8));
  const lineHeight = (GLYPH_HEIGHT + 2) * scale;
  const top0 = Math.round(size / 2 - (lines.length * lineHeight) / 2);
  lines.forEach((line, i) => {
    const left = Math.round((size - textWidth(line) * scale) / 2);
    for (const { x, y } of textPixels(line)) {
      parts.push(`<rect x="${left + x * scale}" y="${top0 + i * lineHeight + y * scale}" width="${scale}" height="${scale}" fill="white"/>`);
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

export async function renderScene(scene: Scene, options: RenderOptions = {}): Promise<Buffer> {
  const image = sharp(Buffer.from(sceneSvg(scene, options)));
  return options.format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}
