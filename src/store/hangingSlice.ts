/**
 * Hanging a study: its series and the department's protocols are fetched together, hanging/
 * decides protocol, priors (from any linked site) and cells, and the viewer slice loads them.
 * The current study's cells show at once; a prior's cells fill when its series list arrives.
 * Everything the user changes (stage, dragged-in series or prior) is a hanging view state, so a
 * meeting follower or a URL can restore the same screen.
 */
import type { StateCreator } from 'zustand';
import { HangingProtocolListSchema, HangingProtocolsPath, type HangingProtocol, type HangingViewState, type StudyKey } from '../contracts/index';
import {
  BuiltInProtocols,
  dropOnViewport,
  hangStudy,
  hangingViewState,
  mergeProtocols,
  type DroppedItem,
  type HangingDecision,
  type HangingInput,
  type HangingStudy,
  type StageAssignment,
} from '../hanging/index';
import { searchForSeries, type Site } from '../sites/index';
import type { CrossviewState } from './store';
import { seriesSummary, viewportIdAt, type CellContent, type SeriesSummary } from './viewerSlice';

/** Series attributes protocols match on, asked of every site with the series list. */
export const SeriesFactFields = ['00180015', '00181030', '00200060', '00200062', '00185101', '00200037'].join(',');

export interface HangingScreen {
  decision: HangingDecision;
  stageIndex: number;
}

export interface HangingState {
  hanging?: HangingScreen;
  /** Protocols in force for the study on screen: the department's first, then the built-ins. */
  protocols: HangingProtocol[];
  /** Series lists fetched so far, by StudyInstanceUID (the current study and its priors). */
  seriesByStudy: Record<string, SeriesSummary[]>;
  /** Department protocol files the gateway could not use, for whoever maintains the folder. */
  protocolErrors: string[];
  /** Why the last hanging change (a drop, a missing prior) could not be made. */
  hangingNotice?: string;
}

export interface HangingActions {
  /** Hangs a study: protocol, priors from any site, and every cell of the first stage. */
  selectStudy(StudyInstanceUID: string, siteId: string): Promise<void>;
  closeStudy(): void;
  setStage(stageIndex: number): void;
  /** A timeline study or series dropped on a cell (or a series chosen for the active cell). */
  dropOnViewport(viewportIndex: number, item: DroppedItem): Promise<void>;
  /** Restores a serialised hanging (meeting, URL) for the study on screen. */
  applyHangingViewState(viewState: HangingViewState): Promise<void>;
  /** The hanging on screen as serialisable view state. */
  hangingViewState(): HangingViewState | undefined;
}

export type HangingSlice = HangingState & HangingActions;

function byNumber(a: SeriesSummary, b: SeriesSummary): number {
  return (a.SeriesNumber ?? 0) - (b.SeriesNumber ?? 0);
}

/** What a stage puts in each cell. */
export function cellsOfStage(stage: StageAssignment): CellContent[] {
  return stage.viewports.map(({ displaySetId, options, content }) => {
    const display = {
      displaySetId,
      mirrored: options.mirrored,
      flipped: options.flipped,
      syncGroups: options.syncGroups,
      ...(options.preset !== undefined ? { preset: options.preset } : {}),
    };
    return content.kind === 'series'
      ? { kind: 'series', siteId: content.siteId, StudyInstanceUID: content.StudyInstanceUID, SeriesInstanceUID: content.SeriesInstanceUID, role: content.role, ...display }
      : { kind: 'empty', reason: content.reason, ...display };
  });
}

async function departmentProtocols(origin: string): Promise<{ protocols: HangingProtocol[]; errors: string[] }> {
  try {
    const response = await fetch(`${origin}${HangingProtocolsPath}`, { credentials: 'same-origin' });
    if (!response.ok) return { protocols: [], errors: [`The department's hanging protocols could not be read (gateway answered ${response.status}); built-in protocols are in use.`] };
    const parsed = HangingProtocolListSchema.safeParse(await response.json());
    if (!parsed.success) return { protocols: [], errors: ["The gateway's list of department hanging protocols is malformed; built-in protocols are in use."] };
    return { protocols: parsed.data.protocols, errors: parsed.data.errors.flatMap((file) => file.errors.map((error) => (error.startsWith(file.file) ? error : `${file.file}: ${error}`))) };
  } catch {
    return { protocols: [], errors: ["The department's hanging protocols could not be fetched; built-in protocols are in use."] };
  }
}

