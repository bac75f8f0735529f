/** What a study's report lookup comes to: the report found (SR or PDF) or "missing", with provenance. */
import type { SiteFailureKind } from '../sites/index';
import type { ReportIdentity } from './reportIdentity';
import type { SrDocument } from './srDocument';

/** The part of a timeline study report finding needs (a `TimelineStudy` fits). */
export interface ReportStudy {
  StudyInstanceUID: string;
  PatientName?: string;
  PatientBirthDate?: string;
  locations: readonly { siteId: string; PatientID: string; IssuerOfPatientID: string }[];
}

/** A site that could not be asked, or did not answer: never evidence that no report exists. */
export interface ReportSiteFailure {
  siteId: string;
  kind: SiteFailureKind;
  message: string;
}

interface ReportSource {
  siteId: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  SOPInstanceUID: string;
  SOPClassUID: string;
  state: 'final' | 'preliminary';
  /** The report's own patient attributes against the study's: a mismatch is shown in red. */
  identity: ReportIdentity;
}

export type SrReport = ReportSource & { kind: 'sr'; document: SrDocument };

export type PdfReport = ReportSource & {
  kind: 'pdf';
  title: string;
  ContentDate?: string;
  ContentTime?: string;
  /** Where the PDF bytes are, always under the site's DICOMweb root through the gateway. */
  bulkDataUri?: string;
  /** Base64 bytes when the site sent the document inline. */
  inlineBinary?: string;
  EncapsulatedDocumentLength?: number;
};

export type FoundReport = SrReport | PdfReport;

/** Another report document of the same study (an addendum, a measurement report, a copy elsewhere). */
export interface OtherReportDocument {
  siteId: string;
  kind: FoundReport['kind'];
  title: string;
  state: FoundReport['state'];
  SOPInstanceUID: string;
}

export type StudyReport =
  | (FoundReport & { otherDocuments: OtherReportDocument[]; failedSites: ReportSiteFailure[] })
  | { state: 'missing'; checkedSites: string[]; failedSites: ReportSiteFailure[] };

export function titleOf(report: FoundReport): string {
  return report.kind === 'sr' ? report.document.title : report.title;
}
