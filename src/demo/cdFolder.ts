/**
 * A patient's CD from an outside hospital, as a folder: a DICOMDIR and ISO 9660 file names
 * (`DICOM/IM000001`) for one study the demo hospitals do not hold (a short CT chest, a CR and an
 * ultrasound, so native and JPEG baseline both occur), plus two files a real CD can carry that no
 * viewer can use: one cut short in its Pixel Data and one that is not DICOM at all. The outside
 * hospital files the patient under its own local ID; the NHS number is in OtherPatientIDs.
 * Everything comes from its own seeded stream and UID labels, so no other demo file changes.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import dicomParser from 'dicom-parser';
import { ComputedRadiographyImageStorage, encodeCrChest } from './crImage';
import { chestPhantom, renderAxialSlice, TissueHu } from './ctPhantom';
import { CTImageStorage } from './ctSeries';
import { encodePart10, ExplicitVRLittleEndian, JPEGBaselineProcess1, type NaturalDataset } from './dicomFile';
import type { DemoCdTruth, DemoPerson, DemoSite, Vec3 } from './manifest';
import { addDays } from './people';
import { monochrome12 } from './pixelModule';
import { addBoundedNoise, createPrng, hash32 } from './prng';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';
import { ImplementationClassUID, ImplementationVersionName, type UidFactory } from './uids';
import { encodeUltrasound, UltrasoundImageStorage } from './ultrasound';

export const MediaStorageDirectoryStorage = '1.2.840.10008.1.3.10';
export const OutsideHospital = { name: 'St Brigid General Hospital', issuer: 'SBGH' } as const;

const CtSize = 256;
const CtSpacing = 1.5625;
const CtSlices = 5;
const CtStep = 5;
const Intercept = -1024;

interface CdInput {
  uid: UidFactory;
  patient: DemoPerson;
  referenceDate: string;
  outDir: string;
  seed: number;
  /** A demo site record the outside hospital borrows the shape of (only its name and issuer are written). */
  siteShape: DemoSite;
}

function ctSlice(study: StudyContext, series: SeriesContext & { FrameOfReferenceUID: string }, index: number, SOPInstanceUID: string, seed: number) {
  const first: Vec3 = [-((CtSize - 1) / 2) * CtSpacing, -((CtSize - 1) / 2) * CtSpacing, -10];
  const z = first[2] + index * CtStep;
  const pixels = new Uint16Array(CtSize * CtSize);
  const raster = { rows: CtSize, columns: CtSize, x0: first[0], y0: first[1], rowSpacing: CtSpacing, columnSpacing: CtSpacing };
  renderAxialSlice(chestPhantom(18), raster, z, pixels, { background: TissueHu.air - Intercept, valueOf: (layer) => layer.hu - Intercept });
  addBoundedNoise(pixels, 3, hash32(`${seed}|cd-ct|${index}`), 4095);
  const dataset: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: CTImageStorage,
    SOPInstanceUID,
    InstanceNumber: index + 1,
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    PatientPosition: 'HFS',
    KVP: 120,
    SliceThickness: CtStep,
    ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
    ImagePositionPatient: [first[0], first[1], z],
    SliceLocation: z,
    PixelSpacing: [CtSpacing, CtSpacing],
    ...monochrome12(CtSize, CtSize),
    RescaleIntercept: Intercept,
    RescaleSlope: 1,
    RescaleType: 'HU',
    WindowCenter: 40,
    WindowWidth: 400,
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OW' },
  };
  return { bytes: encodePart10(dataset), pixels, first, z };
}

/**
 * Writes `<outDir>/cd/` and returns its truth.
 * @example
 * const cd = await writeDemoCd({ uid, patient, referenceDate, outDir, seed, siteShape: sites[0] });
 */
