/**
 * Local files opened in the browser (a CD, a folder, a .zip): parsed here, never uploaded, and
 * shown as their own "site" (`LocalSiteId`), which is no hospital. Opening a local study puts its
 * first image series in the grid through the same viewport state as a hospital's series; the
 * metadata handed to imaging names each file's bytes by an object URL (a DICOM JSON BulkDataURI).
 * Each parsed instance keeps its bytes and identity, for storing at a site later.
 */
import type { StateCreator } from 'zustand';
import { LocalSiteId } from '../contracts/index';
import { parseLocalFileSet, type LocalFileInput, type LocalFileSet, type LocalSeries, type LocalStudy } from '../localFiles/index';
import type { DicomJsonDataset } from '../sites/index';
import type { CrossviewState } from './store';
import { viewportIdAt, type SeriesSummary, type ViewportState } from './viewerSlice';

export type LocalFilesLoad =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'parsing'; done: number; total: number }
  | { kind: 'ready'; set: LocalFileSet }
  | { kind: 'error'; message: string };

export interface LocalFilesState {
  localFiles: LocalFilesLoad;
}

export interface LocalFilesActions {
  /** Files are being read from the disc or drop (before parsing can count them). */
  noteLocalFilesReading(): void;
  /** Parses the files and opens the newest study found. */
  openLocalFiles(files: readonly LocalFileInput[]): Promise<void>;
  /** Shows a parsed local study: its series list and its first image series in the grid. */
  openLocalStudy(StudyInstanceUID: string): void;
  /** Shows one local series in a cell (the active one by default). */
  showLocalSeries(SeriesInstanceUID: string, viewportId?: string): void;
  closeLocalFiles(): void;
}

export type LocalFilesSlice = LocalFilesState & LocalFilesActions;

function summaryOf(series: LocalSeries): SeriesSummary {
  return {
    SeriesInstanceUID: series.SeriesInstanceUID,
    Modality: series.Modality,
    SeriesDescription: series.SeriesDescription,
    ...(series.SeriesNumber !== undefined ? { SeriesNumber: series.SeriesNumber } : {}),
    NumberOfSeriesRelatedInstances: series.instances.length,
  };
}

export function localStudies(state: Pick<LocalFilesState, 'localFiles'>): LocalStudy[] {
  return state.localFiles.kind === 'ready' ? state.localFiles.set.studies : [];
}

export const createLocalFilesSlice: StateCreator<CrossviewState, [], [], LocalFilesSlice> = (set, get) => {
  /** Object URLs of the files on screen, by SOPInstanceUID; revoked when the files are closed. */
  const urls = new Map<string, string>();
  const urlOf = (SOPInstanceUID: string, bytes: Uint8Array): string => {
    let url = urls.get(SOPInstanceUID);
    if (!url) {
      url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/dicom' }));
      urls.set(SOPInstanceUID, url);
    }
    return url;
  };
  const release = () => {
    for (const url of urls.values()) URL.revokeObjectURL(url);
    urls.clear();
  };
  let generation = 0;

  const findSeries = (SeriesInstanceUID: string) => {
    for (const study of localStudies(get())) {
      const series = study.series.find((s) => s.SeriesInstanceUID === SeriesInstanceUID);
      if (series) return { study, series };
    }
    return undefined;
  };

  return {
    localFiles: { kind: 'idle' },
    noteLocalFilesReading() {
      set({ localFiles: { kind: 'reading' } });
    },
    async openLocalFiles(files) {
      const token = ++generation;
      set({ localFiles: { kind: 'parsing', done: 0, total: files.length } });
      const parsed = await parseLocalFileSet(files, {
        onProgress: ({ done, total }) => {
          if (token === generation) set({ localFiles: { kind: 'parsing', done, total } });
        },
      });
      if (token !== generation) return;
      release();
      set({ localFiles: { kind: 'ready', set: parsed } });
      const first = parsed.studies[0];
      if (first) get().openLocalStudy(first.StudyInstanceUID);
    },
    openLocalStudy(StudyInstanceUID) {
      const study = localStudies(get()).find((s) => s.StudyInstanceUID === StudyInstanceUID);
      if (!study) return;
      get().closeStudy();
      const items = study.series.map(summaryOf);
      set((state) => ({
        openStudy: { StudyInstanceUID, siteId: LocalSiteId, series: { kind: 'ready', items } },
        seriesByStudy: { ...state.seriesByStudy, [StudyInstanceUID]: items },
      }));
      const shown = study.series.find((s) => s.instances.some((i) => i.pixels)) ?? study.series[0];
      if (shown) get().showLocalSeries(shown.SeriesInstanceUID, viewportIdAt(0));
    },
    showLocalSeries(SeriesInstanceUID, viewportId) {
      const found = findSeries(SeriesInstanceUID);
      if (!found) return;
      const target = viewportId ?? get().activeViewportId;
      const instances: DicomJsonDataset[] = found.series.instances.map((instance) => ({
        ...instance.metadata,
        ...(instance.pixels ? { '7FE00010': { vr: 'OW', BulkDataURI: urlOf(instance.identity.SOPInstanceUID, instance.bytes) } } : {}),
      }));
      const cell: ViewportState = {
        viewportId: target,
        siteId: LocalSiteId,
        StudyInstanceUID: found.study.StudyInstanceUID,
        SeriesInstanceUID,
        load: { kind: 'loading-metadata' },
        imageIndex: 0,
        imageTotal: 0,
        firstImageShown: false,
      };
      const put = (next: ViewportState) =>
        set((state) => ({
          viewports: state.viewports.some((v) => v.viewportId === target) ? state.viewports.map((v) => (v.viewportId === target ? next : v)) : [...state.viewports, next],
        }));
      set({ activeViewportId: target, layoutNotice: undefined });
      const replacing = get().viewports.some((v) => v.viewportId === target && v.load.kind === 'ready');
      if (!replacing) {
        put({ ...cell, load: { kind: 'ready', instances } });
        return;
      }
      // A cell that already shows a series goes through "loading" first, as a hospital's series
      // does while its metadata arrives, so the old stack is taken down before the new one mounts.
      put(cell);
      setTimeout(() => {
        const now = get().viewports.find((v) => v.viewportId === target);
        if (now?.SeriesInstanceUID === SeriesInstanceUID && now.load.kind === 'loading-metadata') put({ ...now, load: { kind: 'ready', instances } });
      }, 0);
    },
    closeLocalFiles() {
      generation += 1;
      if (get().openStudy?.siteId === LocalSiteId) get().closeStudy();
      release();
      set({ localFiles: { kind: 'idle' } });
    },
  };
};
