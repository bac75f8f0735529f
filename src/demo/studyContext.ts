/**
 * The patient, study, series and equipment modules every demo object shares. Object writers
 * (CT, MR, SR, …) add their own IOD modules on top of `commonAttributes`.
 */
import type { DemoPerson, DemoSite } from './manifest';
import type { NaturalDataset } from './dicomFile';

export interface StudyContext {
  site: DemoSite;
  person: DemoPerson;
  PatientID: string;
  IssuerOfPatientID: string;
  StudyInstanceUID: string;
  StudyDate: string;
  StudyTime: string;
  AccessionNumber: string;
  StudyID: string;
  StudyDescription: string;
  ReferringPhysicianName: string;
  BodyPartExamined: 'CHEST' | 'HEAD' | 'ABDOMEN';
}

export interface SeriesContext {
  SeriesInstanceUID: string;
  SeriesNumber: number;
  Modality: string;
  SeriesDescription: string;
  /** Absent for objects without a spatial frame (SR, PDF). */
  FrameOfReferenceUID?: string;
}

/** Patient module with the national ID both as OtherPatientIDs and in OtherPatientIDsSequence. */
export function patientAttributes(person: DemoPerson, PatientID: string, IssuerOfPatientID: string): NaturalDataset {
  return {
    PatientName: person.PatientName,
    PatientID,
    IssuerOfPatientID,
    PatientBirthDate: person.PatientBirthDate,
    PatientSex: person.PatientSex,
    OtherPatientIDs: person.nhsNumber,
    OtherPatientIDsSequence: [{ PatientID: person.nhsNumber, IssuerOfPatientID: 'NHS', TypeOfPatientID: 'TEXT' }],
  };
}

export function commonAttributes(study: StudyContext, series: SeriesContext): NaturalDataset {
  return {
    SpecificCharacterSet: 'ISO_IR 100',
    ...patientAttributes(study.person, study.PatientID, study.IssuerOfPatientID),
    StudyInstanceUID: study.StudyInstanceUID,
    StudyDate: study.StudyDate,
    StudyTime: study.StudyTime,
    AccessionNumber: study.AccessionNumber,
    ReferringPhysicianName: study.ReferringPhysicianName,
    StudyID: study.StudyID,
    StudyDescription: study.StudyDescription,
    SeriesInstanceUID: series.SeriesInstanceUID,
    SeriesNumber: series.SeriesNumber,
    SeriesDate: study.StudyDate,
    SeriesTime: study.StudyTime,
    Modality: series.Modality,
    SeriesDescription: series.SeriesDescription,
    BodyPartExamined: study.BodyPartExamined,
    Manufacturer: 'Crossview Demo',
    ManufacturerModelName: 'Synthetic phantom',
    InstitutionName: study.site.name,
    StationName: `${study.site.issuer}DEMO`,
    ...(series.FrameOfReferenceUID !== undefined
      ? { FrameOfReferenceUID: series.FrameOfReferenceUID, PositionReferenceIndicator: '' }
      : {}),
  };
}
