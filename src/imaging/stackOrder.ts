/**
 * Orders a series' instances for a stack. Position along the slice normal is the truth;
 * InstanceNumber is only a fallback, because sites renumber and some number backwards.
 * Index 0 lies furthest along the slice normal (row × column cosines): for axial slices that is the
 * most superior one, so a CT scrolls head to feet as viewers show it.
 */
import { numberOf, numbersOf, type DicomRecord } from '../sites/index';

export interface OrderedInstance<T> {
  item: T;
  /** Distance along the slice normal, mm; undefined when the series has no usable geometry. */
  position?: number;
}

function normalOf(orientation: number[]): [number, number, number] | undefined {
  if (orientation.length !== 6) return undefined;
  const [rx, ry, rz, cx, cy, cz] = orientation as [number, number, number, number, number, number];
  return [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
}

export function orderForStack<T>(items: readonly T[], recordOf: (item: T) => DicomRecord): OrderedInstance<T>[] {
  const withGeometry = items.map((item) => {
    const record = recordOf(item);
    const position = numbersOf(record, 'ImagePositionPatient');
    const normal = normalOf(numbersOf(record, 'ImageOrientationPatient'));
    const distance = position.length === 3 && normal ? position[0]! * normal[0] + position[1]! * normal[1] + position[2]! * normal[2] : undefined;
    return { item, position: distance, instanceNumber: numberOf(record, 'InstanceNumber') ?? 0 };
  });
  const allPlaced = withGeometry.every((entry) => entry.position !== undefined);
  const sorted = allPlaced
    ? withGeometry.sort((a, b) => b.position! - a.position!)
    : withGeometry.sort((a, b) => a.instanceNumber - b.instanceNumber);
  return sorted.map(({ item, position }) => (position === undefined ? { item } : { item, position }));
}
