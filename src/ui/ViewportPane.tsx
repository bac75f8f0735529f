import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import { LocalFilesLabel, LocalSiteId, type ViewportPreset } from '../contracts/index';
import { CtWindowPresets, applyMeasurementReports, cornerTextFor, mountStackView, presetForKey, publishViewport, seriesFacts, stackImagesFor, type StackView } from '../imaging/index';
import { formatDicomDate } from '../patients/index';
import { naturalize } from '../sites/index';
import type { ViewportState } from '../store/index';
import { useCrossview, useCrossviewStore } from './storeContext';
import { parseDragData, TimelineDragType } from './dragData';
import { RtPanel } from './RtPanel';
import { SyncContext } from './syncContext';
import { Toolbar } from './Toolbar';
import { MprLayout } from './MprLayout';

/** Keys a radiologist expects on a stack (PACS conventions). */
function handleKey(view: StackView, event: KeyboardEvent): boolean {
  const index = view.currentIndex();
  const preset = presetForKey(event.key);
  if (preset) view.applyWindow(preset);
  else if (event.key === 'ArrowDown' || event.key === 'ArrowRight') view.scroll(1);
  else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') view.scroll(-1);
  else if (event.key === 'PageDown') view.setImageIndex(index + 10);
  else if (event.key === 'PageUp') view.setImageIndex(index - 10);
  else if (event.key === 'Home') view.setImageIndex(0);
  else if (event.key === 'End') view.setImageIndex(view.imageCount - 1);
  else if (event.key === 'r' || event.key === 'R') view.reset();
  else return false;
  return true;
}

function windowOfPreset(preset: ViewportPreset | undefined): { windowWidth: number; windowCenter: number } | undefined {
  if (preset === undefined) return undefined;
  if (typeof preset === 'object') return preset;
  return CtWindowPresets.find((p) => p.id === preset);
}

type ReadyViewport = ViewportState & { load: { kind: 'ready' } };

