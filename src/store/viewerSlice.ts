/**
 * What the viewer shows: the selected study, its series, and the grid of viewports the hanging
 * protocol laid out, each with its live state (slice, window, load progress). Pixels live in
 * imaging/; which series goes where is decided in hanging/ (see hangingSlice).
 */
import type { StateCreator } from 'zustand';
import type { ViewportPreset } from '../contracts/index';
import { naturalize, numberOf, numbersOf, retrieveSeriesMetadata, textOf, type DicomJsonDataset } from '../sites/index';
import type { CrossviewState } from './store';

export interface SeriesSummary {
  SeriesInstanceUID: string;
  Modality: string;
  SeriesDescription: string;
  SeriesNumber?: number;
  NumberOfSeriesRelatedInstances?: number;
  /** Facts protocols match on, when the site answers them (QIDO includefield). */
  BodyPartExamined?: string;
  ProtocolName?: string;
  Laterality?: string;
  ImageLaterality?: string;
  ViewPosition?: string;
  ImageOrientationPatient?: number[];
}

export interface OpenStudy {
  StudyInstanceUID: string;
  siteId: string;
  series: { kind: 'loading' } | { kind: 'ready'; items: SeriesSummary[] } | { kind: 'error'; message: string };
}

/** How the protocol asked a cell to be shown. */
export interface ViewportDisplay {
  displaySetId?: string;
  role?: 'current' | 'prior';
  preset?: ViewportPreset;
  mirrored?: boolean;
  flipped?: boolean;
  syncGroups?: string[];
}

