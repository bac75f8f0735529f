/**
 * Which stored objects are reports. Structured reports that carry a clinician's narrative or
 * measurements count; SR classes that are not reports to a reader (key object selections,
 * radiation dose, CAD output) do not, so a study with only a dose SR is still "missing" a report.
 */

/** SR storage classes that hold a report (PS3.4 B.5). */
export const ReportSrClasses = {
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.88.34': 'Comprehensive 3D SR',
  '1.2.840.10008.5.1.4.1.1.88.35': 'Extensible SR',
} as const;

export const EncapsulatedPdfStorage = '1.2.840.10008.5.1.4.1.1.104.1';

export type ReportKind = 'sr' | 'pdf';

export function reportKindOf(SOPClassUID: string | undefined): ReportKind | undefined {
  if (!SOPClassUID) return undefined;
  if (SOPClassUID === EncapsulatedPdfStorage) return 'pdf';
  return SOPClassUID in ReportSrClasses ? 'sr' : undefined;
}

/** Every report SOP class, for a QIDO `SOPClassUID` list match. */
export const ReportSopClassUIDs: readonly string[] = [...Object.keys(ReportSrClasses), EncapsulatedPdfStorage];
