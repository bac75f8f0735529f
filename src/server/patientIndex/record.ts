/**
 * One study's identity as the index keeps it, read from DICOM JSON (a QIDO-RS result or an
 * instance's WADO-RS metadata). National IDs are collected from every place archives put them
 * (PatientID under the national issuer, OtherPatientIDsSequence items with that issuer, and
 * OtherPatientIDs values), normalised to digits, and kept only when the check digit is right:
 * a mistyped number is no evidence of who the patient is.
 */
import { isValidNhsNumber, normaliseNhsNumber, type PatientIndexRecord } from '../../contracts/index';

interface DicomJsonElement {
  vr?: string;
  Value?: unknown[];
}
/** Tag-keyed DICOM JSON (PS3.18 F.2). */
export type DicomJsonDataset = Record<string, DicomJsonElement | undefined>;

const Tags = {
  StudyDate: '00080020',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  PatientName: '00100010',
  PatientID: '00100020',
  IssuerOfPatientID: '00100021',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  OtherPatientIDs: '00101000',
  OtherPatientIDsSequence: '00101002',
  StudyInstanceUID: '0020000D',
} as const;

function values(dataset: DicomJsonDataset, tag: string): string[] {
  return (dataset[tag]?.Value ?? []).flatMap((value): string[] => {
    if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
    if (typeof value === 'number') return [String(value)];
    if (value && typeof value === 'object') {
      // PN: keep every component group, joined the way DICOM writes them.
      const { Alphabetic = '', Ideographic = '', Phonetic = '' } = value as Record<string, string | undefined>;
      const joined = [Alphabetic, Ideographic, Phonetic].join('=').replace(/=+$/, '');
      return joined ? [joined] : [];
    }
    return [];
  });
}

function first(dataset: DicomJsonDataset, tag: string): string | undefined {
  return values(dataset, tag)[0];
}

function items(dataset: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  return (dataset[tag]?.Value ?? []).filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null);
}

function validNationalId(raw: string): string | undefined {
  const digits = normaliseNhsNumber(raw);
  return digits && isValidNhsNumber(digits) ? digits : undefined;
}

/**
 * National IDs a dataset carries. OtherPatientIDs (retired, no issuer) is taken as national when
 * it passes the check digit: archives fill it with the NHS number, and a local ID that happens
 * to pass is still re-checked by the browser before anything is linked.
 */
export function nationalIdsOf(dataset: DicomJsonDataset, nationalIdIssuer: string): string[] {
  const found: string[] = [];
  const patientId = first(dataset, Tags.PatientID);
  if (patientId && first(dataset, Tags.IssuerOfPatientID) === nationalIdIssuer) found.push(patientId);
  for (const item of items(dataset, Tags.OtherPatientIDsSequence)) {
    const id = first(item, Tags.PatientID);
    if (id && first(item, Tags.IssuerOfPatientID) === nationalIdIssuer) found.push(id);
  }
  // Multi-valued OtherPatientIDs may arrive as several values or one backslash-joined string.
  found.push(...values(dataset, Tags.OtherPatientIDs).flatMap((v) => v.split('\\')));
  return [...new Set(found.map(validNationalId).filter((id): id is string => id !== undefined))].sort();
}

export interface RecordContext {
  siteId: string;
  nationalIdIssuer: string;
  source: PatientIndexRecord['source'];
  /** True for WADO-RS metadata (the whole instance header), false for a QIDO answer. */
  metadataSeen: boolean;
  seenAt: string;
}

/** The index record of one dataset; undefined when it names no study. */
export function recordFromDataset(dataset: DicomJsonDataset, context: RecordContext): PatientIndexRecord | undefined {
  const StudyInstanceUID = first(dataset, Tags.StudyInstanceUID);
  if (!StudyInstanceUID) return undefined;
  const modalities = values(dataset, Tags.ModalitiesInStudy);
  const optional = (key: keyof PatientIndexRecord, tag: string) => {
    const value = first(dataset, tag);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    siteId: context.siteId,
    StudyInstanceUID,
    ...optional('PatientID', Tags.PatientID),
    ...optional('IssuerOfPatientID', Tags.IssuerOfPatientID),
    nationalIds: nationalIdsOf(dataset, context.nationalIdIssuer),
    ...optional('PatientName', Tags.PatientName),
    ...optional('PatientBirthDate', Tags.PatientBirthDate),
    ...optional('PatientSex', Tags.PatientSex),
    ...optional('StudyDate', Tags.StudyDate),
    ModalitiesInStudy: [...new Set(modalities.length ? modalities : values(dataset, Tags.Modality))].sort(),
    source: context.source,
    seenAt: context.seenAt,
    metadataSeen: context.metadataSeen,
  };
}

/**
 * A new sighting of a study the index may already hold. Metadata (the whole header) replaces
 * identity; a QIDO answer, which may lack OtherPatientIDsSequence, only adds to it.
 */
export function mergeRecords(existing: PatientIndexRecord | undefined, incoming: PatientIndexRecord): PatientIndexRecord {
  if (!existing) return incoming;
  const nationalIds = incoming.metadataSeen ? incoming.nationalIds : [...new Set([...existing.nationalIds, ...incoming.nationalIds])].sort();
  const merged: PatientIndexRecord = { ...existing };
  for (const [key, value] of Object.entries(incoming) as [keyof PatientIndexRecord, unknown][]) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return {
    ...merged,
    nationalIds,
    ModalitiesInStudy: [...new Set([...existing.ModalitiesInStudy, ...incoming.ModalitiesInStudy])].sort(),
    metadataSeen: existing.metadataSeen || incoming.metadataSeen,
  };
}
