/**
 * The patient, study, series and equipment modules every demo object shares. Object writers
 * (CT, MR, SR, …) add their own IOD modules on top of `commonAttributes`.
 */
import type { DemoPerson, DemoSite, DemoStudy } from './manifest';
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
  BodyPartExamined: 'CHEST' | 'HEAD' | 'ABDOMEN' | 'BREAST';
  /** How the record carries the national ID (absent: OtherPatientIDs and OtherPatientIDsSequence). */
  identityForm?: DemoStudy['identityForm'];
}

export interface SeriesContext {
  SeriesInstanceUID: string;
  SeriesNumber: number;
  Modality: string;
  SeriesDescription: string;
  /** Absent for objects without a spatial frame (SR, PDF). */
  FrameOfReferenceUID?: string;
}

/** `9990764875` → `999 076 4875`, the way people write NHS numbers. */
export function spacedNhsNumber(nhsNumber: string): string {
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
}

/**
 * Patient module. Usually the national ID is both in OtherPatientIDs and in
 * OtherPatientIDsSequence; the discovery records carry it the ways real archives do too.
 */
export function patientAttributes(
  person: DemoPerson,
  PatientID: string,
  IssuerOfPatientID: string,
  identityForm?: DemoStudy['identityForm'],
): NaturalDataset {
  const demographics = {
    PatientName: person.PatientName,
    PatientID,
    IssuerOfPatientID,
    PatientBirthDate: person.PatientBirthDate,
    PatientSex: person.PatientSex,
  };
  const item = (id: string) => [{ PatientID: id, IssuerOfPatientID: 'NHS', TypeOfPatientID: 'TEXT' }];
  switch (identityForm) {
    case 'demographics-only':
      return demographics;
    case 'sequence-only':
      return { ...demographics, OtherPatientIDsSequence: item(person.nhsNumber) };
    case 'spaced-nhs': {
      const spaced = spacedNhsNumber(person.nhsNumber);
      return { ...demographics, OtherPatientIDs: spaced, OtherPatientIDsSequence: item(spaced) };
    }
    case undefined:
      return { ...demographics, OtherPatientIDs: person.nhsNumber, OtherPatientIDsSequence: item(person.nhsNumber) };
  }
}

export function commonAttributes(study: StudyContext, series: SeriesContext): NaturalDataset {
  return {
    SpecificCharacterSet: 'ISO_IR 100',
    ...patientAttributes(study.person, study.PatientID, study.IssuerOfPatientID, study.identityForm),
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
