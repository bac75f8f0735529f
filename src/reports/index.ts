/**
 * Reports beside images: finding a study's report at any site (SR, encapsulated PDF), rendering
 * SR content into readable sections, checking the report's patient against the study's, and the
 * report state every screen shows. No React: the store calls these, the UI shows their results.
 */
export { reportStateOf, documentStateOf, type ReportState } from './reportState';
export { findStudyReport, type FindReportOptions } from './findReport';
export { loadPdfBytes, isPdf, type PdfBytesResult } from './pdfReport';
export { readSrDocument, type SrDocument, type ReportPerson } from './srDocument';
export { readSrContent, type SrItem, type SrSection, type SrContent } from './srContent';
export { checkReportIdentity, type ExpectedPatient, type IdentityDifference, type ReportIdentity } from './reportIdentity';
export { summariseReport, describePeople, reportDate, NO_REPORT_ANYWHERE, type ReportSummary } from './reportSummary';
export { formatPersonName, formatDate, formatTime, formatDateTime, formatDateAndTime } from './reportText';
export { ReportSopClassUIDs, EncapsulatedPdfStorage, ReportSrClasses, reportKindOf, type ReportKind } from './sopClasses';
export { REPORT_REQUEST_TIMEOUT_MS, firstPartOf, type ReportRequestOptions } from './reportRequests';
export {
  titleOf,
  type StudyReport,
  type FoundReport,
  type SrReport,
  type PdfReport,
  type ReportStudy,
  type ReportSiteFailure,
  type OtherReportDocument,
} from './studyReport';
