import { useEffect, useState, type CSSProperties } from 'react';
import { PerformanceMarks, type StageLayout, type SyncGroup } from '../contracts/index';
import { createViewportSync, type ViewportSync, type ViewportSyncState } from '../imaging/index';
import { useCrossview, useCrossviewStore } from './storeContext';
import { SyncContext } from './syncContext';
import { useLayoutToggle } from './useLayoutToggle';
import { ViewportPane } from './ViewportPane';

type SyncKind = SyncGroup['kinds'][number];

/** CSS grid placement of each cell of a stage layout. */
function gridOf(layout: StageLayout): { container: CSSProperties; cells: CSSProperties[] } {
  const container: CSSProperties = { display: 'grid', gridTemplateRows: `repeat(${layout.rows}, minmax(0, 1fr))`, gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))`, gap: 2 };
  if (layout.kind === 'grid') return { container, cells: Array.from({ length: layout.rows * layout.columns }, () => ({})) };
  return {
    container,
    cells: layout.cells.map((cell) => ({ gridRow: `${cell.row + 1} / span ${cell.rowSpan}`, gridColumn: `${cell.column + 1} / span ${cell.columnSpan}` })),
  };
}

const NoSyncs: ReadonlyMap<string, ViewportSync> = new Map();

const SyncKindLabels: Record<Exclude<SyncKind, 'reference-lines'>, string> = { scroll: 'Scroll', window: 'W/L', 'zoom-pan': 'Zoom/pan' };
const ScrollStateText: Record<ViewportSyncState['scroll'], string> = {
  position: 'scrolling together by position',
  linked: 'scrolling together (linked here)',
  unlinked: 'not linked (K or Link here on corresponding slices)',
};

/** One sync group's controls: which kinds follow, and "link here" across frames of reference. */
function SyncStrip({ id, sync, offered }: { id: string; sync: ViewportSync; offered: readonly SyncKind[] }) {
  const [state, setState] = useState(() => sync.state());
  useEffect(() => sync.subscribe(setState), [sync]);
  const toggle = (kind: SyncKind) => sync.setKinds(state.kinds.includes(kind) ? state.kinds.filter((k) => k !== kind) : [...state.kinds, kind]);
  return (
    <div className="sync-strip" role="group" aria-label={`Synchronisation ${id}`} data-sync-group={id} data-sync-state={state.scroll}>
      {offered
        .filter((kind): kind is keyof typeof SyncKindLabels => kind in SyncKindLabels)
        .map((kind) => (
          <button key={kind} type="button" data-sync-kind={kind} aria-pressed={state.kinds.includes(kind)} onClick={() => toggle(kind)} title={`Keep ${SyncKindLabels[kind]} in step`}>
            {SyncKindLabels[kind]}
          </button>
        ))}
      <button type="button" data-sync-action="link-here" title="These slices show the same anatomy: scroll together from here (K)" onClick={() => sync.linkHere()}>
        Link here
      </button>
      <button type="button" data-sync-action="unlink" title="Scroll each series on its own (U)" onClick={() => sync.unlink()}>
        Unlink
      </button>
      <span className="muted">{ScrollStateText[state.scroll]}</span>
    </div>
  );
}

/**
 * The images area: the hung protocol's stage as a grid of cells, with stage switching, sync
 * controls and notices. In MPR mode the active cell's volume takes the whole area.
 */
export function ViewerGrid() {
  const store = useCrossviewStore();
  const hanging = useCrossview((s) => s.hanging);
  const viewportIds = useCrossview((s) => s.viewports.map((v) => v.viewportId).join(','));
  const activeViewportId = useCrossview((s) => s.activeViewportId);
  const maximised = useCrossview((s) => s.maximisedViewportId);
  const notice = useCrossview((s) => s.hangingNotice);
  const protocolErrors = useCrossview((s) => s.protocolErrors);
  const { layoutMode } = useLayoutToggle();
  const protocol = hanging?.decision.protocol;
  const stage = hanging ? hanging.decision.stages[hanging.stageIndex] : undefined;
  const currentUid = hanging?.decision.current.StudyInstanceUID;

  // One synchroniser per protocol sync group, made afresh for each study read (links do not carry over).
  // Made and disposed by one effect: React may disconnect and reconnect effects while keeping
  // memoised values (a suspended subtree), and a disposed synchroniser must never be handed out.
  const [syncs, setSyncs] = useState<ReadonlyMap<string, ViewportSync>>(NoSyncs);
  useEffect(() => {
    const made = new Map((protocol?.syncGroups ?? []).map((group) => [group.id, createViewportSync({ kinds: group.kinds })]));
    // Deliberate: the synchronisers are resources whose lifetime must be exactly this effect's.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSyncs(made);
    return () => made.forEach((sync) => sync.dispose());
  }, [protocol, currentUid]);

  // F shows the active cell alone (and back). Stage keys: ] next, [ previous; K links the active cell's groups here ("link"; L is the length tool), U unlinks.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target instanceof HTMLElement && (['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName) || event.target.isContentEditable)) return;
      const state = store.getState();
      const current = state.hanging;
      if (event.key === 'f' || event.key === 'F') {
        if (state.viewports.length > 0) state.toggleMaximised(state.activeViewportId);
        event.preventDefault();
        return;
      }
      if (!current) return;
      if (event.key === ']' || event.key === '[') {
        state.setStage(current.stageIndex + (event.key === ']' ? 1 : -1));
      } else if (event.key === 'k' || event.key === 'K' || event.key === 'u' || event.key === 'U') {
        const groups = state.viewports.find((v) => v.viewportId === state.activeViewportId)?.syncGroups ?? [];
        for (const id of groups) {
          const sync = syncs.get(id);
          if (event.key.toLowerCase() === 'k') sync?.linkHere();
          else sync?.unlink();
        }
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, syncs]);

  // Observable: every filled cell of the stage has shown its first image.
  const allReady = useCrossview((s) => s.viewports.length > 0 && s.viewports.every((v) => v.load.kind === 'empty' || v.load.kind === 'error' || v.firstImageShown));
  useEffect(() => {
    if (allReady && protocol && hanging) performance.mark(PerformanceMarks.hangingReady(protocol.id, hanging.stageIndex));
  }, [allReady, protocol, hanging?.stageIndex]); // eslint-disable-line react-hooks/exhaustive-deps

  const ids = viewportIds ? viewportIds.split(',') : [];
  if (ids.length === 0) return <div className="viewport empty">Select a study on the left to view its images.</div>;
  // A stage of volume planes of one series (axial, coronal, sagittal) is the MPR layout with its
  // crosshairs, which are the reference lines between the planes.
  const first = stage?.viewports[0]?.content;
  const planes =
    stage !== undefined &&
    stage.viewports.length > 1 &&
    first?.kind === 'series' &&
    stage.viewports.every((v) => v.options.kind === 'volume' && v.content.kind === 'series' && v.content.SeriesInstanceUID === first.SeriesInstanceUID);
  const mpr = layoutMode === 'mpr' || planes;
  // MPR takes the active cell's volume over the whole area; a maximised cell shows alone.
  const alone = planes ? ids[0]! : mpr ? (ids.includes(activeViewportId) ? activeViewportId : ids[0]!) : maximised && ids.includes(maximised) ? maximised : undefined;
  const layout = stage?.layout ?? { kind: 'grid', rows: 1, columns: Math.max(1, ids.length) };
  const grid = gridOf(layout);
  return (
    <SyncContext.Provider value={syncs}>
      <div className="hanging">
        {protocol && stage && (
          <div className="hanging-bar" role="toolbar" aria-label="Hanging protocol">
            <select
              className="hanging-name"
              aria-label="Hanging protocol"
              data-protocol-select
              title={protocol.description ?? ''}
              value={protocol.id}
              onChange={(event) => {
                // Hand the keys back to the images: arrows on a focused picker would change the protocol.
                event.target.blur();
                void store.getState().applyHangingViewState({ protocolId: event.target.value, stageIndex: 0 });
              }}
            >
              {hanging.decision.matches
                .filter((match) => match.applies || match.protocol.id === protocol.id)
                .map((match) => (
                  <option key={match.protocol.id} value={match.protocol.id}>
                    {match.protocol.name}
                  </option>
                ))}
            </select>
            {hanging.decision.stages.length > 1 &&
              hanging.decision.stages.map((s, i) => (
                <button key={s.id} type="button" data-stage-button={i} aria-pressed={i === hanging.stageIndex} title={`${s.name} (keys [ and ])`} onClick={() => store.getState().setStage(i)}>
                  {s.name}
                </button>
              ))}
            {[...syncs].map(([id, sync]) => (
              <SyncStrip key={id} id={id} sync={sync} offered={protocol.syncGroups.find((g) => g.id === id)?.kinds ?? []} />
            ))}
            {notice && <span className="hanging-notice" role="status">{notice}</span>}
            {protocolErrors.length > 0 && (
              <span className="hanging-notice" role="status" title={protocolErrors.join('\n')}>
                {protocolErrors.length} department protocol file problem{protocolErrors.length === 1 ? '' : 's'}
              </span>
            )}
          </div>
        )}
        <div className="hanging-cells" style={alone ? { display: 'grid' } : grid.container}>
          {/* Keyed cells keep their views when one is shown alone (no reload, no second first-image). */}
          {ids.map((id, i) =>
            alone && id !== alone ? null : (
              <div key={id} className="hanging-cell" style={alone ? {} : (grid.cells[i] ?? {})}>
                <ViewportPane viewportId={id} index={i} mprAllowed planes={planes} />
              </div>
            ),
          )}
        </div>
      </div>
    </SyncContext.Provider>
  );
}
