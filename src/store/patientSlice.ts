/** The patient on screen: what was asked for, each site's answer, the timeline and possible matches. */
import type { StateCreator } from 'zustand';
import {
  buildTimeline,
  createIndexLookup,
  findPatientStudies,
  identityOfRecord,
  type PatientQuery,
  type PossibleMatch,
  type SiteSearchResult,
  type TimelineStudy,
} from '../patients/index';
import { askEverySite, naturalize, searchForStudies, textOf, type SiteOutcome } from '../sites/index';
import type { CrossviewState } from './store';

/** Per-site answer to the patient search, reduced to what the site bar and list show. */
export type SiteSearchState =
  | { kind: 'searching' }
  | { kind: 'ok'; studies: number; rejected: number; elapsedMs: number; slow: boolean }
  | { kind: 'failed'; failure: Exclude<SiteOutcome<SiteSearchResult>['kind'], 'ok'>; message: string; elapsedMs: number };

export interface TimelineFilter {
  /** Empty: every modality. */
  modalities: string[];
  /** Empty: every site. */
  siteIds: string[];
}

export interface PatientState {
  query?: PatientQuery;
  queryError?: string;
  search: 'idle' | 'searching' | 'done';
  timeline: TimelineStudy[];
  /** Records that agree on demographics only: shown apart, merged only after a click. */
  possibleMatches: PossibleMatch[];
  identityWarnings: string[];
  siteSearch: Record<string, SiteSearchState>;
  timelineFilter: TimelineFilter;
}

export interface PatientActions {
  /** Searches every site for the person; `focusStudyUID` then opens that study. */
  openPatient(query: PatientQuery, options?: { focusStudyUID?: string }): Promise<void>;
  /** IHE IID requestType=STUDY: finds the studies at whichever site holds them, then their patient. */
  openStudies(StudyInstanceUIDs: string[]): Promise<void>;
  /** The user says a possible match is this patient: it joins the timeline as demographics-confirmed. */
  confirmPossibleMatch(siteId: string, StudyInstanceUID: string): void;
  setTimelineFilter(filter: Partial<TimelineFilter>): void;
  rejectLaunch(message: string): void;
}

export type PatientSlice = PatientState & PatientActions;

function summarise(outcome: SiteOutcome<SiteSearchResult>): SiteSearchState {
  if (outcome.kind === 'ok') return { kind: 'ok', studies: outcome.value.studies, rejected: outcome.value.rejected, elapsedMs: outcome.elapsedMs, slow: outcome.slow };
  return { kind: 'failed', failure: outcome.kind, message: outcome.message, elapsedMs: outcome.elapsedMs };
}

export const createPatientSlice =
  (origin: string): StateCreator<CrossviewState, [], [], PatientSlice> =>
  (set, get) => {
    let current: AbortController | undefined;
    /** Confirmed for this session: a confirmed record stays linked when the patient is reopened. */
    const confirmed = new Set<string>();
    const indexLookup = createIndexLookup(origin);
    return {
      search: 'idle',
      timeline: [],
      possibleMatches: [],
      identityWarnings: [],
      siteSearch: {},
      timelineFilter: { modalities: [], siteIds: [] },
      rejectLaunch(message) {
        set({ queryError: message, search: 'idle' });
      },
      setTimelineFilter(filter) {
        set((state) => ({ timelineFilter: { ...state.timelineFilter, ...filter } }));
      },
      confirmPossibleMatch(siteId, StudyInstanceUID) {
        const match = get().possibleMatches.find((p) => p.siteId === siteId && textOf(p.record, 'StudyInstanceUID') === StudyInstanceUID);
        if (!match) return;
        confirmed.add(`${siteId}|${StudyInstanceUID}`);
        const rest = get().possibleMatches.filter((p) => p !== match);
        set({ possibleMatches: rest, timeline: mergeConfirmed(get().timeline, match) });
      },
      async openStudies(StudyInstanceUIDs) {
        if (get().sitesLoad.kind !== 'ready') await get().loadSites();
        const sites = get().siteOrder.map((id) => get().sites[id]!).filter(Boolean);
        set({ search: 'searching', queryError: undefined });
        const wanted = new Set(StudyInstanceUIDs);
        const answers = await askEverySite(sites, (site) =>
          searchForStudies(site, { StudyInstanceUID: StudyInstanceUIDs.join(','), includefield: '00101000,00100021,00101002' }, { timeoutMs: get().queryTimeoutMs }),
        );
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
          possibleMatches: [],
          identityWarnings: [],
          siteSearch: Object.fromEntries(sites.map((site) => [site.id, { kind: 'searching' } as const])),
        });
        get().closeStudy();
        const apply = (search: { timeline: TimelineStudy[]; possibleMatches: PossibleMatch[]; warnings: string[]; outcomes: SiteOutcome<SiteSearchResult>[] }) => {
          if (controller.signal.aborted) return;
          let timeline = search.timeline;
          const stillPossible: PossibleMatch[] = [];
          for (const match of search.possibleMatches) {
            if (confirmed.has(`${match.siteId}|${textOf(match.record, 'StudyInstanceUID')}`)) timeline = mergeConfirmed(timeline, match);
            else stillPossible.push(match);
          }
          set((state) => ({
            timeline,
            possibleMatches: stillPossible,
            identityWarnings: search.warnings,
            siteSearch: { ...state.siteSearch, ...Object.fromEntries(search.outcomes.map((o) => [o.siteId, summarise(o)])) },
          }));
        };
        const result = await findPatientStudies(sites, query, {
          signal: controller.signal,
          timeoutMs: get().queryTimeoutMs,
          slowThresholdMs: get().slowThresholdMs,
          nationalIdIssuer: get().nationalIdIssuer,
          indexLookup,
          onProgress: apply,
        }).catch((error: unknown) => {
          if (controller.signal.aborted) return undefined; // replaced by a newer search: nothing to report
          throw error;
        });
        if (!result || controller.signal.aborted) return;
        apply(result);
        set({ search: 'done' });
        const focus = options.focusStudyUID && get().timeline.find((study) => study.StudyInstanceUID === options.focusStudyUID);
        if (focus) await get().selectStudy(focus.StudyInstanceUID, focus.locations[0]!.siteId);
      },
    };
  };

function mergeConfirmed(timeline: TimelineStudy[], match: PossibleMatch): TimelineStudy[] {
  const added = buildTimeline([{ ...match, linkBasis: 'demographics-confirmed' }])[0];
  if (!added) return timeline;
  const existing = timeline.find((s) => s.StudyInstanceUID === added.StudyInstanceUID);
  const rest = timeline.filter((s) => s !== existing);
  const merged = existing ? { ...existing, locations: [...existing.locations, ...added.locations] } : added;
  const key = (s: TimelineStudy) => `${s.StudyDate || '00000000'}${s.StudyTime.padEnd(6, '0')}`;
  return [...rest, merged].sort((a, b) => key(b).localeCompare(key(a)));
}
