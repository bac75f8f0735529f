/**
 * A scale bar for the image on screen: the longest "round" length (1, 2 or 5 × 10ⁿ mm) that fits
 * in the room given, from how many millimetres one screen pixel spans at the current zoom.
 */
export interface ScaleBar {
  mm: number;
  pixels: number;
  label: string;
}

/** @example scaleBarFor(0.5, 120) // { mm: 50, pixels: 100, label: '5 cm' } */
export function scaleBarFor(mmPerPixel: number, maxPixels: number): ScaleBar | undefined {
  if (!(mmPerPixel > 0) || !Number.isFinite(mmPerPixel) || !(maxPixels > 0)) return undefined;
  const maxMm = mmPerPixel * maxPixels;
  let best: number | undefined;
  for (let power = -2; power <= 4; power++) {
    for (const step of [1, 2, 5]) {
      const mm = step * 10 ** power;
      if (mm <= maxMm) best = mm;
    }
  }
  if (best === undefined) return undefined;
  const mm = Number(best.toPrecision(3));
  const label = mm >= 10 && mm % 10 === 0 ? `${mm / 10} cm` : `${mm} mm`;
  return { mm, pixels: mm / mmPerPixel, label };
}
