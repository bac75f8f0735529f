/**
 * What parsing local files yields: instances with their identity and where their pixels lie,
 * grouped by study and series, and every file that could not be used with the reason why.
 * Each instance keeps its bytes, so it can be shown at once and later stored at a site.
 */
import type { DicomJsonDataset } from '../contracts/index';

/** One input file: from a dropped folder, a file input, or an entry of a .zip. */
export interface LocalFileInput {
  /** Path as the user gave it (folder-relative, or `archive.zip/inner/path`). */
  path: string;
  bytes: Uint8Array | ArrayBuffer;
}

/** Who and what an instance is, as its own attributes say. */
export interface LocalIdentity {
  PatientID: string;
  IssuerOfPatientID: string;
  PatientName: string;
  PatientBirthDate: string;
  PatientSex: string;
  /** OtherPatientIDs values (national IDs are often carried here). */
  OtherPatientIDs: string[];
  StudyInstanceUID: string;
  StudyDate: string;
  StudyTime: string;
  StudyDescription: string;
  AccessionNumber: string;
  SeriesInstanceUID: string;
  SeriesNumber?: number;
  SeriesDescription: string;
  Modality: string;
  SOPClassUID: string;
  SOPInstanceUID: string;
  InstanceNumber?: number;
}

/** Where an instance's pixel data lies in its file's bytes. */
export type PixelLocation =
  | { kind: 'native'; offset: number; length: number; frameLength: number; frames: number }
  | { kind: 'encapsulated'; frames: number; fragments: { offset: number; length: number }[] };

export interface LocalInstance {
  path: string;
  identity: LocalIdentity;
  transferSyntaxUID: string;
  /** DICOM JSON of the data set, without Pixel Data or other large binary values. */
  metadata: DicomJsonDataset;
  /** Absent for objects without pixels (SR, PDF, RT structures). */
  pixels?: PixelLocation;
  /** The whole Part-10 file, as read. */
  bytes: Uint8Array;
}

export interface LocalSeries {
  SeriesInstanceUID: string;
  Modality: string;
  SeriesDescription: string;
  SeriesNumber?: number;
  /** In InstanceNumber order. */
  instances: LocalInstance[];
}

export interface LocalStudy {
  StudyInstanceUID: string;
  /** The first instance's identity: patient and study attributes. */
  identity: LocalIdentity;
  /** In SeriesNumber order. */
  series: LocalSeries[];
}

export interface RejectedFile {
  path: string;
  /** A sentence a user can act on, with no patient data in it. */
  reason: string;
}

/** A DICOMDIR found among the files, and what it names. */
export interface LocalDirectory {
  path: string;
  /** Paths (as given in the input) of the files it names that are present. */
  referenced: string[];
  /** Files it names that are not among the input, as its ReferencedFileID spells them. */
  missing: string[];
}

export interface LocalFileSet {
  studies: LocalStudy[];
  rejected: RejectedFile[];
  directories: LocalDirectory[];
  /** How many files were looked at, .zip entries included. */
  fileCount: number;
}

/** One file's outcome. */
export type ParsedLocalFile =
  | { kind: 'instance'; instance: LocalInstance }
  | { kind: 'dicomdir'; path: string; referencedFileIds: string[][] }
  | { kind: 'rejected'; path: string; reason: string };
