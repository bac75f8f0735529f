/**
 * Every timeline study's report, looked up in the background once the timeline arrives (a few at
 * a time, the selected study first), and the selected PDF's bytes. A new patient aborts the
 * lookups of the last one; a study that gains a location (another site answered, a match was
 * confirmed) is looked up again, and a result for the old locations is dropped.
 */
import type { StateCreator } from 'zustand';
import type { TimelineStudy } from '../patients/index';
import { findStudyReport, loadPdfBytes, type PdfBytesResult, type ReportSiteFailure, type StudyReport } from '../reports/index';
import type { SiteSearchState } from './patientSlice';
import type { CrossviewState } from './store';

export type ReportLookup = { kind: 'queued' } | { kind: 'loading' } | { kind: 'done'; report: StudyReport };
/** `objectUrl`: a blob: URL typed application/pdf for the viewer, revoked when the PDF is dropped. */
export type PdfLoad = { kind: 'loading' } | { kind: 'ok'; bytes: Uint8Array; objectUrl: string } | Extract<PdfBytesResult, { kind: 'failed' }>;

export interface ReportsState {
  /** By StudyInstanceUID. */
  reportLookups: Record<string, ReportLookup>;
  /** By SOPInstanceUID of the PDF report. */
  reportPdfs: Record<string, PdfLoad>;
}

export interface ReportsActions {
  /** Looks one study's report up now, ahead of the background queue (what the panel shows). */
  lookUpReport(StudyInstanceUID: string): Promise<void>;
  /** Fetches the PDF bytes of a study whose report is an encapsulated PDF. */
  loadReportPdf(StudyInstanceUID: string): Promise<void>;
}

export type ReportsSlice = ReportsState & ReportsActions;

/** Background lookups at once; each asks every location of its study in parallel. */
const CONCURRENCY = 3;
/** PDFs kept in memory; the oldest is dropped first. */
const PDFS_KEPT = 4;

const signatureOf = (study: TimelineStudy) => study.locations.map((l) => `${l.siteId}|${l.PatientID}|${l.IssuerOfPatientID}`).sort().join(',');

/**
 * Sites the patient search itself did not hear from: a report of a study could sit there even
 * though no location lists it, so a "missing" report names them.
 */
export function patientSearchGaps(siteSearch: Readonly<Record<string, SiteSearchState>>, siteName: (siteId: string) => string): ReportSiteFailure[] {
  return Object.entries(siteSearch).flatMap(([siteId, search]): ReportSiteFailure[] => {
    if (search.kind === 'failed') return [{ siteId, kind: search.failure, message: search.message }];
    if (search.kind === 'searching') return [{ siteId, kind: 'timeout', message: `${siteName(siteId)} has not answered yet` }];
    return [];
  });
}

export const createReportsSlice: StateCreator<CrossviewState, [], [], ReportsSlice> = (set, get, api) => {
  let generation = new AbortController();
  let queue: string[] = [];
  let running = 0;
  const signatures = new Map<string, string>();
  const pdfOrder: string[] = [];

  const revoke = (load: PdfLoad | undefined) => {
    if (load?.kind === 'ok') URL.revokeObjectURL(load.objectUrl);
  };
  const setLookup = (uid: string, lookup: ReportLookup) => set((state) => ({ reportLookups: { ...state.reportLookups, [uid]: lookup } }));

  async function run(uid: string): Promise<void> {
    const study = get().timeline.find((s) => s.StudyInstanceUID === uid);
    if (!study) return;
    const { signal } = generation;
    const signature = signatureOf(study);
    setLookup(uid, { kind: 'loading' });
    const query = get().query;
    try {
      const report = await findStudyReport(study, get().sites, {
        signal,
        nationalIds: query?.kind === 'national' ? [query.nationalId] : [],
        nationalIdIssuer: get().nationalIdIssuer,
      });
      // A newer patient, or new locations for this study (a fresh lookup is queued): drop this answer.
      if (signal.aborted || signatures.get(uid) !== signature) return;
      setLookup(uid, { kind: 'done', report });
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
  }

  function pump(): void {
    while (running < CONCURRENCY && queue.length > 0) {
      const uid = queue.shift()!;
      running++;
      void run(uid).finally(() => {
        running--;
        pump();
      });
    }
  }

  function schedule(timeline: readonly TimelineStudy[]): void {
    const queued: Record<string, ReportLookup> = {};
    for (const study of timeline) {
      const signature = signatureOf(study);
      if (signatures.get(study.StudyInstanceUID) === signature) continue;
      signatures.set(study.StudyInstanceUID, signature);
      if (!queue.includes(study.StudyInstanceUID)) queue.push(study.StudyInstanceUID);
      queued[study.StudyInstanceUID] = { kind: 'queued' };
    }
    if (Object.keys(queued).length) set((state) => ({ reportLookups: { ...state.reportLookups, ...queued } }));
    pump();
  }

  function reset(): void {
    generation.abort();
    generation = new AbortController();
    queue = [];
    signatures.clear();
    pdfOrder.length = 0;
    Object.values(get().reportPdfs).forEach(revoke);
    set({ reportLookups: {}, reportPdfs: {} });
  }

  api.subscribe((state, previous) => {
    if (state.query !== previous.query) reset();
    if (state.timeline !== previous.timeline) schedule(state.timeline);
    const selected = state.openStudy?.StudyInstanceUID;
    if (selected && selected !== previous.openStudy?.StudyInstanceUID) void get().lookUpReport(selected);
  });

  return {
    reportLookups: {},
    reportPdfs: {},
    async lookUpReport(StudyInstanceUID) {
      const index = queue.indexOf(StudyInstanceUID);
      if (index < 0) return;
      queue.splice(index, 1);
      await run(StudyInstanceUID);
    },
    async loadReportPdf(StudyInstanceUID) {
      const lookup = get().reportLookups[StudyInstanceUID];
      if (lookup?.kind !== 'done' || lookup.report.state === 'missing' || lookup.report.kind !== 'pdf') return;
      const report = lookup.report;
      const existing = get().reportPdfs[report.SOPInstanceUID];
      if (existing && existing.kind !== 'failed') return;
      const site = get().sites[report.siteId];
      if (!site) return;
      const { signal } = generation;
      set((state) => ({ reportPdfs: { ...state.reportPdfs, [report.SOPInstanceUID]: { kind: 'loading' } } }));
      let fetched: PdfBytesResult;
      try {
        fetched = await loadPdfBytes(report, site, { signal });
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
      if (signal.aborted) return;
      // The blob's type is fixed here, never taken from the site, so the browser only ever treats it as a PDF.
      const result: PdfLoad =
        fetched.kind === 'ok'
          ? { ...fetched, objectUrl: URL.createObjectURL(new Blob([fetched.bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' })) }
          : fetched;
      pdfOrder.push(report.SOPInstanceUID);
      const dropped = pdfOrder.length > PDFS_KEPT ? pdfOrder.splice(0, pdfOrder.length - PDFS_KEPT) : [];
      set((state) => {
        const reportPdfs = { ...state.reportPdfs, [report.SOPInstanceUID]: result };
        for (const uid of dropped) {
          revoke(reportPdfs[uid]);
          delete reportPdfs[uid];
        }
        return { reportPdfs };
      });
    },
  };
};
