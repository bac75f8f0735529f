/**
 * Finds a study's report at every site that holds the study, all sites at once. Each location is
 * asked for instances of report SOP classes, then each candidate's metadata (an SR's content tree
 * is in its metadata; a PDF's bytes stay behind a BulkDataURI until opened). Every answer is
 * re-checked here: a site that ignores the SOP class filter cannot make an image look like a
 * report. A site that fails is listed as not checked, so "missing" is only said of sites that answered.
 */
import { naturalize, textOf, type DicomJsonDataset, type DicomRecord, type Site, type SiteOutcome } from '../sites/index';
import { checkReportIdentity } from './reportIdentity';
import { retrieveInstanceMetadata, searchReportInstances, type ReportRequestOptions } from './reportRequests';
import { documentStateOf } from './reportState';
import { reportKindOf } from './sopClasses';
import { readSrDocument } from './srDocument';
import { titleOf, type FoundReport, type ReportSiteFailure, type ReportStudy, type StudyReport } from './studyReport';

export interface FindReportOptions extends ReportRequestOptions {
  /** The linked person's national IDs, for the identity check. */
  nationalIds?: readonly string[];
  nationalIdIssuer?: string;
  /** Report documents read per site; more are rare and each costs a request. */
  maxDocumentsPerSite?: number;
}

type Location = ReportStudy['locations'][number];
type SiteReports = { kind: 'ok'; siteId: string; reports: FoundReport[] } | ReportSiteFailure;

const failureOf = (outcome: Exclude<SiteOutcome<unknown>, { kind: 'ok' }>): ReportSiteFailure => ({ siteId: outcome.siteId, kind: outcome.kind, message: outcome.message });

function pdfSource(dataset: DicomJsonDataset, site: Site, instanceUrl: string): { bulkDataUri?: string; inlineBinary?: string } {
  const element = dataset['00420011'];
  if (element?.InlineBinary) return { inlineBinary: element.InlineBinary };
  const fallback = `${instanceUrl}/bulk/00420011`;
  if (!element?.BulkDataURI) return { bulkDataUri: fallback };
  // Only ever fetch from this site's own root through the gateway, whatever the metadata says.
  const resolved = new URL(element.BulkDataURI, `${instanceUrl}/`).href;
  return { bulkDataUri: resolved.startsWith(`${site.dicomwebRoot}/`) ? resolved : fallback };
}

function reportFrom(dataset: DicomJsonDataset, site: Site, study: ReportStudy, location: Location, options: FindReportOptions): FoundReport | undefined {
  const record: DicomRecord = naturalize(dataset);
  const SOPClassUID = textOf(record, 'SOPClassUID') ?? '';
  const kind = reportKindOf(SOPClassUID);
  if (!kind || textOf(record, 'StudyInstanceUID') !== study.StudyInstanceUID) return undefined;
  const source = {
    siteId: site.id,
    StudyInstanceUID: study.StudyInstanceUID,
    SeriesInstanceUID: textOf(record, 'SeriesInstanceUID') ?? '',
    SOPInstanceUID: textOf(record, 'SOPInstanceUID') ?? '',
    SOPClassUID,
    identity: checkReportIdentity(record, {
      PatientID: location.PatientID,
      IssuerOfPatientID: location.IssuerOfPatientID,
      ...(study.PatientName ? { PatientName: study.PatientName } : {}),
      ...(study.PatientBirthDate ? { PatientBirthDate: study.PatientBirthDate } : {}),
      nationalIds: options.nationalIds ?? [],
      nationalIdIssuer: options.nationalIdIssuer ?? 'NHS',
    }),
  };
  if (kind === 'sr') {
    const document = readSrDocument(record);
    return { ...source, kind, state: document.state, document };
  }
  const instanceUrl = `${site.dicomwebRoot}/studies/${encodeURIComponent(source.StudyInstanceUID)}/series/${encodeURIComponent(source.SeriesInstanceUID)}/instances/${encodeURIComponent(source.SOPInstanceUID)}`;
  const length = Number(textOf(record, 'EncapsulatedDocumentLength'));
  const optional = (key: string, value: string | undefined) => (value ? { [key]: value } : {});
  return {
    ...source,
    kind,
    state: documentStateOf({ VerificationFlag: textOf(record, 'VerificationFlag') }),
    title: textOf(record, 'DocumentTitle') || textOf(record, 'SeriesDescription') || 'PDF report',
    ...optional('ContentDate', textOf(record, 'ContentDate')),
    ...optional('ContentTime', textOf(record, 'ContentTime')),
    ...(Number.isInteger(length) && length > 0 ? { EncapsulatedDocumentLength: length } : {}),
    ...pdfSource(dataset, site, instanceUrl),
  };
}

