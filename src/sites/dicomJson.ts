/**
 * The one place where tag-keyed DICOM JSON (PS3.18 F.2) becomes keyword records. Everything
 * above `sites/` reads attributes by DICOM keyword through the accessors here, so a value that
 * is absent, multi-valued or a PersonName object is handled the same way everywhere.
 */
import dcmjs from 'dcmjs';
import type { DicomJsonDataset, DicomJsonElement } from '../contracts/index';

export type { DicomJsonDataset, DicomJsonElement };

/** A dataset keyed by DICOM keyword (`PatientID`), values as dcmjs naturalises them. */
export type DicomRecord = Readonly<Record<string, unknown>>;

export function naturalize(dataset: DicomJsonDataset): DicomRecord {
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dataset) as DicomRecord;
}

function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function personNameText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'Alphabetic' in value) {
    const alphabetic = (value as { Alphabetic?: unknown }).Alphabetic;
    return typeof alphabetic === 'string' ? alphabetic : undefined;
  }
  return undefined;
}

/** First value as text; PersonName gives its Alphabetic form. */
export function textOf(record: DicomRecord, keyword: string): string | undefined {
  const value = firstValue(record[keyword]);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return personNameText(value);
}

/** Every value as text (multi-valued strings such as OtherPatientIDs or ModalitiesInStudy). */
export function textsOf(record: DicomRecord, keyword: string): string[] {
  const value = record[keyword];
  if (value === undefined || value === null) return [];
  const values = Array.isArray(value) ? value : [value];
  return values
    .map((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : personNameText(v)))
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .flatMap((v) => v.split('\\'));
}

export function numberOf(record: DicomRecord, keyword: string): number | undefined {
  const value = firstValue(record[keyword]);
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function numbersOf(record: DicomRecord, keyword: string): number[] {
  const value = record[keyword];
  if (value === undefined || value === null) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.map((v) => (typeof v === 'number' ? v : Number(v))).filter((n) => Number.isFinite(n));
}

/** Items of a sequence, each naturalised. */
export function itemsOf(record: DicomRecord, keyword: string): DicomRecord[] {
  const value = record[keyword];
  if (!value) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.filter((item): item is DicomRecord => typeof item === 'object' && item !== null);
}

/** Reads a tag straight from DICOM JSON, for the few places that must keep the raw form. */
export function rawText(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return personNameText(value);
}
