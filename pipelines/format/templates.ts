/**
 * Loads the instruction template families from templates/ (see templates/README.md for the file
 * format) and compiles them with Handlebars.
 *
 * Two compile options are the point of this file: `noEscape`, because the text is an LM prompt,
 * not HTML, and data must reach it byte for byte (quotes, `&`, `<b>`); and `strict`, so a template
 * naming a slot the renderer did not fill throws instead of rendering an empty string.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** Where the paper's templates mark the image's query embeddings. */
export const IMAGE_MARKER = '<Image>';

export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

const FAMILY_FOLDERS = ['train', 'eval'];
const FILE_SUFFIX = '.hbs.json';

export type SlotValues = Readonly<Record<string, string>>;

export interface Template {
  /** `<family>/<name>`, stable: rendered examples carry it. */
  id: string;
  /** The Handlebars source as written in the file, without the leading image marker. */
  source: string;
  render(slots: SlotValues): string;
}

export interface TemplateFamily {
  name: string;
  /** `paper` when the text is the paper's (verbatim), `ours` when the paper gives none. */
  origin: 'paper' | 'ours';
  slots: readonly string[];
  templates: readonly Template[];
}

export interface TemplateLibrary {
  family(name: string): TemplateFamily;
  template(id: string): Template;
  families(): TemplateFamily[];
}

/** Reads every `*.hbs.json` under templates/train and templates/eval. */
export function loadTemplateLibrary(dir: string = DEFAULT_TEMPLATE_DIR): TemplateLibrary {
  const hb = Handlebars.create();
  const families = new Map<string, TemplateFamily>();
  const templates = new Map<string, Template>();
  for (const folder of FAMILY_FOLDERS) {
    const folderPath = path.join(dir, folder);
    for (const file of readdirSync(folderPath).filter((f) => f.endsWith(FILE_SUFFIX)).sort()) {
      const where = path.join(folder, file);
      const family = parseFamily(hb, JSON.parse(readFileSync(path.join(folderPath, file), 'utf8')), where);
      if (families.has(family.name)) throw new Error(`templates/${where}: family "${family.name}" is defined twice`);
      families.set(family.name, family);
      for (const t of family.templates) templates.set(t.id, t);
    }
  }
  return {
    family(name) {
      const family = families.get(name);
      if (!family) throw new Error(`no template family "${name}"; known: ${[...families.keys()].join(', ')}`);
      return family;
    },
    template(id) {
      const template = templates.get(id);
      if (!template) throw new Error(`no template "${id}"`);
      return template;
    },
    families: () => [...families.values()],
  };
}

function parseFamily(hb: typeof Handlebars, raw: unknown, where: string): TemplateFamily {
  const fail = (message: string): never => {
    throw new Error(`templates/${where}: ${message}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('expected a JSON object');
  const { family, origin, source, slots, templates } = raw as Record<string, unknown>;
  if (typeof family !== 'string' || family === '') return fail('"family" must be a non-empty string');
  if (origin !== 'paper' && origin !== 'ours') return fail('"origin" must be "paper" or "ours"');
  if (typeof source !== 'string' || source === '') return fail('"source" must say where the text comes from');
  if (!Array.isArray(slots) || !slots.every((s) => typeof s === 'string')) return fail('"slots" must be a list of names');
  if (typeof templates !== 'object' || templates === null || Object.keys(templates).length === 0) {
    return fail('"templates" must map ids to template text');
  }
  // Rendering once with every declared slot filled proves, at load time, that no template uses a
  // slot the family does not declare (strict mode throws on it).
  const probe = Object.fromEntries(slots.map((s: string) => [s, s]));
  const compiled = Object.entries(templates).map(([id, text]): Template => {
    if (!id.startsWith(`${family}/`)) return fail(`template id "${id}" must start with "${family}/"`);
    if (typeof text !== 'string') return fail(`${id}: template text must be a string`);
    if (!text.startsWith(IMAGE_MARKER) || text.indexOf(IMAGE_MARKER, 1) !== -1) {
      return fail(`${id}: must begin with ${IMAGE_MARKER}, once (the model places the image before the text)`);
    }
    const body = text.slice(IMAGE_MARKER.length);
    const render = hb.compile(body, { strict: true, noEscape: true });
    try {
      render(probe);
    } catch (error) {
      return fail(`${id}: ${(error as Error).message} (declared slots: ${slots.join(', ') || 'none'})`);
    }
    return { id, source: body, render };
  });
  return { name: family, origin, slots: slots as string[], templates: compiled };
}
