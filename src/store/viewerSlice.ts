/**
 * What the viewer shows: the selected study, its series at the chosen site, and the series in
 * the viewport with its live state (slice, window, load progress). Pixels live in imaging/.
 */
import type { StateCreator } from 'zustand';
import { naturalize, numberOf, retrieveSeriesMetadata, searchForSeries, textOf, type DicomJsonDataset } from '../sites/index';
import type { CrossviewState } from './store';

export interface SeriesSummary {
  SeriesInstanceUID: string;
  Modality: string;
  SeriesDescription: string;
  SeriesNumber?: number;
  NumberOfSeriesRelatedInstances?: number;
}

export interface OpenStudy {
  StudyInstanceUID: string;
  siteId: string;
  series: { kind: 'loading' } | { kind: 'ready'; items: SeriesSummary[] } | { kind: 'error'; message: string };
}

export interface ViewportState {
  viewportId: string;
  siteId: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  load: { kind: 'loading-metadata' } | { kind: 'ready'; instances: DicomJsonDataset[] } | { kind: 'error'; message: string };
  imageIndex: number;
  imageTotal: number;
  position?: number;
  window?: { windowWidth: number; windowCenter: number };
  progress?: { loaded: number; failed: number; total: number };
  firstImageShown: boolean;
  imageError?: string;
  /** The image on screen is a progressive preview (part of its bytes); the full one is coming. */
  preview?: boolean;
}

/** `stack`: one viewport scrolling the slices; `mpr`: axial, sagittal and coronal of the volume. */
export type LayoutMode = 'stack' | 'mpr';

export interface ViewerState {
  openStudy?: OpenStudy;
  viewport?: ViewportState;
  layoutMode: LayoutMode;
  /** Slab MIP thickness of the MPR views, mm; 0 is a thin slice. */
  slabThicknessMm: number;
  /** Why the last request for MPR was refused (e.g. the volume does not fit the memory budget). */
  layoutNotice?: string;
}

export interface ViewerActions {
  selectStudy(StudyInstanceUID: string, siteId: string, options?: { autoOpenSeries?: (series: SeriesSummary[]) => SeriesSummary | undefined }): Promise<void>;
  openSeries(siteId: string, StudyInstanceUID: string, SeriesInstanceUID: string): Promise<void>;
  closeStudy(): void;
  setLayoutMode(mode: LayoutMode, notice?: string): void;
  setSlabThickness(mm: number): void;
  updateViewport(patch: Partial<Pick<ViewportState, 'imageIndex' | 'imageTotal' | 'position' | 'window' | 'progress' | 'firstImageShown' | 'imageError' | 'preview'>>): void;
}

export type ViewerSlice = ViewerState & ViewerActions;

function seriesSummary(dataset: DicomJsonDataset): SeriesSummary {
  const record = naturalize(dataset);
  const number = numberOf(record, 'SeriesNumber');
  const count = numberOf(record, 'NumberOfSeriesRelatedInstances');
  return {
    SeriesInstanceUID: textOf(record, 'SeriesInstanceUID') ?? '',
    Modality: textOf(record, 'Modality') ?? '',
    SeriesDescription: textOf(record, 'SeriesDescription') ?? '',
    ...(number !== undefined ? { SeriesNumber: number } : {}),
    ...(count !== undefined ? { NumberOfSeriesRelatedInstances: count } : {}),
  };
}

export const MaxSlabThicknessMm = 100;

export const createViewerSlice: StateCreator<CrossviewState, [], [], ViewerSlice> = (set, get) => ({
  layoutMode: 'stack',
  slabThicknessMm: 0,
  setLayoutMode(mode, notice) {
    set({ layoutMode: mode, layoutNotice: notice });
  },
  setSlabThickness(mm) {
    set({ slabThicknessMm: Math.max(0, Math.min(MaxSlabThicknessMm, Number.isFinite(mm) ? mm : 0)) });
  },
  closeStudy() {
    set({ openStudy: undefined, viewport: undefined, savedMeasurements: undefined, measurementsMessage: undefined });
  },
  async selectStudy(StudyInstanceUID, siteId, options = {}) {
    const site = get().sites[siteId];
    if (!site) return;
    // The viewport follows the selection: never leave another study's images beside this one.
    set({ openStudy: { StudyInstanceUID, siteId, series: { kind: 'loading' } }, viewport: undefined });
    // Saved measurements are looked for now, alongside the series list, not behind the images.
    void get().findSavedMeasurements(StudyInstanceUID, siteId);
    const answer = await searchForSeries(site, StudyInstanceUID);
    if (get().openStudy?.StudyInstanceUID !== StudyInstanceUID) return; // the user moved on
    if (answer.kind !== 'ok') {
      set({ openStudy: { StudyInstanceUID, siteId, series: { kind: 'error', message: answer.message } } });
      return;
    }
    const items = answer.value.map(seriesSummary).sort((a, b) => (a.SeriesNumber ?? 0) - (b.SeriesNumber ?? 0));
    set({ openStudy: { StudyInstanceUID, siteId, series: { kind: 'ready', items } } });
    const first = options.autoOpenSeries?.(items);
    if (first) await get().openSeries(siteId, StudyInstanceUID, first.SeriesInstanceUID);
  },
  async openSeries(siteId, StudyInstanceUID, SeriesInstanceUID) {
    const site = get().sites[siteId];
    if (!site) return;
    const base: ViewportState = {
      viewportId: 'vp-1',
      siteId,
      StudyInstanceUID,
      SeriesInstanceUID,
      load: { kind: 'loading-metadata' },
      imageIndex: 0,
      imageTotal: 0,
      firstImageShown: false,
    };
    set({ viewport: base, layoutNotice: undefined });
    const answer = await retrieveSeriesMetadata(site, StudyInstanceUID, SeriesInstanceUID);
    if (get().viewport?.SeriesInstanceUID !== SeriesInstanceUID) return;
    set({
      viewport: {
        ...base,
        load: answer.kind === 'ok' ? { kind: 'ready', instances: answer.value } : { kind: 'error', message: answer.message },
      },
    });
  },
  updateViewport(patch) {
    const viewport = get().viewport;
    if (viewport) set({ viewport: { ...viewport, ...patch } });
  },
});