export interface ViewportState extends ViewportDisplay {
  viewportId: string;
  siteId: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
  load:
    | { kind: 'loading-metadata' }
    | { kind: 'ready'; instances: DicomJsonDataset[] }
    | { kind: 'error'; message: string }
    /** A cell of the layout the protocol could not fill, and why. */
    | { kind: 'empty'; reason: string };
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

/** `stack`: the protocol's grid of stacks; `mpr`: axial, sagittal and coronal of the active viewport's volume. */
export type LayoutMode = 'stack' | 'mpr';

export type ViewportPatch = Partial<Pick<ViewportState, 'imageIndex' | 'imageTotal' | 'position' | 'window' | 'progress' | 'firstImageShown' | 'imageError' | 'preview'>>;

export interface ViewerState {
  openStudy?: OpenStudy;
  /** The cells of the grid on screen, in layout order (`vp-1` first). */
  viewports: ViewportState[];
  /** The cell keyboard shortcuts and the toolbar act on. */
  activeViewportId: string;
  /** A cell shown alone over the whole grid (double-click or F), until toggled back. */
  maximisedViewportId?: string;
  layoutMode: LayoutMode;
  /** Slab MIP thickness of the MPR views, mm; 0 is a thin slice. */
  slabThicknessMm: number;
  /** Why the last request for MPR was refused (e.g. the volume does not fit the memory budget). */
  layoutNotice?: string;
}

export interface ViewerActions {
  /** Shows a series in a cell (the active one by default), replacing what was there. */
  openSeries(siteId: string, StudyInstanceUID: string, SeriesInstanceUID: string, viewportId?: string): Promise<void>;
  setActiveViewport(viewportId: string): void;
  /** Shows the cell alone over the grid, or the whole grid again. */
  toggleMaximised(viewportId: string): void;
  setLayoutMode(mode: LayoutMode, notice?: string): void;
  setSlabThickness(mm: number): void;
  updateViewport(patch: ViewportPatch, viewportId?: string): void;
  /** Puts these cells on screen, loading each one's series metadata (kept where a cell already shows it). */
  showViewports(cells: readonly CellContent[]): void;
}

/** What a cell should show: a series with its display options, or nothing and why. */
export type CellContent =
  | ({ kind: 'series'; siteId: string; StudyInstanceUID: string; SeriesInstanceUID: string } & ViewportDisplay)
  | ({ kind: 'empty'; reason: string } & ViewportDisplay);

export type ViewerSlice = ViewerState & ViewerActions;

export const MaxSlabThicknessMm = 100;

export function viewportIdAt(index: number): string {
  return `vp-${index + 1}`;
}

/** The active cell, or the first one when the active id is gone. */
export function activeViewport(state: Pick<ViewerState, 'viewports' | 'activeViewportId'>): ViewportState | undefined {
  return state.viewports.find((v) => v.viewportId === state.activeViewportId) ?? state.viewports[0];
}

export function seriesSummary(dataset: DicomJsonDataset): SeriesSummary {
  const record = naturalize(dataset);
  const number = numberOf(record, 'SeriesNumber');
  const count = numberOf(record, 'NumberOfSeriesRelatedInstances');
  const text = (keyword: string) => {
    const value = textOf(record, keyword)?.trim();
    return value ? { [keyword]: value } : {};
  };
  const orientation = numbersOf(record, 'ImageOrientationPatient');
  return {
    SeriesInstanceUID: textOf(record, 'SeriesInstanceUID') ?? '',
    Modality: textOf(record, 'Modality') ?? '',
    SeriesDescription: textOf(record, 'SeriesDescription') ?? '',
    ...(number !== undefined ? { SeriesNumber: number } : {}),
    ...(count !== undefined ? { NumberOfSeriesRelatedInstances: count } : {}),
    ...text('BodyPartExamined'),
    ...text('ProtocolName'),
    ...text('Laterality'),
    ...text('ImageLaterality'),
    ...text('ViewPosition'),
    ...(orientation.length === 6 ? { ImageOrientationPatient: orientation } : {}),
  };
}

function emptyViewport(viewportId: string, content: CellContent): ViewportState {
  const { kind: _kind, ...display } = content;
  const base = { viewportId, imageIndex: 0, imageTotal: 0, firstImageShown: false };
  if (content.kind === 'empty') {
    const { reason: _reason, ...rest } = display as ViewportDisplay & { reason: string };
    return { ...base, ...rest, siteId: '', StudyInstanceUID: '', SeriesInstanceUID: '', load: { kind: 'empty', reason: content.reason } };
  }
  return { ...base, ...(display as ViewportDisplay), siteId: content.siteId, StudyInstanceUID: content.StudyInstanceUID, SeriesInstanceUID: content.SeriesInstanceUID, load: { kind: 'loading-metadata' } };
}

export const createViewerSlice: StateCreator<CrossviewState, [], [], ViewerSlice> = (set, get) => {
  const setCell = (viewportId: string, change: (viewport: ViewportState) => ViewportState) =>
    set((state) => ({ viewports: state.viewports.map((v) => (v.viewportId === viewportId ? change(v) : v)) }));

  async function loadMetadata(viewportId: string, SeriesInstanceUID: string) {
    const cell = get().viewports.find((v) => v.viewportId === viewportId);
    const site = cell && get().sites[cell.siteId];
    if (!cell || !site) {
      if (cell) setCell(viewportId, (v) => ({ ...v, load: { kind: 'error', message: `Hospital "${cell.siteId}" is not configured in this viewer` } }));
      return;
    }
    const answer = await retrieveSeriesMetadata(site, cell.StudyInstanceUID, SeriesInstanceUID);
    setCell(viewportId, (v) =>
      v.SeriesInstanceUID !== SeriesInstanceUID || v.load.kind !== 'loading-metadata'
        ? v // the cell moved on to another series
        : { ...v, load: answer.kind === 'ok' ? { kind: 'ready', instances: answer.value } : { kind: 'error', message: answer.message } },
    );
  }

  return {
    viewports: [],
    activeViewportId: viewportIdAt(0),
    layoutMode: 'stack',
    slabThicknessMm: 0,
    setLayoutMode(mode, notice) {
      set({ layoutMode: mode, layoutNotice: notice });
    },
    setSlabThickness(mm) {
      set({ slabThicknessMm: Math.max(0, Math.min(MaxSlabThicknessMm, Number.isFinite(mm) ? mm : 0)) });
    },
    setActiveViewport(viewportId) {
      if (get().viewports.some((v) => v.viewportId === viewportId)) set({ activeViewportId: viewportId });
    },
    toggleMaximised(viewportId) {
      if (get().maximisedViewportId === viewportId) set({ maximisedViewportId: undefined });
      else if (get().viewports.some((v) => v.viewportId === viewportId)) set({ maximisedViewportId: viewportId, activeViewportId: viewportId });
    },
    showViewports(cells) {
      const before = get().viewports;
      const next = cells.map((content, index) => {
        const viewportId = viewportIdAt(index);
        const fresh = emptyViewport(viewportId, content);
        const old = before[index];
        // The same series in the same cell keeps its loaded metadata and live state; only the display changes.
        if (content.kind === 'series' && old && old.SeriesInstanceUID === content.SeriesInstanceUID && old.siteId === content.siteId && old.load.kind !== 'error') {
          return { ...old, ...displayOf(fresh) };
        }
        const donor = content.kind === 'series' ? before.find((v) => v.SeriesInstanceUID === content.SeriesInstanceUID && v.siteId === content.siteId && v.load.kind === 'ready') : undefined;
        return donor ? { ...fresh, load: donor.load } : fresh;
      });
      const active = next.some((v) => v.viewportId === get().activeViewportId) ? get().activeViewportId : viewportIdAt(0);
      const maximised = next.some((v) => v.viewportId === get().maximisedViewportId) ? get().maximisedViewportId : undefined;
      set({ viewports: next, activeViewportId: active, maximisedViewportId: maximised });
      for (const cell of next) if (cell.load.kind === 'loading-metadata') void loadMetadata(cell.viewportId, cell.SeriesInstanceUID);
    },
    async openSeries(siteId, StudyInstanceUID, SeriesInstanceUID, viewportId) {
      if (!get().sites[siteId]) return;
      const target = viewportId ?? activeViewport(get())?.viewportId ?? viewportIdAt(0);
      const content: CellContent = { kind: 'series', siteId, StudyInstanceUID, SeriesInstanceUID };
      const existing = get().viewports.find((v) => v.viewportId === target);
      const fresh = emptyViewport(target, content);
      // A series chosen by hand keeps the cell's sync groups but not the protocol's preset for another series.
      const cell: ViewportState = existing ? { ...fresh, syncGroups: existing.syncGroups ?? [], ...(existing.role ? { role: StudyInstanceUID === get().openStudy?.StudyInstanceUID ? 'current' : 'prior' } : {}) } : fresh;
      set((state) => ({
        viewports: existing ? state.viewports.map((v) => (v.viewportId === target ? cell : v)) : [...state.viewports, cell],
        activeViewportId: target,
        layoutNotice: undefined,
      }));
      await loadMetadata(target, SeriesInstanceUID);
    },
    updateViewport(patch, viewportId) {
      const target = viewportId ?? activeViewport(get())?.viewportId;
      if (target) setCell(target, (v) => ({ ...v, ...patch }));
    },
  };
};

function displayOf(viewport: ViewportState): ViewportDisplay {
  const { displaySetId, role, preset, mirrored, flipped, syncGroups } = viewport;
  return { displaySetId, role, preset, mirrored, flipped, syncGroups };
}
