import type { TimelineStudy } from '../patients/index';
import { useStudyReport } from './useStudyReport';

/**
 * A timeline row's report status: "Final report", "Preliminary report", or "No report at any
 * site" (qualified when a site could not be asked). Never blank once the lookup has answered.
 */
export function ReportBadge({ study }: { study: Pick<TimelineStudy, 'StudyInstanceUID'> }) {
  const { lookup, summary } = useStudyReport(study.StudyInstanceUID);
  if (!lookup) return null;
  if (!summary) {
    return <span className="report-badge report-badge-loading" aria-busy="true">Report…</span>;
  }
  const notChecked = summary.notChecked.map((f) => f.message).join('; ');
  return (
    <span className={`report-badge report-badge-${summary.state}`} data-report-state={summary.state} title={notChecked ? `Not checked: ${notChecked}` : undefined}>
      {summary.label}
    </span>
  );
}
