/**
 * Identity coercion of one Part 10 instance on its way to another hospital (PS3.3 C.12.1.1.9,
 * IHE "Import Reconciliation"): PatientID and IssuerOfPatientID become the target's local ID,
 * the national ID is kept in OtherPatientIDsSequence, and the replaced values go into
 * OriginalAttributesSequence so the change can be traced and undone. Edits the dataset as dcmjs
 * read it (tag-keyed), so everything else — pixel data, private tags, sequences — is written back
 * as it came.
 */
import dcmjs from 'dcmjs';

const { DicomMessage } = dcmjs.data;

type Element = { vr: string; Value?: unknown[] };
type Dataset = Record<string, Element>;

export const CoercionTags = {
  PatientName: '00100010',
  PatientID: '00100020',
  IssuerOfPatientID: '00100021',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  TypeOfPatientID: '00100022',
  OtherPatientIDsSequence: '00101002',
  ModifiedAttributesSequence: '04000550',
  OriginalAttributesSequence: '04000561',
  AttributeModificationDateTime: '04000562',
  ModifyingSystem: '04000563',
  SourceOfPreviousValues: '04000564',
  ReasonForTheAttributeModification: '04000565',
} as const;

export interface CoercedIdentity {
  PatientID: string;
  IssuerOfPatientID: string;
  /** Digits only; written with `nationalIdIssuer`. */
  nationalId: string;
  nationalIdIssuer: string;
  /** Who held the previous values (the source hospital's name), for SourceOfPreviousValues. */
  previousSource: string;
  /** The target's own demographics, when they win over the instance's (an import filed under the site's record). */
  demographics?: { PatientName?: string; PatientBirthDate?: string; PatientSex?: string };
}

const text = (element: Element | undefined): string | undefined => {
  const value = element?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
};

const lo = (value: string): Element => ({ vr: 'LO', Value: [value] });

/** DICOM DT in UTC, e.g. `20261123190600.000000+0000`. */
export function dicomDateTime(at: Date): string {
  const iso = at.toISOString(); // 2026-11-23T19:06:00.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}.${iso.slice(20, 23)}000+0000`;
}

/**
 * The instance with the target's identity; `at` stamps AttributeModificationDateTime.
 * Throws `coerceIdentity: …` when the bytes are not a DICOM file dcmjs can read.
 */
export function coerceIdentity(part10: ArrayBuffer, identity: CoercedIdentity, at: Date): ArrayBuffer {
  let dicomDict: ReturnType<typeof DicomMessage.readFile>;
  try {
    dicomDict = DicomMessage.readFile(part10);
  } catch (error) {
    throw new Error(`coerceIdentity: not a readable DICOM file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const dataset = dicomDict.dict as Dataset;
  const modified: Dataset = {};

  const oldId = dataset[CoercionTags.PatientID];
  const oldIssuer = dataset[CoercionTags.IssuerOfPatientID];
  if (text(oldId) !== identity.PatientID || text(oldIssuer) !== identity.IssuerOfPatientID) {
    modified[CoercionTags.PatientID] = oldId ?? { vr: 'LO', Value: [] };
    modified[CoercionTags.IssuerOfPatientID] = oldIssuer ?? { vr: 'LO', Value: [] };
    dataset[CoercionTags.PatientID] = lo(identity.PatientID);
    dataset[CoercionTags.IssuerOfPatientID] = lo(identity.IssuerOfPatientID);
  }

  const demographicVr = { PatientName: 'PN', PatientBirthDate: 'DA', PatientSex: 'CS' } as const;
  for (const [keyword, vr] of Object.entries(demographicVr) as [keyof typeof demographicVr, string][]) {
    const value = identity.demographics?.[keyword];
    const tag = CoercionTags[keyword];
    const old = dataset[tag];
    const oldText = vr === 'PN' ? (old?.Value?.[0] as { Alphabetic?: string } | undefined)?.Alphabetic : text(old);
    if (!value || (oldText ?? '').trim() === value) continue;
    modified[tag] = old ?? { vr, Value: [] };
    dataset[tag] = { vr, Value: [vr === 'PN' ? { Alphabetic: value } : value] };
  }

  const others = dataset[CoercionTags.OtherPatientIDsSequence];
  const items = (others?.Value ?? []).filter((item): item is Dataset => typeof item === 'object' && item !== null);
  const hasNational = items.some(
    (item) => text(item[CoercionTags.IssuerOfPatientID]) === identity.nationalIdIssuer && (text(item[CoercionTags.PatientID]) ?? '').replace(/\s/g, '') === identity.nationalId,
  );
  if (!hasNational && identity.nationalId) {
    if (others) modified[CoercionTags.OtherPatientIDsSequence] = others;
    const national: Dataset = {
      [CoercionTags.PatientID]: lo(identity.nationalId),
      [CoercionTags.IssuerOfPatientID]: lo(identity.nationalIdIssuer),
      [CoercionTags.TypeOfPatientID]: { vr: 'CS', Value: ['TEXT'] },
    };
    dataset[CoercionTags.OtherPatientIDsSequence] = { vr: 'SQ', Value: [...items, national] };
  }

  if (Object.keys(modified).length > 0) {
    const record: Dataset = {
      [CoercionTags.ModifiedAttributesSequence]: { vr: 'SQ', Value: [modified] },
      [CoercionTags.AttributeModificationDateTime]: { vr: 'DT', Value: [dicomDateTime(at)] },
      [CoercionTags.ModifyingSystem]: lo('Crossview'),
      [CoercionTags.SourceOfPreviousValues]: lo(identity.previousSource),
      [CoercionTags.ReasonForTheAttributeModification]: { vr: 'CS', Value: ['COERCE'] },
    };
    // Earlier modifications (by other systems) stay; ours is added after them.
    const earlier = dataset[CoercionTags.OriginalAttributesSequence]?.Value ?? [];
    dataset[CoercionTags.OriginalAttributesSequence] = { vr: 'SQ', Value: [...earlier, record] };
  }
  return dicomDict.write();
}
