/**
 * What the demo generator promises to tests, the hospitals harness and `npm start`.
 * Written as `manifest.json` next to the generated files; every UID and value in it is
 * deterministic for a given seed, so tests read expectations from here instead of hard-coding.
 * Coordinates are DICOM patient coordinates (LPS, millimetres).
 */

export type DemoSiteKey = 'a' | 'b' | 'c';
export type Vec3 = [number, number, number];

export interface DemoSite {
  key: DemoSiteKey;
  /** Site id used in config and URLs (`/sites/<siteId>/dicom-web`). */
  siteId: string;
  name: string;
  /** IssuerOfPatientID (0010,0021) of this site's local IDs. */
  issuer: string;
  /** Our demo patient's local PatientID at this site. */
  localPatientId: string;
  /** Folder of .dcm files for this site, relative to the manifest's folder. */
  folder: string;
}

export interface DemoSeries {
  SeriesInstanceUID: string;
  Modality: string;
  SeriesDescription: string;
  SeriesNumber: number;
  instanceCount: number;
  /** Transfer syntax UID the files of this series are stored in. */
  transferSyntaxUID: string;
}

export interface DemoStudy {
  /** Stable handle for tests: 'ct-current', 'ct-prior', 'mr-brain', 'us-abdomen', 'trap-*'. */
  key: string;
  siteKey: DemoSiteKey;
  StudyInstanceUID: string;
  StudyDate: string;
  StudyDescription: string;
  ModalitiesInStudy: string[];
  /** Whose study: the demo patient, one of the identity traps, or a hostile-input record. */
  person: 'patient' | 'trap-same-local-id' | 'trap-same-demographics' | 'hostile-name';
  /**
   * How the record carries the patient's identity (absent = the usual form: NHS number in both
   * OtherPatientIDs and OtherPatientIDsSequence). `sequence-only`: the NHS number only in
   * OtherPatientIDsSequence (found by the gateway's indexer, not by a 00101000 query);
   * `spaced-nhs`: the NHS number written with spaces (`999 076 4875`); `demographics-only`: no
   * national ID, a name typo and the same birth date (a possible match that needs a click).
   */
  identityForm?: 'sequence-only' | 'spaced-nhs' | 'demographics-only';
  report: 'sr' | 'pdf' | 'none';
  series: DemoSeries[];
  /** The record's local ID and its issuer at the study's site (added in generator version 1). */
  PatientID?: string;
  IssuerOfPatientID?: string;
  AccessionNumber?: string;
  BodyPartExamined?: 'CHEST' | 'HEAD' | 'ABDOMEN';
  /**
   * The record's PatientName where it is not its person's usual name (the demographics-only
   * record's typo; generator version 3).
   */
  PatientName?: string;
}

export interface CtGeometry {
  rows: number;
  columns: number;
  /** PixelSpacing (0028,0030): [row spacing, column spacing]. */
  pixelSpacing: [number, number];
  sliceCount: number;
  sliceThickness: number;
  /** ImagePositionPatient of the first slice (lowest z, InstanceNumber 1). */
  firstPosition: Vec3;
  /** Distance between consecutive slices along +z, mm. */
  sliceStep: number;
  imageOrientationPatient: [number, number, number, number, number, number];
  rescaleSlope: number;
  rescaleIntercept: number;
  FrameOfReferenceUID: string;
}

export interface CtPhantomTruth {
  studyKey: 'ct-current' | 'ct-prior';
  SeriesInstanceUID: string;
  geometry: CtGeometry;
  lesion: { centre: Vec3; diameterMm: number; hu: number };
  /**
   * A sphere of known size away from the lesion and the landmarks, for the length tool (generator
   * version 4); absent when a reduced test scan does not reach its centre slice.
   */
  calibrationSphere?: { centre: Vec3; diameterMm: number; hu: number };
  /** Points (LPS mm) whose HU is known exactly (± the noise amplitude). */
  landmarks: { name: 'air' | 'lung' | 'soft-tissue' | 'bone' | 'lesion'; point: Vec3; hu: number }[];
  /** Largest deviation from the nominal HU that noise can add. */
  noiseAmplitudeHu: number;
  /**
   * Where the table put the anatomy: this scan's LPS = phantom anatomy coordinates + tableOffset.
   * Differs between current and prior, so the same lesion sits at other patient coordinates.
   */
  tableOffset?: Vec3;
}

export interface DemoPerson {
  PatientName: string;
  PatientBirthDate: string;
  PatientSex: 'M' | 'F' | 'O';
  nhsNumber: string;
}

export interface DemoManifest {
  seed: number;
  /** Fixed "today" (DA, YYYYMMDD) the study dates are relative to; never the clock. */
  referenceDate?: string;
  /** Bumped when the generator's output changes, so caches regenerate. */
  generatorVersion: number;
  patient: DemoPerson;
  sites: DemoSite[];
  studies: DemoStudy[];
  ct: CtPhantomTruth[];
  traps: {
    key: 'trap-same-local-id' | 'trap-same-demographics';
    siteKey: DemoSiteKey;
    person: DemoPerson;
    PatientID: string;
    IssuerOfPatientID: string;
    why: string;
  }[];
  /**
   * A person whose PatientName and StudyDescription are HTML that must be shown as text
   * (generator version 3). Their own valid NHS number; never linked to the demo patient.
   * PN groups split at `=`: DICOM JSON gives Alphabetic `<img src`, Ideographic `x onerror`,
   * Phonetic `alert(1)>`.
   */
  hostile?: {
    key: 'hostile-name';
    siteKey: DemoSiteKey;
    person: DemoPerson;
    PatientID: string;
    IssuerOfPatientID: string;
    StudyDescription: string;
    why: string;
  };
}
