import { useMemo } from 'react';
import { summariseReport, type ReportSummary } from '../reports/index';
import { patientSearchGaps, type ReportLookup } from '../store/index';
import { useCrossview } from './storeContext';

/** A study's report lookup and its summary (state, label, sites not checked), for the panel and badge. */
export function useStudyReport(StudyInstanceUID: string | undefined): { lookup?: ReportLookup; summary?: ReportSummary } {
  const lookup = useCrossview((s) => (StudyInstanceUID ? s.reportLookups[StudyInstanceUID] : undefined));
  const siteSearch = useCrossview((s) => s.siteSearch);
  const sites = useCrossview((s) => s.sites);
  const summary = useMemo(
    () => (lookup?.kind === 'done' ? summariseReport(lookup.report, patientSearchGaps(siteSearch, (id) => sites[id]?.name ?? id)) : undefined),
    [lookup, siteSearch, sites],
  );
  return { lookup, summary };
}
