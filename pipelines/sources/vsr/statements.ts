/**
 * VSR-style statements about a sample scene: where the shapes are relative to the middle of the
 * picture, true or false. A false statement names the opposite side, never a neighbouring one
 * (shapes stacked on the left band also reach above and below the middle, so "above" would be
 * ambiguous there).
 */
import { plural, type Position, type Scene } from '../../sample/scene.ts';

const RELATION: Record<Position, string> = { left: 'left of', right: 'right of', top: 'above', bottom: 'below' };
const OPPOSITE: Record<Position, Position> = { left: 'right', right: 'left', top: 'bottom', bottom: 'top' };

export interface VsrStatement {
  caption: string;
  label: 0 | 1;
  relation: string;
}

export function vsrStatement(scene: Scene, truth: boolean): VsrStatement {
  const relation = RELATION[truth ? scene.position : OPPOSITE[scene.position]];
  const verb = scene.count === 1 ? 'is' : 'are';
  return { caption: `The ${scene.color} ${plural(scene)} ${verb} ${relation} the middle of the picture.`, label: truth ? 1 : 0, relation };
}
