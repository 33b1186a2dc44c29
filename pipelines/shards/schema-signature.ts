/** A schema as one comparable string: names, nullability and types, nested fields included. */
import type { Field, Schema } from 'apache-arrow';

function fieldSignature(field: Field): string {
  const children = (field.type.children ?? []) as Field[];
  const type = children.length > 0 ? `${field.type.typeId}<${children.map(fieldSignature).join(',')}>` : String(field.type);
  return `${field.name}${field.nullable ? '?' : ''}:${type}`;
}

export function schemaSignature(schema: Schema): string {
  return schema.fields.map(fieldSignature).join(';');
}
