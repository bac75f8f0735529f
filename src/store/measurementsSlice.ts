/**
 * Saved measurements of the open study: the SR files found for it at the sites that hold it, and
 * the outcome of saving. The lookup starts when the study is selected, before its series are
 * listed, so it is not queued behind the image downloads that follow; the viewport puts the
 * files' measurements on its images once both are there (rendering follows the store).
 *
 * The archive (find files, store one) is handed in at start-up (main.tsx wires imaging's), so the
 * store holds no Cornerstone; without one, lookups find nothing and saving says so.
 */
import type { StateCreator } from 'zustand';
import type { MeasurementReportFile, SaveOutcome } from '../imaging/index';
import type { Site } from '../sites/index';
import type { CrossviewState } from './store';
import { activeViewport } from './viewerSlice';

export interface MeasurementArchive {
  find(StudyInstanceUID: string, sites: readonly Site[]): Promise<ArrayBuffer[]>;
  store(site: Site, report: Extract<MeasurementReportFile, { kind: 'ok' }>): Promise<SaveOutcome>;
}

export interface SavedMeasurements {
  StudyInstanceUID: string;
  files: { kind: 'loading' } | { kind: 'ready'; files: ArrayBuffer[] };
}

export interface MeasurementsMessage {
  kind: 'ok' | 'error';
  text: string;
}

export interface MeasurementsState {
  savedMeasurements?: SavedMeasurements;
  measurementsMessage?: MeasurementsMessage;
}

export interface MeasurementsActions {
  /** Looks for the study's measurement SRs at every site that holds it (the selected site if the timeline does not say). */
  findSavedMeasurements(StudyInstanceUID: string, siteId: string): Promise<void>;
  /** Stores the viewport's measurements at the open series' own site and says how it went. */
  saveMeasurements(report: MeasurementReportFile): Promise<SaveOutcome | undefined>;
  /** The viewport put `count` saved measurements on its images. */
  noteMeasurementsLoaded(count: number): void;
}

export type MeasurementsSlice = MeasurementsState & MeasurementsActions;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export function messageForSave(outcome: SaveOutcome): MeasurementsMessage {
  if (outcome.kind === 'saved') return { kind: 'ok', text: `${plural(outcome.count, 'measurement')} saved to ${outcome.siteName}` };
  if (outcome.kind === 'nothing-to-save') return { kind: 'error', text: 'There are no measurements to save.' };
  return { kind: 'error', text: outcome.message };
}

export const createMeasurementsSlice =
  (archive: MeasurementArchive | undefined): StateCreator<CrossviewState, [], [], MeasurementsSlice> =>
  (set, get) => ({
    async findSavedMeasurements(StudyInstanceUID, siteId) {
      const state = get();
      const held = state.timeline.find((study) => study.StudyInstanceUID === StudyInstanceUID)?.locations.map((l) => l.siteId) ?? [];
      const sites = (held.length > 0 ? held : [siteId]).map((id) => state.sites[id]).filter((site) => site !== undefined);
      set({ savedMeasurements: { StudyInstanceUID, files: { kind: 'loading' } }, measurementsMessage: undefined });
      const files = archive ? await archive.find(StudyInstanceUID, sites).catch(() => []) : [];
      if (get().savedMeasurements?.StudyInstanceUID !== StudyInstanceUID) return; // the user moved on
      set({ savedMeasurements: { StudyInstanceUID, files: { kind: 'ready', files } } });
    },
    async saveMeasurements(report) {
      const viewport = activeViewport(get());
      const site = viewport ? get().sites[viewport.siteId] : undefined;
      if (!site) return undefined;
      let outcome: SaveOutcome;
      if (report.kind !== 'ok') outcome = report;
      else if (!archive) outcome = { kind: 'error', message: 'Saving measurements is not available in this viewer.' };
      else {
        set({ measurementsMessage: { kind: 'ok', text: `Saving measurements to ${site.name}…` } });
        outcome = await archive.store(site, report);
      }
      set({ measurementsMessage: messageForSave(outcome) });
      return outcome;
    },
    noteMeasurementsLoaded(count) {
      if (count > 0) set({ measurementsMessage: { kind: 'ok', text: `${plural(count, 'saved measurement')} loaded` } });
    },
  });
