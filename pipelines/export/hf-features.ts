/**
 * Hugging Face `datasets` features for an Arrow schema, and the Arrow schema HF itself would write
 * for them (README.md in this folder has the sources). Features serialize as HF's `asdict` does:
 * `{"dtype": ..., "_type": "Value"}`, `{"feature": ..., "_type": "List"}`, a struct as a plain
 * object of its fields, `{"_type": "Image"}`. HF writes every field nullable; so do we.
 */
import { DataType, Field, List, Precision, type Schema as ArrowSchema, Schema, Struct, Type } from 'apache-arrow';

export type HfFeature = { [key: string]: unknown };

function valueDtype(type: DataType): string {
  switch (type.typeId) {
    case Type.Utf8: return 'string';
    case Type.Binary: return 'binary';
    case Type.Bool: return 'bool';
    case Type.Int:
      if (DataType.isInt(type) && type.bitWidth === 32 && type.isSigned) return 'int32';
      break;
    case Type.Float:
      if (DataType.isFloat(type) && type.precision === Precision.SINGLE) return 'float32';
      break;
    default: break;
  }
  throw new Error(`no Hugging Face feature for Arrow type ${type}`);
}

export function featureOf(type: DataType): HfFeature {
  if (DataType.isList(type)) return { feature: featureOf(type.children[0].type), _type: 'List' };
  if (DataType.isStruct(type)) return Object.fromEntries(type.children.map((f: Field) => [f.name, featureOf(f.type)]));
  return { dtype: valueDtype(type), _type: 'Value' };
}

/** HF's Image feature: stored as struct {bytes: binary, path: string}. */
export const IMAGE_FEATURE: HfFeature = { _type: 'Image' };

/** Features of `schema`, with `overrides` for columns whose feature is not implied by their Arrow type (images). */
export function featuresOf(schema: ArrowSchema, overrides: Record<string, HfFeature> = {}): Record<string, HfFeature> {
  return Object.fromEntries(schema.fields.map((f) => [f.name, overrides[f.name] ?? featureOf(f.type)]));
}

function nullableType(type: DataType): DataType {
  if (DataType.isList(type)) return new List(nullableField(type.children[0]));
  if (DataType.isStruct(type)) return new Struct(type.children.map(nullableField));
  return type;
}

function nullableField(field: Field): Field {
  return new Field(field.name, nullableType(field.type), true);
}

/**
 * The schema HF writes: every field nullable, the features as JSON under the `huggingface`
 * metadata key. The data of non-nullable columns is valid under it unchanged (no nulls).
 */
export function hfArrowSchema(schema: ArrowSchema, features: Record<string, HfFeature>): Schema {
  const metadata = new Map([['huggingface', JSON.stringify({ info: { features } })]]);
  return new Schema(schema.fields.map(nullableField), metadata);
}
