/** The patient on screen: what was asked for, each site's answer, and the merged timeline. */
import type { StateCreator } from 'zustand';
import { findPatientStudies, identityOfRecord, type PatientQuery, type SiteSearchResult, type TimelineStudy } from '../patients/index';
import { askEverySite, naturalize, searchForStudies, type SiteOutcome } from '../sites/index';
import { defaultSeries } from '../hanging/index';
import type { CrossviewState } from './store';

/** Per-site answer to the patient search, reduced to what the site bar and list show. */
export type SiteSearchState =
  | { kind: 'searching' }
  | { kind: 'ok'; studies: number; rejected: number; elapsedMs: number }
  | { kind: 'failed'; failure: Exclude<SiteOutcome<SiteSearchResult>['kind'], 'ok'>; message: string; elapsedMs: number };

export interface PatientState {
  query?: PatientQuery;
  queryError?: string;
  search: 'idle' | 'searching' | 'done';
  timeline: TimelineStudy[];
  siteSearch: Record<string, SiteSearchState>;
}

export interface PatientActions {
  /** Searches every site for the person; `focusStudyUID` then opens that study. */
  openPatient(query: PatientQuery, options?: { focusStudyUID?: string }): Promise<void>;
  /** IHE IID requestType=STUDY: finds the studies at whichever site holds them, then their patient. */
  openStudies(StudyInstanceUIDs: string[]): Promise<void>;
  rejectLaunch(message: string): void;
}

export type PatientSlice = PatientState & PatientActions;

function summarise(outcome: SiteOutcome<SiteSearchResult>): SiteSearchState {
  if (outcome.kind === 'ok') return { kind: 'ok', studies: outcome.value.studies.length, rejected: outcome.value.rejected, elapsedMs: outcome.elapsedMs };
  return { kind: 'failed', failure: outcome.kind, message: outcome.message, elapsedMs: outcome.elapsedMs };
}

export const createPatientSlice: StateCreator<CrossviewState, [], [], PatientSlice> = (set, get) => {
  let current: AbortController | undefined;
  return {
    search: 'idle',
    timeline: [],
    siteSearch: {},
    rejectLaunch(message) {
      set({ queryError: message, search: 'idle' });
    },
    async openStudies(StudyInstanceUIDs) {
      if (get().sitesLoad.kind !== 'ready') await get().loadSites();
      const sites = get().siteOrder.map((id) => get().sites[id]!).filter(Boolean);
      set({ search: 'searching', queryError: undefined });
      const wanted = new Set(StudyInstanceUIDs);
      const answers = await askEverySite(sites, (site) => searchForStudies(site, { StudyInstanceUID: StudyInstanceUIDs.join(','), includefield: '00101000,00100021,00101002' }));
      for (const answer of answers) {
        if (answer.kind !== 'ok') continue;
        const site = get().sites[answer.siteId]!;
        // The site's filtering is not trusted: keep only the studies that were asked for.
        const record = answer.value.map(naturalize).find((r) => wanted.has(String(r.StudyInstanceUID ?? '')));
        const identity = record && identityOfRecord(record, site.patientIdIssuer, get().nationalIdIssuer);
        if (record && identity) {
          await get().openPatient(identity, { focusStudyUID: String(record.StudyInstanceUID) });
          return;
        }
      }
      const failed = answers.flatMap((a) => (a.kind === 'ok' ? [] : [a.message])).join('; ');
      set({ search: 'done', queryError: `No site holds the requested study${failed ? ` (not every site answered: ${failed})` : ''}` });
    },
    async openPatient(query, options = {}) {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      if (get().sitesLoad.kind !== 'ready') await get().loadSites();
      const sites = get().siteOrder.map((id) => get().sites[id]!).filter(Boolean);
      set({
        query,
        queryError: undefined,
        search: 'searching',
        timeline: [],
        siteSearch: Object.fromEntries(sites.map((site) => [site.id, { kind: 'searching' } as const])),
      });
      get().closeStudy();
      const apply = (search: { timeline: TimelineStudy[]; outcomes: SiteOutcome<SiteSearchResult>[] }) => {
        if (controller.signal.aborted) return;
        set((state) => ({
          timeline: search.timeline,
          siteSearch: { ...state.siteSearch, ...Object.fromEntries(search.outcomes.map((o) => [o.siteId, summarise(o)])) },
        }));
      };
      const result = await findPatientStudies(sites, query, { signal: controller.signal, onProgress: apply });
      apply(result);
      if (controller.signal.aborted) return;
      set({ search: 'done' });
      const focus = options.focusStudyUID && result.timeline.find((study) => study.StudyInstanceUID === options.focusStudyUID);
      if (focus) await get().selectStudy(focus.StudyInstanceUID, focus.locations[0]!.siteId, { autoOpenSeries: defaultSeries });
    },
  };
};
