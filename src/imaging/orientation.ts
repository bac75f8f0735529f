/**
 * Orientation markers for a stack: which patient directions (LPS: L/R, A/P, H/F) each edge of the
 * screen faces. Pure over direction vectors so rotation and flips are handled by passing the
 * screen's own right and down directions in patient space (what the camera currently shows).
 */
export type Vec3 = readonly [number, number, number];

export interface OrientationMarkers {
  top: string;
  right: string;
  bottom: string;
  left: string;
}

/** Components smaller than this share of the vector are not named (an oblique of < ~15°). */
const OBLIQUE_SHARE = 0.25;

/**
 * Letters for one patient-space direction, strongest component first (DICOM PS3.3 C.7.6.1.1.1
 * style: "LP" points mostly left, somewhat posterior).
 * @example directionLetters([1, 0, 0]) // 'L'
 */
export function directionLetters(direction: Vec3): string {
  const length = Math.hypot(direction[0], direction[1], direction[2]);
  if (!(length > 0)) return '';
  const axes: [string, string][] = [['L', 'R'], ['P', 'A'], ['H', 'F']];
  return direction
    .map((value, axis) => ({ share: Math.abs(value) / length, letter: value > 0 ? axes[axis]![0] : axes[axis]![1] }))
    .filter((part) => part.share >= OBLIQUE_SHARE)
    .sort((a, b) => b.share - a.share)
    .map((part) => part.letter)
    .join('');
}

/** Markers for the four screen edges from the screen's right and down directions in patient space. */
export function orientationMarkers(screenRight: Vec3, screenDown: Vec3): OrientationMarkers {
  const negate = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return {
    right: directionLetters(screenRight),
    left: directionLetters(negate(screenRight)),
    bottom: directionLetters(screenDown),
    top: directionLetters(negate(screenDown)),
  };
}

/**
 * Markers for an image as stored: rows run along the first ImageOrientationPatient triplet,
 * columns along the second (so screen right = row direction, screen down = column direction).
 */
export function markersForImageOrientation(ImageOrientationPatient: readonly number[]): OrientationMarkers | undefined {
  if (ImageOrientationPatient.length !== 6 || ImageOrientationPatient.some((v) => !Number.isFinite(v))) return undefined;
  const [rx, ry, rz, cx, cy, cz] = ImageOrientationPatient as [number, number, number, number, number, number];
  return orientationMarkers([rx, ry, rz], [cx, cy, cz]);
}
