/** The Arrow data of a variable-length column (utf8, binary) from its encoder's buffers. */
import { type Data, type Field, makeData } from 'apache-arrow';
import type { Validity } from './column-validity.ts';
import type { GrowableBytes, GrowableNumbers } from './growable.ts';

/** Takes the buffers' contents into a Data and starts the next batch's offsets at 0. */
export function takeVariableLength(field: Field, offsets: GrowableNumbers<Int32Array>, data: GrowableBytes, validity: Validity): Data {
  const taken = makeData({
    type: field.type,
    length: offsets.length - 1,
    valueOffsets: offsets.take(),
    data: data.take(),
    ...validity.props(),
  });
  offsets.push(0);
  return taken;
}