async function reportsAtLocation(site: Site, study: ReportStudy, location: Location, options: FindReportOptions): Promise<SiteReports> {
  const found = await searchReportInstances(site, study.StudyInstanceUID, options);
  if (found.kind !== 'ok') return failureOf(found);
  const candidates = found.value
    .map((dataset) => ({ dataset, record: naturalize(dataset) }))
    .filter(({ record }) => reportKindOf(textOf(record, 'SOPClassUID')) !== undefined)
    .filter(({ record }) => (textOf(record, 'StudyInstanceUID') ?? study.StudyInstanceUID) === study.StudyInstanceUID)
    .slice(0, options.maxDocumentsPerSite ?? 4);
  const answers = await Promise.all(
    candidates.map(({ record }) =>
      retrieveInstanceMetadata(site, study.StudyInstanceUID, textOf(record, 'SeriesInstanceUID') ?? '', textOf(record, 'SOPInstanceUID') ?? '', options),
    ),
  );
  const reports: FoundReport[] = [];
  for (const answer of answers) {
    if (answer.kind !== 'ok') return failureOf(answer);
    const report = reportFrom(answer.value, site, study, location, options);
    if (report) reports.push(report);
  }
  return { kind: 'ok', siteId: site.id, reports };
}

/** A report that fits the patient beats one that does not; then final beats preliminary; then the newest. */
function rank(report: FoundReport): string {
  const date = report.kind === 'sr' ? `${report.document.ContentDate ?? ''}${report.document.ContentTime ?? ''}` : `${report.ContentDate ?? ''}${report.ContentTime ?? ''}`;
  return `${report.identity.matches ? 1 : 0}${report.state === 'final' ? 1 : 0}${date.padEnd(20, '0')}`;
}

/**
 * @example
 * const report = await findStudyReport(timelineStudy, sitesById, { signal, nationalIds: ['9990764875'] });
 * if (report.state === 'missing') console.log(report.checkedSites, report.failedSites);
 */
export async function findStudyReport(study: ReportStudy, sites: Readonly<Record<string, Site>>, options: FindReportOptions = {}): Promise<StudyReport> {
  const answers = await Promise.all(
    study.locations.map(async (location): Promise<SiteReports> => {
      const site = sites[location.siteId];
      if (!site) return { siteId: location.siteId, kind: 'error', message: `${location.siteId} is not a site this gateway knows` };
      return reportsAtLocation(site, study, location, options);
    }),
  );
  const failedSites = answers.filter((a): a is ReportSiteFailure => a.kind !== 'ok');
  const seen = new Set<string>();
  const reports = answers
    .flatMap((a) => (a.kind === 'ok' ? a.reports : []))
    // The same report held at two sites is one document.
    .filter((report) => !seen.has(report.SOPInstanceUID) && seen.add(report.SOPInstanceUID))
    .sort((a, b) => rank(b).localeCompare(rank(a)));
  const [best, ...others] = reports;
  if (!best) return { state: 'missing', checkedSites: answers.filter((a) => a.kind === 'ok').map((a) => a.siteId), failedSites };
  return {
    ...best,
    otherDocuments: others.map((r) => ({ siteId: r.siteId, kind: r.kind, title: titleOf(r), state: r.state, SOPInstanceUID: r.SOPInstanceUID })),
    failedSites,
  };
}
