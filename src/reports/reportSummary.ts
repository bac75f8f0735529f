/**
 * The words every screen uses for a study's report: its state as a label, who signed it, and which
 * sites could not be checked. A missing report is "No report at any site" only when every site
 * answered; otherwise the sites that did not are named, because silence from a site that is down
 * is not evidence that no report exists.
 */
import type { ReportState } from './reportState';
import { formatDateAndTime, formatDateTime } from './reportText';
import type { ReportPerson } from './srDocument';
import type { FoundReport, ReportSiteFailure, StudyReport } from './studyReport';

export interface ReportSummary {
  state: ReportState;
  /** Short label for a timeline row or a panel heading. */
  label: string;
  /** Where the report came from; for a missing report, undefined. */
  siteId?: string;
  /** Sites that could not be asked, each with why; for a missing report, why "any site" is qualified. */
  notChecked: ReportSiteFailure[];
}

export const NO_REPORT_ANYWHERE = 'No report at any site';

/**
 * `notSearched`: sites the patient search itself could not reach (down, timed out, or still
 * searching); they may hold a report of this study that no location lists.
 */
export function summariseReport(report: StudyReport, notSearched: readonly ReportSiteFailure[] = []): ReportSummary {
  const checked = new Set(report.state === 'missing' ? report.checkedSites : [report.siteId]);
  const notChecked = [...report.failedSites];
  for (const gap of notSearched) if (!checked.has(gap.siteId) && !notChecked.some((f) => f.siteId === gap.siteId)) notChecked.push(gap);
  if (report.state === 'missing') {
    return { state: 'missing', label: notChecked.length ? `${NO_REPORT_ANYWHERE} that answered` : NO_REPORT_ANYWHERE, notChecked };
  }
  return { state: report.state, label: report.state === 'final' ? 'Final report' : 'Preliminary report', siteId: report.siteId, notChecked };
}

/** `Dr Hannah WHITFIELD (verified, Northgate Cancer Centre)`; the person a reader holds responsible first. */
export function describePeople(people: readonly ReportPerson[]): string {
  return people
    .map((person) => {
      const detail = [person.role === 'verifier' ? 'verified' : person.role === 'author' ? 'author' : 'observer', person.organisation].filter(Boolean).join(', ');
      return `${person.name} (${detail})`;
    })
    .join('; ');
}

/** When the report was written or verified, as the panel shows it. */
export function reportDate(report: FoundReport): string {
  if (report.kind === 'pdf') return formatDateAndTime(report.ContentDate, report.ContentTime);
  const { document } = report;
  return formatDateAndTime(document.ContentDate, document.ContentTime) || formatDateTime(document.VerificationDateTime);
}