export const createHangingSlice =
  (origin: string): StateCreator<CrossviewState, [], [], HangingSlice> =>
  (set, get) => {
    /** Bumped on every new hanging: late answers for an older one are dropped. */
    let generation = 0;

    const seriesOf = async (site: Site, StudyInstanceUID: string) => {
      const answer = await searchForSeries(site, StudyInstanceUID, { includefield: SeriesFactFields });
      return answer.kind === 'ok' ? { kind: 'ok' as const, items: answer.value.map(seriesSummary).sort(byNumber) } : { kind: 'error' as const, message: answer.message };
    };

    /** Fetches the series of studies not yet known (a prior's, a dropped study's); failures leave them unknown. */
    const ensureSeries = async (studies: readonly StudyKey[]) => {
      const missing = studies.filter((study) => !get().seriesByStudy[study.StudyInstanceUID]);
      const answers = await Promise.all(
        missing.map(async (study) => {
          const site = get().sites[study.siteId];
          return { study, answer: site ? await seriesOf(site, study.StudyInstanceUID) : ({ kind: 'error', message: `hospital ${study.siteId} is not configured` } as const) };
        }),
      );
      const found = answers.flatMap(({ study, answer }) => (answer.kind === 'ok' ? [[study.StudyInstanceUID, answer.items] as const] : []));
      if (found.length > 0) set((state) => ({ seriesByStudy: { ...state.seriesByStudy, ...Object.fromEntries(found) } }));
      return answers.flatMap(({ study, answer }) => (answer.kind === 'error' ? [`${get().sites[study.siteId]?.name ?? study.siteId}: ${answer.message}`] : []));
    };

    const inputFor = (StudyInstanceUID: string, siteId: string): HangingInput => {
      const { timeline, seriesByStudy, siteOrder } = get();
      const known = timeline.find((study) => study.StudyInstanceUID === StudyInstanceUID);
      const series = seriesByStudy[StudyInstanceUID] ?? [];
      const current: HangingStudy = known ?? {
        StudyInstanceUID,
        StudyDate: '',
        StudyTime: '',
        StudyDescription: '',
        ModalitiesInStudy: [...new Set(series.map((s) => s.Modality))],
        locations: [{ siteId, PatientID: '', IssuerOfPatientID: '', linkBasis: 'issuer-id' }],
      };
      return { current, timeline, seriesByStudy, sitePreference: [siteId, ...siteOrder.filter((id) => id !== siteId)], currentSiteId: siteId };
    };

    const show = (decision: HangingDecision, stageIndex: number) => {
      const index = Math.max(0, Math.min(decision.stages.length - 1, stageIndex));
      set({ hanging: { decision, stageIndex: index } });
      const stage = decision.stages[index];
      if (stage) get().showViewports(cellsOfStage(stage));
    };

    /** Decides again from a view state, fetching any prior's series first; shows the result. */
    const rehang = async (viewState: HangingViewState, token: number) => {
      const open = get().openStudy;
      if (!open) return;
      const decide = () =>
        hangStudy(get().protocols, {
          ...inputFor(open.StudyInstanceUID, open.siteId),
          ...(viewState.protocolId ? { protocolId: viewState.protocolId } : {}),
          ...(viewState.priorStudies ? { priorStudies: viewState.priorStudies } : {}),
          ...(viewState.viewportSeries ? { viewportSeries: viewState.viewportSeries } : {}),
        });
      const first = decide();
      show(first, viewState.stageIndex ?? 0);
      const studies = [...first.priors.priors, ...first.viewportSeries];
      if (studies.every((study) => get().seriesByStudy[study.StudyInstanceUID])) return;
      const failures = await ensureSeries(studies);
      if (token !== generation) return;
      // The protocol and priors stay as decided; only cells waiting for series fill.
      const settled = hangStudy(get().protocols, {
        ...inputFor(open.StudyInstanceUID, open.siteId),
        protocolId: first.protocol.id,
        priorStudies: first.priors.priors.map(({ siteId, StudyInstanceUID }) => ({ siteId, StudyInstanceUID })),
        ...(viewState.viewportSeries ? { viewportSeries: viewState.viewportSeries } : {}),
      });
      show(settled, get().hanging?.stageIndex ?? 0);
      if (failures.length > 0) set({ hangingNotice: `A prior's series could not be listed (${failures.join('; ')})` });
    };

    return {
      protocols: [...BuiltInProtocols],
      seriesByStudy: {},
      protocolErrors: [],
      closeStudy() {
        generation += 1;
        set({ openStudy: undefined, viewports: [], hanging: undefined, hangingNotice: undefined, savedMeasurements: undefined, measurementsMessage: undefined });
      },
      async selectStudy(StudyInstanceUID, siteId) {
        const site = get().sites[siteId];
        if (!site) return;
        const token = ++generation;
        // The grid follows the selection: never leave another study's images beside this one.
        set({ openStudy: { StudyInstanceUID, siteId, series: { kind: 'loading' } }, viewports: [], maximisedViewportId: undefined, hanging: undefined, hangingNotice: undefined, layoutNotice: undefined });
        // Saved measurements are looked for now, alongside the series list, not behind the images.
        void get().findSavedMeasurements(StudyInstanceUID, siteId);
        // Read on every hanging, so a protocol a department just dropped into its folder counts.
        const [answer, department] = await Promise.all([seriesOf(site, StudyInstanceUID), departmentProtocols(origin)]);
        if (token !== generation) return; // the user moved on
        if (answer.kind !== 'ok') {
          set({ openStudy: { StudyInstanceUID, siteId, series: { kind: 'error', message: answer.message } } });
          return;
        }
        set((state) => ({
          openStudy: { StudyInstanceUID, siteId, series: { kind: 'ready', items: answer.items } },
          seriesByStudy: { ...state.seriesByStudy, [StudyInstanceUID]: answer.items },
          protocols: mergeProtocols(BuiltInProtocols, department.protocols),
          protocolErrors: department.errors,
        }));
        await rehang({}, token);
      },
      setStage(stageIndex) {
        const hanging = get().hanging;
        if (!hanging || stageIndex === hanging.stageIndex || !hanging.decision.stages[stageIndex]) return;
        show(hanging.decision, stageIndex);
      },
      async dropOnViewport(viewportIndex, item) {
        const hanging = get().hanging;
        if (!hanging) {
          if (item.SeriesInstanceUID) await get().openSeries(item.siteId, item.StudyInstanceUID, item.SeriesInstanceUID, viewportIdAt(viewportIndex));
          return;
        }
        const token = generation;
        const target = { stageIndex: hanging.stageIndex, viewportIndex };
        let result = dropOnViewport(hanging.decision, target, item, get().seriesByStudy);
        if (result.kind === 'needs-series') {
          const failures = await ensureSeries([result.study]);
          if (token !== generation) return;
          if (failures.length > 0) {
            set({ hangingNotice: `The dropped study's series could not be listed (${failures.join('; ')})` });
            return;
          }
          result = dropOnViewport(get().hanging?.decision ?? hanging.decision, target, item, get().seriesByStudy);
        }
        if (result.kind === 'refused') {
          set({ hangingNotice: `Not shown: ${result.reason}` });
          return;
        }
        if (result.kind !== 'changed') return;
        set({ hangingNotice: undefined, activeViewportId: viewportIdAt(viewportIndex) });
        await rehang(result.viewState, token);
      },
      async applyHangingViewState(viewState) {
        await rehang(viewState, generation);
      },
      hangingViewState() {
        const hanging = get().hanging;
        return hanging ? hangingViewState(hanging.decision, hanging.stageIndex) : undefined;
      },
    };
  };