export async function writeDemoCd(input: CdInput): Promise<DemoCdTruth> {
  const folder = 'cd';
  const root = join(input.outDir, folder);
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'DICOM'), { recursive: true });
  const prng = createPrng(input.seed, 'outside-cd');
  const PatientID = `${OutsideHospital.issuer}${prng.int(100_000, 999_999)}`;
  const StudyDate = addDays(input.referenceDate, -prng.int(20, 40));
  const study: StudyContext = {
    site: { ...input.siteShape, siteId: 'outside', name: OutsideHospital.name, issuer: OutsideHospital.issuer, localPatientId: PatientID, folder },
    person: input.patient,
    PatientID,
    IssuerOfPatientID: OutsideHospital.issuer,
    StudyInstanceUID: input.uid('cd/study'),
    StudyDate,
    StudyTime: `${String(prng.int(8, 17)).padStart(2, '0')}${String(prng.int(10, 59))}00`,
    AccessionNumber: `${OutsideHospital.issuer}${prng.int(1_000_000, 9_999_999)}`,
    StudyID: `E${prng.int(1000, 9999)}`,
    StudyDescription: 'CT Chest (outside hospital)',
    ReferringPhysicianName: 'KAPOOR^Anil^^Dr',
    BodyPartExamined: 'CHEST',
  };
  const seriesOf = (SeriesNumber: number, Modality: string, SeriesDescription: string, FrameOfReferenceUID?: string): SeriesContext => ({
    SeriesInstanceUID: input.uid(`cd/series/${SeriesNumber}`),
    SeriesNumber,
    Modality,
    SeriesDescription,
    ...(FrameOfReferenceUID ? { FrameOfReferenceUID } : {}),
  });
  const ct = seriesOf(1, 'CT', 'Chest 5 mm', input.uid('cd/frame')) as SeriesContext & { FrameOfReferenceUID: string };
  const cr = seriesOf(2, 'CR', 'Chest PA');
  const us = seriesOf(3, 'US', 'Liver');

  const written: { file: string; bytes: Uint8Array; SOPClassUID: string; SOPInstanceUID: string; series: SeriesContext; transferSyntaxUID: string }[] = [];
  const add = (bytes: Uint8Array, SOPClassUID: string, SOPInstanceUID: string, series: SeriesContext, transferSyntaxUID: string) =>
    written.push({ file: `DICOM/IM${String(written.length + 1).padStart(6, '0')}`, bytes, SOPClassUID, SOPInstanceUID, series, transferSyntaxUID });

  const middle = Math.floor(CtSlices / 2);
  let probe: DemoCdTruth['probe'] | undefined;
  for (let i = 0; i < CtSlices; i++) {
    const SOPInstanceUID = input.uid(`cd/ct/${i}`);
    const slice = ctSlice(study, ct, i, SOPInstanceUID, input.seed);
    add(slice.bytes, CTImageStorage, SOPInstanceUID, ct, ExplicitVRLittleEndian);
    if (i === middle) {
      // Soft tissue of the body wall, left of the right lung: away from every edge.
      const row = Math.round(CtSize / 2 + 10);
      const column = Math.round(CtSize / 2 - 100 / CtSpacing);
      const stored = slice.pixels[row * CtSize + column] ?? 0;
      probe = { SeriesInstanceUID: ct.SeriesInstanceUID, instanceNumber: i + 1, row, column, hu: stored + Intercept, point: [slice.first[0] + column * CtSpacing, slice.first[1] + row * CtSpacing, slice.z] };
    }
  }
  const crUid = input.uid('cd/cr/0');
  add(encodeCrChest(study, cr, crUid, input.seed), ComputedRadiographyImageStorage, crUid, cr, ExplicitVRLittleEndian);
  const usUid = input.uid('cd/us/0');
  add(encodeUltrasound(study, us, usUid, input.seed), UltrasoundImageStorage, usUid, us, JPEGBaselineProcess1);

  // A copy that stopped short (a scratched disc): the last CT slice's bytes cut inside its Pixel Data.
  const cut = written[CtSlices - 1]!.bytes;
  const truncated = cut.subarray(0, cut.length - 4096);
  const truncatedFile = `DICOM/IM${String(written.length + 1).padStart(6, '0')}`;
  // A file the disc's autorun viewer left beside the images.
  const notDicomFile = 'DICOM/VIEWER.INI';
  const notDicom = new TextEncoder().encode(
    '[Viewer]\r\nAutostart=1\r\nLanguage=en\r\nShowAnnotations=1\r\nCacheFolder=%TEMP%\\DiscViewer\r\nLicence=Read-only disc viewer, not for diagnosis\r\nWindowPreset=Soft tissue\r\n',
  );

  for (const entry of written) await writeFile(join(root, entry.file), entry.bytes);
  await writeFile(join(root, truncatedFile), truncated);
  await writeFile(join(root, notDicomFile), notDicom);
  await writeFile(join(root, 'DICOMDIR'), encodeDicomDir(study, [ct, cr, us], written, truncatedFile));

  if (!probe) throw new Error('writeDemoCd: no probe slice');
  return {
    folder,
    StudyInstanceUID: study.StudyInstanceUID,
    StudyDate,
    StudyDescription: study.StudyDescription,
    institution: OutsideHospital.name,
    PatientID,
    IssuerOfPatientID: OutsideHospital.issuer,
    nhsNumber: input.patient.nhsNumber,
    series: [ct, cr, us].map((s) => {
      const files = written.filter((w) => w.series === s);
      return { SeriesInstanceUID: s.SeriesInstanceUID, Modality: s.Modality, SeriesDescription: s.SeriesDescription, SeriesNumber: s.SeriesNumber, instanceCount: files.length, transferSyntaxUID: files[0]!.transferSyntaxUID };
    }),
    files: written.map((w) => ({ file: w.file, SOPInstanceUID: w.SOPInstanceUID, SeriesInstanceUID: w.series.SeriesInstanceUID, transferSyntaxUID: w.transferSyntaxUID })),
    corrupt: [
      { file: truncatedFile, reasonStartsWith: 'truncated', why: `A copy of ${written[CtSlices - 1]!.file} missing its last 4096 bytes; the DICOMDIR names it.` },
      { file: notDicomFile, reasonStartsWith: 'not DICOM', why: 'A viewer settings file, not DICOM; the DICOMDIR does not name it.' },
    ],
    probe,
  };
}

