/** Hand-made timeline studies and series for the hanging tests (no DICOM, no servers). */
import type { HangingSeries, HangingStudy } from './studyFacts';

export function study(
  StudyInstanceUID: string,
  StudyDate: string,
  StudyDescription: string,
  ModalitiesInStudy: string[],
  siteIds: string[],
  StudyTime = '100000',
): HangingStudy {
  return {
    StudyInstanceUID,
    StudyDate,
    StudyTime,
    StudyDescription,
    ModalitiesInStudy,
    locations: siteIds.map((siteId) => ({ siteId, PatientID: `${siteId}-1`, IssuerOfPatientID: siteId.toUpperCase(), linkBasis: 'national-id' as const })),
  };
}

export function series(SeriesInstanceUID: string, Modality: string, SeriesDescription: string, NumberOfSeriesRelatedInstances: number, extra: Partial<HangingSeries> = {}): HangingSeries {
  return { SeriesInstanceUID, Modality, SeriesDescription, NumberOfSeriesRelatedInstances, SeriesNumber: Number(SeriesInstanceUID.replace(/\D/g, '')) || 1, ...extra };
}

export const Axial = [1, 0, 0, 0, 1, 0] as const;
export const Sagittal = [0, 1, 0, 0, 0, -1] as const;
