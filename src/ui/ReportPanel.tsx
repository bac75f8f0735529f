import { formatDicomDate } from '../patients/index';
import { describePeople, reportDate, type FoundReport, type IdentityDifference, type ReportSummary, type StudyReport } from '../reports/index';
import { PdfDocument } from './PdfDocument';
import { SrDocument } from './SrDocument';
import { useCrossview } from './storeContext';
import { useStudyReport } from './useStudyReport';

const ATTRIBUTE_NAMES: Record<IdentityDifference['attribute'], string> = {
  PatientID: 'Patient ID',
  IssuerOfPatientID: 'Issuer of patient ID',
  PatientName: 'Name',
  PatientBirthDate: 'Birth date',
  NationalID: 'NHS number',
};

function IdentityWarning({ differences }: { differences: readonly IdentityDifference[] }) {
  return (
    <div className="report-identity-warning" role="alert">
      <strong>This report&apos;s patient details do not match the study</strong>
      <ul>
        {differences.map((d) => (
          <li key={d.attribute}>
            {ATTRIBUTE_NAMES[d.attribute]}: report says “{d.report}”, study says “{d.study}”
          </li>
        ))}
      </ul>
    </div>
  );
}

function NotChecked({ summary }: { summary: ReportSummary }) {
  if (summary.notChecked.length === 0) return null;
  return (
    <div className="report-not-checked">
      Could not check:
      <ul>
        {summary.notChecked.map((f) => <li key={f.siteId} data-site-id={f.siteId}>{f.message}</li>)}
      </ul>
    </div>
  );
}

function Found({ report, summary }: { report: Extract<StudyReport, FoundReport>; summary: ReportSummary }) {
  const siteName = useCrossview((s) => s.sites[report.siteId]?.name ?? report.siteId);
  const title = report.kind === 'sr' ? report.document.title : report.title;
  const people = report.kind === 'sr' ? describePeople(report.document.people) : '';
  return (
    <>
      <div className="report-header">
        <span className={`report-state report-state-${report.state}`}>{summary.label}</span>
        <h3 className="report-title">{title}</h3>
        <dl className="report-meta">
          <dt>From</dt>
          <dd className="report-site">{siteName}</dd>
          <dt>By</dt>
          <dd className="report-author">{people || 'Not recorded in the document'}</dd>
          <dt>Date</dt>
          <dd className="report-date">{reportDate(report) || 'Not recorded'}</dd>
        </dl>
      </div>
      {report.kind === 'pdf' && report.state === 'preliminary' && (
        <p className="report-note">Shown as preliminary: the PDF does not record that it was verified, whatever its text says.</p>
      )}
      {!report.identity.matches && <IdentityWarning differences={report.identity.differences} />}
      {report.kind === 'sr' ? <SrDocument document={report.document} /> : <PdfDocument report={report} />}
      {report.otherDocuments.length > 0 && (
        <div className="report-others">
          Other report documents:
          <ul>
            {report.otherDocuments.map((d) => (
              <li key={d.SOPInstanceUID}>{d.title} ({d.state}) · {d.siteId}</li>
            ))}
          </ul>
        </div>
      )}
      <NotChecked summary={summary} />
    </>
  );
}

/** Beside the images: the selected study, where it is held, and its report from whichever site has it. */
export function ReportPanel() {
  const openStudy = useCrossview((s) => s.openStudy);
  const study = useCrossview((s) => s.timeline.find((t) => t.StudyInstanceUID === s.openStudy?.StudyInstanceUID));
  const sites = useCrossview((s) => s.sites);
  const { lookup, summary } = useStudyReport(openStudy?.StudyInstanceUID);
  if (!openStudy || !study) {
    return (
      <aside className="report-panel" aria-label="Report">
        <h2>Report</h2>
        <p className="muted">Select a study to see where it is held and its report.</p>
      </aside>
    );
  }
  const report = lookup?.kind === 'done' ? lookup.report : undefined;
  const siteId = report && report.state !== 'missing' ? report.siteId : openStudy.siteId;
  return (
    <aside className="report-panel" aria-label="Report" data-site-id={siteId} {...(summary ? { 'data-report-state': summary.state } : { 'aria-busy': true })}>
      <h2>Report</h2>
      <dl>
        <dt>Study</dt>
        <dd>{study.StudyDescription || 'No description'}</dd>
        <dt>Date</dt>
        <dd>{formatDicomDate(study.StudyDate)}</dd>
        <dt>Accession</dt>
        <dd>{study.AccessionNumber || '—'}</dd>
        <dt>Held at</dt>
        <dd>
          {study.locations.map((l) => (
            <div key={l.siteId}>
              {sites[l.siteId]?.name ?? l.siteId} · {l.PatientID} ({l.IssuerOfPatientID})
            </div>
          ))}
        </dd>
      </dl>
      {!report || !summary ? (
        <p className="muted report-loading">
          <span className="spinner" /> Looking for the report at {study.locations.map((l) => sites[l.siteId]?.name ?? l.siteId).join(', ')}…
        </p>
      ) : report.state === 'missing' ? (
        <div className="report-missing">
          <p className="report-missing-label" role="status">{summary.label}</p>
          {report.checkedSites.length > 0 && <p className="muted">Checked: {report.checkedSites.map((id) => sites[id]?.name ?? id).join(', ')}</p>}
          <NotChecked summary={summary} />
        </div>
      ) : (
        <Found report={report} summary={summary} />
      )}
    </aside>
  );
}
