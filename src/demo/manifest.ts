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
  /**
   * Whose study: the demo patient, one of the identity traps, a hostile-input record, or the
   * screening patient whose mammograms exercise the 4-up hanging (generator version 5).
   */
  person: 'patient' | 'trap-same-local-id' | 'trap-same-demographics' | 'hostile-name' | 'screening';
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
  BodyPartExamined?: 'CHEST' | 'HEAD' | 'ABDOMEN' | 'BREAST';
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

/**
 * One mammogram of the screening patient (generator version 5). Every stored image has the chest
 * wall along its LEFT edge (column 0), whichever breast: hanging protocols mirror the right
 * views so the chest walls face each other. Pixel values are stored values (no rescale).
 */
export interface MammogramTruth {
  studyKey: 'mg-current' | 'mg-prior';
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  Laterality: 'R' | 'L';
  ViewPosition: 'CC' | 'MLO';
  rows: number;
  columns: number;
  /** ImagerPixelSpacing (0018,1164), mm: [row spacing, column spacing]. */
  imagerPixelSpacing: [number, number];
  /** The image edge the chest wall lies on, as stored (before any display mirroring). */
  chestWall: 'left';
  /**
   * The breast: half of an ellipse centred on the chest-wall edge at `centreRow`, reaching
   * `depthColumns` into the image and `halfHeightRows` above and below its centre.
   */
  breast: { centreRow: number; depthColumns: number; halfHeightRows: number; minValue: number; maxValue: number };
  /** Value of every pixel outside the breast and the marker (black). */
  background: number;
  /**
   * Bright square blocks in the corner away from the chest wall, one per view number (R CC 1,
   * L CC 2, R MLO 3, L MLO 4), so a screen shows which view it holds; `firstColumn` is the
   * rightmost block's left edge, further blocks step `step` columns to the left.
   */
  marker: { blocks: number; top: number; size: number; firstColumn: number; step: number; value: number };
  /** The pectoral muscle wedge in the upper chest-wall corner: MLO views only. */
  pectoralMuscle: boolean;
}

/** The plan dose on the current CT (generator version 6); see `src/demo/rtDose.ts` for the profile. */
export interface DemoRtDoseTruth {
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  /** The GTV centre (LPS mm): where the dose is `maxGy`. */
  centre: Vec3;
  maxGy: number;
  prescriptionGy: number;
  /** The dose is `maxGy` out to this distance from the centre (the GTV radius). */
  flatRadiusMm: number;
  /** Distance from the centre at which the dose is 50 % of `maxGy` (here also 50 % of the prescription). */
  radius50Mm: number;
  /** Beyond `flatRadiusMm`: maxGy · exp(−(r − flatRadiusMm)² / 2 sigmaMm²). */
  sigmaMm: number;
  /** Voxel spacing along x, y, z (columns, rows, frames), mm. */
  gridSpacingMm: Vec3;
  gridSize: Vec3;
  /** Centre of the first voxel (ImagePositionPatient). */
  firstVoxelCentre: Vec3;
  DoseGridScaling: number;
}

/** Radiotherapy objects on the current chest CT (generator version 6): structure set and plan dose. */
export interface DemoRtTruth {
  studyKey: 'ct-current';
  FrameOfReferenceUID: string;
  ctSeriesInstanceUID: string;
  structureSet: {
    SeriesInstanceUID: string;
    SOPInstanceUID: string;
    rois: { ROINumber: number; ROIName: string; ROIDisplayColor: [number, number, number] }[];
    /** The GTV is the phantom lesion: a sphere. */
    gtv: { ROIName: 'GTV'; centre: Vec3; radiusMm: number; volumeCc: number };
  };
  dose: DemoRtDoseTruth;
}

/** The screening patient: her own NHS number and local IDs at sites A and C, never our patient. */
export interface DemoScreening {
  person: DemoPerson;
  localIds: { siteKey: DemoSiteKey; PatientID: string; IssuerOfPatientID: string }[];
  images: MammogramTruth[];
  why: string;
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
  /** The screening patient and the truth of her mammograms (generator version 5). */
  screening?: DemoScreening;
  /** RT structure set and dose on the current CT (generator version 6). */
  rt?: DemoRtTruth;
  /** The MR thorax at site B, the RT planning protocol's MR prior (generator version 7). */
  mrThorax?: MrThoraxTruth;
  /** A CD from an outside hospital in its own folder, for opening local files (generator version 8). */
  cd?: DemoCdTruth;
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

/** Geometry of the demo MR thorax (T1 axial, its own frame of reference, table 120 mm further in than anatomy). */
export interface MrThoraxTruth {
  SeriesInstanceUID: string;
  FrameOfReferenceUID: string;
  sliceCount: number;
  /** Distance between consecutive slices along +z (InstanceNumber order), mm. */
  sliceStep: number;
  /** ImagePositionPatient of InstanceNumber 1 (lowest z). */
  firstPosition: Vec3;
  /** The lung nodule's centre in this series' patient coordinates. */
  lesionCentre: Vec3;
}

/** What the CD holds and how a reader must treat it (manifest `cd`, generator version 8). */
export interface DemoCdTruth {
  /** Folder of the CD, relative to the manifest's folder. */
  folder: string;
  StudyInstanceUID: string;
  StudyDate: string;
  StudyDescription: string;
  institution: string;
  PatientID: string;
  IssuerOfPatientID: string;
  nhsNumber: string;
  series: DemoSeries[];
  /** Every good image file, relative to `folder`. */
  files: { file: string; SOPInstanceUID: string; SeriesInstanceUID: string; transferSyntaxUID: string }[];
  /** Files on the CD that cannot be used, relative to `folder`, and the start of the reason a reader should give. */
  corrupt: { file: string; reasonStartsWith: string; why: string }[];
  /**
   * A pixel of the CT's middle slice (InstanceNumber `instanceNumber`) whose HU is known exactly
   * (noise included): `point` is its centre in patient coordinates (LPS mm).
   */
  probe: { SeriesInstanceUID: string; instanceNumber: number; point: Vec3; row: number; column: number; hu: number };
}