/**
 * A DICOMDIR (PS3.10 file-set, PS3.3 F.3) with PATIENT → STUDY → SERIES → IMAGE records and real
 * record offsets: written once with zero offsets, the records' byte positions read back, written
 * again (the offsets are fixed-size UL, so nothing moves).
 */
function encodeDicomDir(
  study: StudyContext,
  series: SeriesContext[],
  files: { file: string; SOPClassUID: string; SOPInstanceUID: string; series: SeriesContext; transferSyntaxUID: string }[],
  extraImage: string,
): Uint8Array {
  type Rec = NaturalDataset & { next?: number; lower?: number };
  const records: Rec[] = [];
  const patient = records.push({ DirectoryRecordType: 'PATIENT', PatientName: study.person.PatientName, PatientID: study.PatientID }) - 1;
  const studyRec = records.push({ DirectoryRecordType: 'STUDY', StudyInstanceUID: study.StudyInstanceUID, StudyDate: study.StudyDate, StudyTime: study.StudyTime, StudyDescription: study.StudyDescription, AccessionNumber: study.AccessionNumber, StudyID: study.StudyID }) - 1;
  records[patient]!.lower = studyRec;
  let previousSeries: number | undefined;
  for (const s of series) {
    const index = records.push({ DirectoryRecordType: 'SERIES', SeriesInstanceUID: s.SeriesInstanceUID, Modality: s.Modality, SeriesNumber: s.SeriesNumber }) - 1;
    if (previousSeries === undefined) records[studyRec]!.lower = index;
    else records[previousSeries]!.next = index;
    previousSeries = index;
    const images = files.filter((f) => f.series === s);
    // The truncated copy is named under the CT series, as the disc's index listed it.
    const named = s === series[0] ? [...images.map((f) => ({ ...f })), { ...images[images.length - 1]!, file: extraImage, SOPInstanceUID: `${images[images.length - 1]!.SOPInstanceUID}.1` }] : images;
    let previousImage: number | undefined;
    named.forEach((f, i) => {
      const imageIndex = records.push({
        DirectoryRecordType: 'IMAGE',
        ReferencedFileID: f.file.split('/'),
        ReferencedSOPClassUIDInFile: f.SOPClassUID,
        ReferencedSOPInstanceUIDInFile: f.SOPInstanceUID,
        ReferencedTransferSyntaxUIDInFile: f.transferSyntaxUID,
        InstanceNumber: i + 1,
      }) - 1;
      if (previousImage === undefined) records[index]!.lower = imageIndex;
      else records[previousImage]!.next = imageIndex;
      previousImage = imageIndex;
    });
  }
  const write = (offsets: number[]) => {
    const items = records.map(({ next, lower, ...rest }) => ({
      OffsetOfTheNextDirectoryRecord: next !== undefined ? offsets[next]! : 0,
      RecordInUseFlag: 0xffff,
      OffsetOfReferencedLowerLevelDirectoryEntity: lower !== undefined ? offsets[lower]! : 0,
      ...rest,
      // dcmjs's dictionary has the offsets' retired VR "up"; PS3.6 now says UL.
      _vrMap: { OffsetOfTheNextDirectoryRecord: 'UL', OffsetOfReferencedLowerLevelDirectoryEntity: 'UL' },
    }));
    const dataset: NaturalDataset = {
      FileSetID: 'CROSSVIEW_CD',
      OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity: offsets[patient] ?? 0,
      OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity: offsets[patient] ?? 0,
      FileSetConsistencyFlag: 0,
      DirectoryRecordSequence: items,
      _vrMap: { OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity: 'UL', OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity: 'UL' },
    };
    const meta = {
      FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
      MediaStorageSOPClassUID: MediaStorageDirectoryStorage,
      MediaStorageSOPInstanceUID: `${study.StudyInstanceUID}.0`,
      TransferSyntaxUID: ExplicitVRLittleEndian,
      ImplementationClassUID,
      ImplementationVersionName,
    };
    const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
    dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset);
    return new Uint8Array(dict.write());
  };
  const draft = write(records.map(() => 0));
  // An item's tag starts 8 bytes before its data; offsets count from the first byte of the file.
  const items = dicomParser.parseDicom(draft).elements.x00041220?.items ?? [];
  if (items.length !== records.length) throw new Error('encodeDicomDir: record count changed on reading back');
  return write(items.map((item) => item.dataOffset - 8));
}
