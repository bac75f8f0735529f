/**
 * Which patient-level action a site request is, decided from its method and path alone (pure),
 * and what a DICOM JSON answer tells the audit afterwards: whose records went out and whether
 * they were reports. Patient IDs are identifiers only (PatientID, OtherPatientIDs, the IDs in
 * OtherPatientIDsSequence), never names or dates.
 */
import { isValidNhsNumber, normaliseNhsNumber } from '../../contracts/index';

/** What a request to `/sites/:id/dicom-web/<subPath>` does to patient data. */
export type SiteAccess =
  /** QIDO-RS: a question about patients or studies (studies level, or instances/series within one study). */
  | { kind: 'search'; studyUid: string | null; keyPatientIds: string[]; level: 'studies' | 'series' | 'instances' }
  /** The series list or the metadata of a study or series: what opening a study asks. */
  | { kind: 'study-open'; studyUid: string; jsonAnswer: true }
  /** One instance's metadata: a report's whole content when the instance is a report. */
  | { kind: 'instance-metadata'; studyUid: string; sopInstanceUid: string }
  /** Pixels, whole instances, rendered images or bulk data of a study. */
  | { kind: 'retrieve'; studyUid: string; sopInstanceUid: string | null }
  /** STOW-RS into a study or a site. */
  | { kind: 'store'; studyUid: string | null };

/** Query keys that name a patient by identifier (keyword or tag form, as QIDO-RS allows). */
const PatientIdKeys = new Set(['patientid', '00100020', 'otherpatientids', '00101000']);

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** Normalises one identifier: a valid NHS number written with spaces becomes its ten digits. */
export function normalisePatientId(raw: string): string {
  const trimmed = raw.trim();
  const digits = normaliseNhsNumber(trimmed);
  return digits && isValidNhsNumber(digits) ? digits : trimmed;
}

/** Identifiers named in a query string (`?PatientID=…&00101000=…`); wildcards are kept as typed. */
export function patientIdsFromKeys(search: string): string[] {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const found: string[] = [];
  for (const [key, value] of params) {
    if (!PatientIdKeys.has(key.toLowerCase())) continue;
    for (const part of value.split(/[\\,]/)) if (part.trim()) found.push(normalisePatientId(part));
  }
  return [...new Set(found)];
}

/**
 * @example
 * classifySiteRequest('GET', 'studies/1.2/series/3.4/instances/5.6/frames/1', '')
 * // → { kind: 'retrieve', studyUid: '1.2', sopInstanceUid: '5.6' }
 */
export function classifySiteRequest(method: string | undefined, subPath: string, search: string): SiteAccess | undefined {
  const parts = subPath.replace(/^\/+|\/+$/g, '').split('/').filter(Boolean).map(decode);
  const verb = (method ?? 'GET').toUpperCase();
  if (verb === 'POST') {
    if (parts[0] !== 'studies' || parts.length > 2) return undefined;
    return { kind: 'store', studyUid: parts[1] ?? null };
  }
  if (verb !== 'GET' && verb !== 'HEAD') return undefined;
  const keyPatientIds = patientIdsFromKeys(search);
  if (parts.length === 1 && (parts[0] === 'studies' || parts[0] === 'series' || parts[0] === 'instances')) {
    return { kind: 'search', studyUid: null, keyPatientIds, level: parts[0] };
  }
  if (parts[0] !== 'studies' || !parts[1]) return undefined;
  const studyUid = parts[1];
  const rest = parts.slice(2);
  // studies/{s}/series → the series list; studies/{s}/instances → a search within the study.
  if (rest.length === 1 && rest[0] === 'series') return { kind: 'study-open', studyUid, jsonAnswer: true };
  if (rest.length === 1 && rest[0] === 'instances') return { kind: 'search', studyUid, keyPatientIds, level: 'instances' };
  if (rest.length === 3 && rest[0] === 'series' && rest[2] === 'instances') return { kind: 'search', studyUid, keyPatientIds, level: 'instances' };
  if (rest.length === 1 && rest[0] === 'metadata') return { kind: 'study-open', studyUid, jsonAnswer: true };
  if (rest.length === 3 && rest[0] === 'series' && rest[2] === 'metadata') return { kind: 'study-open', studyUid, jsonAnswer: true };
  if (rest.length === 5 && rest[0] === 'series' && rest[2] === 'instances' && rest[4] === 'metadata') {
    return { kind: 'instance-metadata', studyUid, sopInstanceUid: rest[3]! };
  }
  // Everything else under a study hands out its content: the study, a series, an instance,
  // frames, rendered images, thumbnails, bulk data.
  const sopInstanceUid = rest[0] === 'series' && rest[2] === 'instances' && rest[3] ? rest[3] : null;
  return { kind: 'retrieve', studyUid, sopInstanceUid };
}

