import { formatDicomDate } from '../patients/index';
import { useCrossview } from './storeContext';

/**
 * Beside the images: the selected study, where it is held, and (with the reports issue) its report.
 * Until report retrieval exists the panel says so plainly rather than implying there is none.
 */
export function ReportPanel() {
  const openStudy = useCrossview((s) => s.openStudy);
  const study = useCrossview((s) => s.timeline.find((t) => t.StudyInstanceUID === s.openStudy?.StudyInstanceUID));
  const sites = useCrossview((s) => s.sites);
  if (!openStudy || !study) {
    return (
      <aside className="report-panel" aria-label="Report">
        <h2>Report</h2>
        <p className="muted">Select a study to see where it is held and its report.</p>
      </aside>
    );
  }
  return (
    <aside className="report-panel" aria-label="Report" data-site-id={openStudy.siteId}>
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
      <p className="muted">Report retrieval is not available in this version: check the report at the hospital that holds the study.</p>
    </aside>
  );
}
