/**
 * One memory budget for every pixel the page holds. Cornerstone's image cache evicts the least
 * recently used images once the budget is reached (images on screen are the most recently used),
 * so a session can open study after study without the tab dying. A volume is only streamed whole
 * when it fits the budget; otherwise the caller shows a warning and keeps the stack, which needs
 * only the slices near the one on screen.
 */
import { numberOf, numbersOf, textOf, type DicomRecord } from '../sites/index';

export const MiB = 1024 * 1024;
/** Used until the gateway tells the browser its configured budget (`viewer.cacheBudgetMiB`). */
export const DefaultCacheBudgetBytes = 1024 * MiB;
/** Fewer slices than this are a stack, not a volume worth reformatting. */
export const MinimumVolumeSlices = 10;

export type VolumePlan =
  | { kind: 'volume'; bytes: number; budgetBytes: number; sliceCount: number }
  | { kind: 'too-large'; bytes: number; budgetBytes: number; sliceCount: number }
  | { kind: 'not-a-volume'; reason: string };

/**
 * Bytes per voxel Cornerstone keeps for a series: 8-bit stays 8-bit, 16-bit stays 16-bit unless
 * the rescale makes fractional values (then 32-bit float), colour triples the samples.
 */
export function bytesPerVoxel(facts: { BitsAllocated: number; SamplesPerPixel?: number; RescaleSlope?: number; RescaleIntercept?: number }): number {
  const samples = facts.SamplesPerPixel ?? 1;
  const fractional = !Number.isInteger(facts.RescaleSlope ?? 1) || !Number.isInteger(facts.RescaleIntercept ?? 0);
  if (facts.BitsAllocated <= 8) return samples;
  if (facts.BitsAllocated <= 16) return (fractional ? 4 : 2) * samples;
  return (facts.BitsAllocated <= 32 ? 4 : 8) * samples;
}

const same = (a: readonly number[], b: readonly number[], tolerance = 1e-3) => a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? NaN)) <= tolerance);

/**
 * Decides whether a series (its instances' keyword records) can be streamed as one volume within
 * the budget: enough single-frame slices sharing size, orientation and pixel spacing.
 * @example planVolume(records, 1024 * MiB) // { kind: 'volume', bytes: 115343360, ... }
 */
export function planVolume(records: readonly DicomRecord[], budgetBytes: number): VolumePlan {
  if (records.length < MinimumVolumeSlices) return { kind: 'not-a-volume', reason: `only ${records.length} images (a volume needs ${MinimumVolumeSlices})` };
  const first = records[0]!;
  const Rows = numberOf(first, 'Rows');
  const Columns = numberOf(first, 'Columns');
  const BitsAllocated = numberOf(first, 'BitsAllocated') ?? 16;
  const orientation = numbersOf(first, 'ImageOrientationPatient');
  const spacing = numbersOf(first, 'PixelSpacing');
  if (!Rows || !Columns || orientation.length !== 6 || spacing.length !== 2) return { kind: 'not-a-volume', reason: 'the images do not say their geometry' };
  for (const record of records) {
    if ((numberOf(record, 'NumberOfFrames') ?? 1) > 1) return { kind: 'not-a-volume', reason: 'multi-frame images' };
    if (numberOf(record, 'Rows') !== Rows || numberOf(record, 'Columns') !== Columns) return { kind: 'not-a-volume', reason: 'images of different sizes' };
    if (!same(numbersOf(record, 'ImageOrientationPatient'), orientation)) return { kind: 'not-a-volume', reason: 'images in different orientations' };
    if (!same(numbersOf(record, 'PixelSpacing'), spacing)) return { kind: 'not-a-volume', reason: 'images with different pixel spacing' };
    if (numbersOf(record, 'ImagePositionPatient').length !== 3) return { kind: 'not-a-volume', reason: 'an image without a position' };
  }
  const slope = numberOf(first, 'RescaleSlope');
  const intercept = numberOf(first, 'RescaleIntercept');
  const samples = numberOf(first, 'SamplesPerPixel');
  const perVoxel = bytesPerVoxel({
    BitsAllocated,
    ...(samples !== undefined ? { SamplesPerPixel: samples } : {}),
    ...(slope !== undefined ? { RescaleSlope: slope } : {}),
    ...(intercept !== undefined ? { RescaleIntercept: intercept } : {}),
  });
  const bytes = Rows * Columns * records.length * perVoxel;
  const sliceCount = records.length;
  return bytes <= budgetBytes ? { kind: 'volume', bytes, budgetBytes, sliceCount } : { kind: 'too-large', bytes, budgetBytes, sliceCount };
}

/** What the viewer tells the user when a volume will not fit (sizes in MiB, rounded up). */
export function tooLargeMessage(plan: { bytes: number; budgetBytes: number }): string {
  return `This series needs ${Math.ceil(plan.bytes / MiB)} MiB as a volume, more than the ${Math.ceil(plan.budgetBytes / MiB)} MiB image memory budget: showing it as a stack instead.`;
}

/** True when a modality is acquired as cross-sections (a reformattable volume). */
export function isCrossSectional(record: DicomRecord | undefined): boolean {
  return ['CT', 'MR', 'PT', 'NM'].includes(textOf(record ?? {}, 'Modality') ?? '');
}