interface DicomJsonElement {
  vr?: string;
  Value?: unknown[];
}
/** Tag-keyed DICOM JSON (PS3.18 F.2). */
export type DicomJsonDataset = Record<string, DicomJsonElement | undefined>;

const Tags = {
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  Modality: '00080060',
  PatientID: '00100020',
  OtherPatientIDs: '00101000',
  OtherPatientIDsSequence: '00101002',
  StudyInstanceUID: '0020000D',
} as const;

/** Report objects: SR documents that hold a report (PS3.4 B.5) and encapsulated PDF. */
const ReportSopClasses = new Set([
  '1.2.840.10008.5.1.4.1.1.88.11',
  '1.2.840.10008.5.1.4.1.1.88.22',
  '1.2.840.10008.5.1.4.1.1.88.33',
  '1.2.840.10008.5.1.4.1.1.88.34',
  '1.2.840.10008.5.1.4.1.1.88.35',
  '1.2.840.10008.5.1.4.1.1.104.1',
]);

function strings(dataset: DicomJsonDataset, tag: string): string[] {
  return (dataset[tag]?.Value ?? []).flatMap((value) => (typeof value === 'string' ? value.split('\\') : typeof value === 'number' ? [String(value)] : [])).filter((v) => v.trim());
}

function items(dataset: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  return (dataset[tag]?.Value ?? []).filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null);
}

/** Every patient identifier a dataset carries, normalised, in first-seen order. */
export function patientIdsOf(dataset: DicomJsonDataset): string[] {
  const raw = [
    ...strings(dataset, Tags.PatientID),
    ...strings(dataset, Tags.OtherPatientIDs),
    ...items(dataset, Tags.OtherPatientIDsSequence).flatMap((item) => strings(item, Tags.PatientID)),
  ];
  return [...new Set(raw.map(normalisePatientId))];
}

/** A report is an SR/PDF SOP class, or (when a QIDO answer leaves the class out) Modality SR or DOC. */
export function isReportDataset(dataset: DicomJsonDataset): boolean {
  const sopClass = strings(dataset, Tags.SOPClassUID)[0];
  if (sopClass) return ReportSopClasses.has(sopClass);
  const modality = strings(dataset, Tags.Modality)[0];
  return modality === 'SR' || modality === 'DOC';
}

export interface AnswerFacts {
  /** Patient identifiers per study UID ('' for datasets without one). */
  patientIdsByStudy: Map<string, string[]>;
  /** SOPInstanceUIDs of report objects in the answer. */
  reportInstances: string[];
  /** True when every dataset with a SOP class or modality is a report. */
  allReports: boolean;
  count: number;
}

/** What a DICOM JSON answer disclosed. */
export function readAnswer(datasets: readonly DicomJsonDataset[]): AnswerFacts {
  const patientIdsByStudy = new Map<string, string[]>();
  const reportInstances: string[] = [];
  let typed = 0;
  let reports = 0;
  for (const dataset of datasets) {
    const study = strings(dataset, Tags.StudyInstanceUID)[0] ?? '';
    const ids = patientIdsOf(dataset);
    const known = patientIdsByStudy.get(study) ?? [];
    patientIdsByStudy.set(study, [...new Set([...known, ...ids])]);
    if (dataset[Tags.SOPClassUID] || dataset[Tags.Modality]) {
      typed++;
      if (isReportDataset(dataset)) {
        reports++;
        const sop = strings(dataset, Tags.SOPInstanceUID)[0];
        if (sop) reportInstances.push(sop);
      }
    }
  }
  return { patientIdsByStudy, reportInstances, allReports: typed > 0 && reports === typed, count: datasets.length };
}
