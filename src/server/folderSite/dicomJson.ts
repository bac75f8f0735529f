/**
 * DICOM JSON (PS3.18 F.2) as the folder site keeps and serves it: tag-keyed elements with a VR
 * and a Value array; person names as `{Alphabetic}`. dcmjs's "denaturalised" datasets already
 * have this shape, so they are used as-is once bulk values are taken out.
 */
import dcmjs from 'dcmjs';
import type { DicomJsonDataset, DicomJsonElement, PersonNameValue } from '../../contracts/index';

export type { DicomJsonDataset, DicomJsonElement, PersonNameValue };

const { DicomMetaDictionary } = dcmjs.data;

/** `PatientID` or `00100020` (any case) → `00100020`; undefined for anything else. */
export function tagForKey(key: string): string | undefined {
  if (/^[0-9a-fA-F]{8}$/.test(key)) return key.toUpperCase();
  const entry = DicomMetaDictionary.nameMap[key];
  return entry ? DicomMetaDictionary.unpunctuateTag(entry.tag).toUpperCase() : undefined;
}

/** The dictionary VR of a tag (first of a multi-VR like `OB or OW`); `UN` when unknown. */
export function vrForTag(tag: string): string {
  const entry = DicomMetaDictionary.dictionary[DicomMetaDictionary.punctuateTag(tag)];
  return entry?.vr.split(/\s|\//)[0] ?? 'UN';
}

/** Values of an element as strings: PN as its Alphabetic form, numbers printed. */
export function stringValues(element: DicomJsonElement | undefined): string[] {
  if (!element?.Value) return [];
  return element.Value.flatMap((value): string[] => {
    if (typeof value === 'string') return [value.trim()];
    if (typeof value === 'number') return [String(value)];
    if (value && typeof value === 'object' && element.vr === 'PN') return [(value as PersonNameValue).Alphabetic ?? ''];
    return [];
  });
}

export function firstString(dataset: DicomJsonDataset, tag: string): string | undefined {
  return stringValues(dataset[tag])[0];
}

export function firstNumber(dataset: DicomJsonDataset, tag: string): number | undefined {
  const value = dataset[tag]?.Value?.[0];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Items of a sequence element, as datasets. */
export function sequenceItems(element: DicomJsonElement | undefined): DicomJsonDataset[] {
  if (element?.vr !== 'SQ' || !element.Value) return [];
  return element.Value.filter((item): item is DicomJsonDataset => typeof item === 'object' && item !== null);
}

export const Tags = {
  TransferSyntaxUID: '00020010',
  SpecificCharacterSet: '00080005',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  StudyTime: '00080030',
  AccessionNumber: '00080050',
  InstanceAvailability: '00080056',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  ReferringPhysicianName: '00080090',
  TimezoneOffsetFromUTC: '00080201',
  SeriesDescription: '0008103E',
  RetrieveURL: '00081190',
  PatientName: '00100010',
  PatientID: '00100020',
  IssuerOfPatientID: '00100021',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  StudyID: '00200010',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
  SamplesPerPixel: '00280002',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  BitsAllocated: '00280100',
  PerformedProcedureStepStartDate: '00400244',
  PerformedProcedureStepStartTime: '00400245',
  RequestAttributesSequence: '00400275',
  PixelData: '7FE00010',
} as const;
