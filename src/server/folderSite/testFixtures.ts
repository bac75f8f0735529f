/**
 * Tiny Part-10 files for the folder site's unit tests (the real demo data comes from src/demo).
 * Only tests import this.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

export interface FixtureInstance {
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  PatientName: string;
  PatientID: string;
  IssuerOfPatientID?: string;
  OtherPatientIDs?: string[];
  PatientBirthDate?: string;
  StudyDate: string;
  Modality: string;
  InstanceNumber?: number;
  SeriesNumber?: number;
  AccessionNumber?: string;
  rows?: number;
  columns?: number;
  /** Native frames (16-bit); each frame is filled with its frame number. */
  numberOfFrames?: number;
  /** Encapsulated: one fragment per entry, `frameStarts` marks which begin a frame. */
  fragments?: Uint8Array[];
  transferSyntaxUID?: string;
}

export function fixtureDataset(f: FixtureInstance): Record<string, unknown> {
  const rows = f.rows ?? 4;
  const columns = f.columns ?? 4;
  const frames = f.numberOfFrames ?? 1;
  const pixels = new Uint16Array(rows * columns * frames);
  for (let i = 0; i < frames; i++) pixels.fill(i + 1, i * rows * columns, (i + 1) * rows * columns);
  return {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    SOPInstanceUID: f.SOPInstanceUID,
    StudyInstanceUID: f.StudyInstanceUID,
    SeriesInstanceUID: f.SeriesInstanceUID,
    PatientName: f.PatientName,
    PatientID: f.PatientID,
    ...(f.IssuerOfPatientID ? { IssuerOfPatientID: f.IssuerOfPatientID } : {}),
    ...(f.OtherPatientIDs ? { OtherPatientIDs: f.OtherPatientIDs.length === 1 ? f.OtherPatientIDs[0] : f.OtherPatientIDs } : {}),
    PatientBirthDate: f.PatientBirthDate ?? '19600101',
    PatientSex: 'F',
    StudyDate: f.StudyDate,
    StudyTime: '101010',
    StudyID: '1',
    AccessionNumber: f.AccessionNumber ?? 'ACC1',
    Modality: f.Modality,
    SeriesNumber: f.SeriesNumber ?? 1,
    InstanceNumber: f.InstanceNumber ?? 1,
    SeriesDescription: `${f.Modality} series`,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    ...(frames > 1 ? { NumberOfFrames: frames } : {}),
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 0,
    _vrMap: { PixelData: f.fragments ? 'OB' : 'OW' },
    PixelData: f.fragments ? f.fragments.map((frag) => frag.buffer) : [pixels.buffer],
  };
}

export function fixtureBytes(f: FixtureInstance): Buffer {
  const dataset = fixtureDataset(f);
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: f.SOPInstanceUID,
    TransferSyntaxUID: f.transferSyntaxUID ?? '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1096.1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return Buffer.from(dict.write({ fragmentMultiframe: false }));
}

export function writeFixtures(dir: string, instances: readonly FixtureInstance[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of instances) writeFileSync(join(dir, `${f.SOPInstanceUID}.dcm`), fixtureBytes(f));
}

/** Two patients, three studies: enough to prove every QIDO matching rule. */
export function standardFixtures(): FixtureInstance[] {
  const base = { PatientBirthDate: '19700412', IssuerOfPatientID: 'NCC' };
  return [
    { ...base, StudyInstanceUID: '1.2.3.1', SeriesInstanceUID: '1.2.3.1.1', SOPInstanceUID: '1.2.3.1.1.1', PatientName: 'Hartley^Ann^^Mrs', PatientID: 'NCC001', OtherPatientIDs: ['9434765919', 'OLD77'], StudyDate: '20240115', Modality: 'CT', InstanceNumber: 2 },
    { ...base, StudyInstanceUID: '1.2.3.1', SeriesInstanceUID: '1.2.3.1.1', SOPInstanceUID: '1.2.3.1.1.2', PatientName: 'Hartley^Ann^^Mrs', PatientID: 'NCC001', OtherPatientIDs: ['9434765919', 'OLD77'], StudyDate: '20240115', Modality: 'CT', InstanceNumber: 1, numberOfFrames: 3 },
    { ...base, StudyInstanceUID: '1.2.3.1', SeriesInstanceUID: '1.2.3.1.2', SOPInstanceUID: '1.2.3.1.2.1', PatientName: 'Hartley^Ann^^Mrs', PatientID: 'NCC001', OtherPatientIDs: ['9434765919', 'OLD77'], StudyDate: '20240115', Modality: 'SR', SeriesNumber: 2 },
    { ...base, StudyInstanceUID: '1.2.3.2', SeriesInstanceUID: '1.2.3.2.1', SOPInstanceUID: '1.2.3.2.1.1', PatientName: 'Hartley^Ann^^Mrs', PatientID: 'NCC001', OtherPatientIDs: ['9434765919'], StudyDate: '20230701', Modality: 'MR' },
    { StudyInstanceUID: '1.2.3.3', SeriesInstanceUID: '1.2.3.3.1', SOPInstanceUID: '1.2.3.3.1.1', PatientName: 'Hartford^Bob', PatientID: 'NCC002', IssuerOfPatientID: 'NCC', OtherPatientIDs: ['4010232137'], PatientBirthDate: '19551111', StudyDate: '20240301', Modality: 'CT', AccessionNumber: 'ACC9' },
  ];
}