function StackCanvas({ viewport, siteName, active }: { viewport: ReadyViewport; siteName: string; active: boolean }) {
  const store = useCrossviewStore();
  const syncs = useContext(SyncContext);
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<StackView | null>(null);
  const [mounted, setMounted] = useState<StackView | null>(null);
  const [host, setHost] = useState<HTMLDivElement | null>(null);
  const saved = useCrossview((s) => s.savedMeasurements);
  const openStudyUid = useCrossview((s) => s.openStudy?.StudyInstanceUID);
  const { viewportId, SeriesInstanceUID, siteId, StudyInstanceUID } = viewport;
  const instances = viewport.load.instances;
  const images = useMemo(
    () => stackImagesFor({ siteId, StudyInstanceUID, SeriesInstanceUID, dicomwebRoot: store.getState().sites[siteId]?.dicomwebRoot ?? '' }, instances),
    [instances, siteId, StudyInstanceUID, SeriesInstanceUID, store],
  );
  const facts = useMemo(() => seriesFacts(instances[0] ? naturalize(instances[0]) : undefined), [instances]);
  // A prior's slices load behind the current study's.
  const isPrior = viewport.role === 'prior';

  useEffect(() => {
    const el = element.current;
    if (!el || images.length === 0) return;
    let cancelled = false;
    let unpublish = () => {};
    const update = (patch: Parameters<ReturnType<typeof store.getState>['updateViewport']>[0]) => store.getState().updateViewport(patch, viewportId);
    void mountStackView(
      el,
      { viewportId, images, seriesInstanceUID: SeriesInstanceUID, initialIndex: Math.floor((images.length - 1) / 2), backgroundPriority: isPrior ? 10 : 5 },
      {
        onImageChange: ({ index, total, position }) => update({ imageIndex: index, imageTotal: total, ...(position !== undefined ? { position } : {}) }),
        onWindowChange: (window) => update({ window }),
        onLoadProgress: (progress) => update({ progress }),
        onFirstImage: () => update({ firstImageShown: true }),
        onError: (message) => update({ imageError: message }),
        onErrorCleared: () => update({ imageError: undefined }),
        onImageQuality: ({ preview }) => update({ preview }),
      },
    ).then((mounted) => {
      if (cancelled) {
        mounted.dispose();
        return;
      }
      view.current = mounted;
      setMounted(mounted);
      setHost(el);
      unpublish = publishViewport(mounted);
    });
    return () => {
      cancelled = true;
      unpublish();
      view.current?.dispose();
      view.current = null;
      setMounted(null);
    };
  }, [images, viewportId, SeriesInstanceUID, store]); // eslint-disable-line react-hooks/exhaustive-deps -- the priority is read once, at mount

  // Keys go to the active cell only.
  useEffect(() => {
    if (!active || !mounted) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
      if (handleKey(mounted, event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, mounted]);

  // The protocol's window for this cell and stage (a stage change re-applies it).
  const presetKey = JSON.stringify(viewport.preset ?? null);
  useEffect(() => {
    const window = windowOfPreset(JSON.parse(presetKey) as ViewportPreset | null ?? undefined);
    if (mounted && window) mounted.applyWindow(window, 'program');
  }, [mounted, presetKey]);

  // Mirrored / flipped as the protocol asks (mammograms chest wall to chest wall); the tools toggle.
  const applied = useRef({ mirrored: false, flipped: false });
  useEffect(() => {
    if (!mounted) return;
    applied.current = { mirrored: false, flipped: false };
  }, [mounted]);
  useEffect(() => {
    if (!mounted) return;
    if (Boolean(viewport.mirrored) !== applied.current.mirrored) {
      mounted.tools.flipHorizontal();
      applied.current.mirrored = Boolean(viewport.mirrored);
    }
    if (Boolean(viewport.flipped) !== applied.current.flipped) {
      mounted.tools.flipVertical();
      applied.current.flipped = Boolean(viewport.flipped);
    }
  }, [mounted, viewport.mirrored, viewport.flipped]);

  // Joins the protocol's sync groups for this cell.
  const groups = (viewport.syncGroups ?? []).join(',');
  useEffect(() => {
    if (!mounted || !groups) return;
    const leaves = groups.split(',').flatMap((id) => {
      const sync = syncs.get(id);
      return sync ? [sync.add(mounted)] : [];
    });
    return () => leaves.forEach((leave) => leave());
  }, [mounted, groups, syncs]);

  // Saved measurements belong to the study being read: they go on its images once both are here.
  const isCurrent = StudyInstanceUID === openStudyUid;
  useEffect(() => {
    if (!mounted || !isCurrent) return;
    if (saved?.StudyInstanceUID !== StudyInstanceUID) {
      void store.getState().findSavedMeasurements(StudyInstanceUID, siteId);
      return;
    }
    if (saved.files.kind !== 'ready') return;
    store.getState().noteMeasurementsLoaded(applyMeasurementReports(mounted.tools, images, StudyInstanceUID, saved.files.files));
  }, [mounted, saved, images, StudyInstanceUID, siteId, store, isCurrent]);

  const corners = cornerTextFor(
    { ...facts, siteName, index: viewport.imageIndex, total: viewport.imageTotal || images.length, ...(viewport.position !== undefined ? { position: viewport.position } : {}), ...(viewport.window ? { window: viewport.window } : {}) },
    formatDicomDate,
  );
  const progress = viewport.progress;
  return (
    <>
      <div ref={element} className="cs-element" onContextMenu={(e) => e.preventDefault()} />
      {(['topLeft', 'topRight', 'bottomLeft', 'bottomRight'] as const).map((corner) => (
        <div key={corner} className={`corner ${corner}`}>
          {corners[corner].map((line, i) => (
            <div key={i}>{line}</div>
          ))}
        </div>
      ))}
      {progress && progress.loaded + progress.failed < progress.total && (
        <div className="load-progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.loaded} aria-label="Slices loaded">
          <div style={{ width: `${(100 * progress.loaded) / progress.total}%` }} />
        </div>
      )}
      {progress && progress.failed > 0 && <div className="viewport-warning" role="alert">{progress.failed} of {progress.total} images could not be loaded from {siteName}</div>}
      {mounted && <Toolbar view={mounted} active={active} />}
      {mounted && host && <RtPanel view={mounted} element={host} StudyInstanceUID={StudyInstanceUID} siteId={siteId} />}
      {active && facts.Modality === 'CT' && (
        <div className="presets" role="toolbar" aria-label="Window presets">
          {CtWindowPresets.map((preset) => (
            <button key={preset.id} type="button" title={`${preset.label} (key ${preset.key})`} onClick={() => view.current?.applyWindow(preset)}>
              {preset.label}
            </button>
          ))}
        </div>
      )}
    </>
  );
}

/**
 * One cell of the grid; every attribute the Observable contract promises sits on its outer
 * element. A click makes it the active cell; a timeline study or series dropped on it replaces
 * what it shows.
 */
export function ViewportPane({ viewportId, index, mprAllowed, planes = false }: { viewportId: string; index: number; mprAllowed: boolean; planes?: boolean }) {
  const store = useCrossviewStore();
  const viewport = useCrossview((s) => s.viewports.find((v) => v.viewportId === viewportId));
  const active = useCrossview((s) => s.activeViewportId === viewportId);
  const sites = useCrossview((s) => s.sites);
  const layoutMode = useCrossview((s) => s.layoutMode);
  const layoutNotice = useCrossview((s) => s.layoutNotice);
  const toggle = () => {
    const state = store.getState();
    state.setActiveViewport(viewportId);
    state.setLayoutMode(state.layoutMode === 'mpr' ? 'stack' : 'mpr');
  };
  const [dragOver, setDragOver] = useState(false);
  if (!viewport) return null;
  const dropProps = {
    onDragOver: (event: React.DragEvent) => {
      if (!event.dataTransfer.types.includes(TimelineDragType)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      setDragOver(true);
    },
    onDragLeave: () => setDragOver(false),
    onDrop: (event: React.DragEvent) => {
      setDragOver(false);
      const raw = event.dataTransfer.getData(TimelineDragType);
      if (!raw) return;
      event.preventDefault();
      const item = parseDragData(raw);
      if (item) void store.getState().dropOnViewport(index, item);
    },
  };
  const common = {
    'data-viewport-id': viewportId,
    'data-active': active ? 'true' : 'false',
    'data-display-set': viewport.displaySetId ?? '',
    'data-drop-target': dragOver ? 'true' : 'false',
    onMouseDown: () => store.getState().setActiveViewport(viewportId),
    onDoubleClick: () => store.getState().toggleMaximised(viewportId),
    title: 'Double-click or F: this image alone / back to the layout',
    ...dropProps,
  };
  if (viewport.load.kind === 'empty') {
    return (
      <div className="viewport empty" {...common}>
        {viewport.load.reason}
      </div>
    );
  }
  const siteName = sites[viewport.siteId]?.name ?? (viewport.siteId === LocalSiteId ? LocalFilesLabel : viewport.siteId);
  // A refused volume (too large, not a volume) falls back to the stack with the notice shown.
  const mpr = mprAllowed && (layoutMode === 'mpr' || (planes && !layoutNotice));
  return (
    <div
      className={active ? 'viewport active' : 'viewport'}
      {...common}
      data-site-id={viewport.siteId}
      data-study-uid={viewport.StudyInstanceUID}
      data-series-uid={viewport.SeriesInstanceUID}
      data-image-index={viewport.imageIndex}
      data-ready={viewport.firstImageShown ? 'true' : 'false'}
      data-role={viewport.role ?? 'current'}
      data-mirrored={viewport.mirrored ? 'true' : 'false'}
    >
      <div className="viewport-site" title="Hospital this series comes from">
        {siteName}
        {viewport.role === 'prior' && <span className="viewport-role"> · prior</span>}
        {mprAllowed && active && (
          <button type="button" className="mpr-toggle" aria-pressed={layoutMode === 'mpr'} title="Axial, sagittal and coronal with crosshairs (key M)" onClick={toggle} style={{ float: 'right', fontSize: 11, padding: '0 6px' }}>
            MPR
          </button>
        )}
      </div>
      {active && layoutNotice && <div className="viewport-warning" role="status" style={{ top: 26, bottom: 'auto' }}>{layoutNotice}</div>}
      {viewport.load.kind === 'loading-metadata' && <div className="viewport-message"><span className="spinner" /> Loading series from {siteName}…</div>}
      {viewport.load.kind === 'error' && <div className="viewport-message error" role="alert">{viewport.load.message}</div>}
      {viewport.imageError && <div className="viewport-message error" role="alert">{viewport.imageError}</div>}
      {viewport.preview && (
        <div className="viewport-preview" role="status">
          Preview: full quality loading
        </div>
      )}
      {viewport.load.kind === 'ready' && !mpr && <StackCanvas viewport={viewport as ReadyViewport} siteName={siteName} active={active} />}
      {viewport.load.kind === 'ready' && mpr && <MprLayout viewport={viewport as ReadyViewport} siteName={siteName} />}
    </div>
  );
}
