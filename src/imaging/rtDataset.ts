/**
 * Reading RT objects (RTSTRUCT, RTDOSE) from Part-10 bytes with dcmjs, and the few typed
 * accessors their parsers share. A file that does not parse is a value, not a throw: it comes
 * from a hospital and the viewer says why it cannot show it.
 */
import dcmjs from 'dcmjs';

export type RtDataset = Record<string, unknown>;
export type Vec3 = [number, number, number];

export type RtReadResult = { kind: 'ok'; dataset: RtDataset; transferSyntaxUID: string } | { kind: 'error'; message: string };

export function readRtPart10(part10: ArrayBuffer, what: string): RtReadResult {
  try {
    const dict = dcmjs.data.DicomMessage.readFile(part10);
    const ts = dict.meta['00020010']?.Value?.[0];
    return { kind: 'ok', dataset: dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict), transferSyntaxUID: typeof ts === 'string' ? ts : '' };
  } catch (error) {
    return { kind: 'error', message: `The ${what} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function itemsOf(dataset: RtDataset, keyword: string): RtDataset[] {
  const raw = dataset[keyword];
  if (Array.isArray(raw)) return raw.filter((item): item is RtDataset => typeof item === 'object' && item !== null);
  return typeof raw === 'object' && raw !== null && !(raw instanceof ArrayBuffer) ? [raw as RtDataset] : [];
}

/** All values of a numeric attribute; an absent or non-numeric one gives []. */
export function numbersOf(dataset: RtDataset, keyword: string): number[] {
  const raw = dataset[keyword];
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null || raw === '' ? [] : [raw];
  return values.map(Number).filter((v) => Number.isFinite(v));
}

export function numberOf(dataset: RtDataset, keyword: string): number | undefined {
  return numbersOf(dataset, keyword)[0];
}

export function textOf(dataset: RtDataset, keyword: string): string {
  const raw = dataset[keyword];
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined || value === null ? '' : String(value).trim();
}

export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const scale = (a: Vec3, k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export function normalise(a: Vec3): Vec3 | undefined {
  const length = Math.hypot(a[0], a[1], a[2]);
  return length > 1e-9 ? scale(a, 1 / length) : undefined;
}
