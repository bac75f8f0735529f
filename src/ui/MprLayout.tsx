import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CtWindowPresets,
  mountVolumeView,
  planVolume,
  presetForKey,
  publishViewport,
  stackImagesFor,
  tooLargeMessage,
  volumeIdFor,
  volumeSurface,
  type MprOrientation,
  type VolumeView,
} from '../imaging/index';
import { naturalize } from '../sites/index';
import { MaxSlabThicknessMm, type ViewportState } from '../store/index';
import { RtPanelOn, type RtSurfaceMount } from './RtPanel';
import { useCrossview, useCrossviewStore } from './storeContext';

const Panes: readonly { orientation: MprOrientation; label: string }[] = [
  { orientation: 'axial', label: 'Axial' },
  { orientation: 'sagittal', label: 'Sagittal' },
  { orientation: 'coronal', label: 'Coronal' },
];

const grid = { position: 'absolute', inset: '22px 0 0 0', display: 'grid', gridTemplateColumns: '1fr 1fr', gridTemplateRows: '1fr 1fr', gap: '2px' } as const;
const cellArea: Record<MprOrientation, string> = { axial: '1 / 1 / 3 / 2', sagittal: '1 / 2 / 2 / 3', coronal: '2 / 2 / 3 / 3' };

/**
 * Axial, sagittal and coronal of the series' volume with crosshairs and slab MIP. A series that
 * is not a volume, or one that would not fit the image memory budget, is refused before anything
 * loads: the layout returns to the stack with the reason shown.
 */
export function MprLayout({ viewport, siteName }: { viewport: ViewportState & { load: { kind: 'ready' } }; siteName: string }) {
  const store = useCrossviewStore();
  const budget = useCrossview((s) => s.cacheBudgetBytes);
  const slab = useCrossview((s) => s.slabThicknessMm);
  const setSlab = useCrossview((s) => s.setSlabThickness);
  const { viewportId, SeriesInstanceUID, siteId, StudyInstanceUID } = viewport;
  const windowNow = useCrossview((s) => s.viewports.find((v) => v.viewportId === viewportId)?.window);
  const instances = viewport.load.instances;
  const images = useMemo(
    () => stackImagesFor({ siteId, StudyInstanceUID, SeriesInstanceUID, dicomwebRoot: store.getState().sites[siteId]?.dicomwebRoot ?? '' }, instances),
    [instances, siteId, StudyInstanceUID, SeriesInstanceUID, store],
  );
  const plan = useMemo(() => planVolume(instances.map(naturalize), budget), [instances, budget]);
  const elements = useRef<Partial<Record<MprOrientation, HTMLDivElement | null>>>({});
  const view = useRef<VolumeView | null>(null);
  // The study's structures and dose are drawn on every plane, with one RT panel for the three.
  const [rtSurfaces, setRtSurfaces] = useState<RtSurfaceMount[]>([]);
  const [progress, setProgress] = useState<{ loaded: number; failed: number; total: number }>();
  const [shown, setShown] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string>();
  const first = naturalize(instances[0] ?? {});
  const modality = first.Modality;
  const frameOfReferenceUID = typeof first.FrameOfReferenceUID === 'string' ? first.FrameOfReferenceUID : undefined;

  useEffect(() => {
    if (plan.kind === 'volume') return;
    const reason = plan.kind === 'too-large' ? tooLargeMessage(plan) : `MPR needs a volume: this series has ${plan.reason}.`;
    store.getState().setLayoutMode('stack', reason);
  }, [plan, store]);

  useEffect(() => {
    if (plan.kind !== 'volume') return;
    const panes = Panes.map(({ orientation }) => ({ viewportId: `${viewportId}-${orientation}`, orientation, element: elements.current[orientation] }));
    if (panes.some((pane) => !pane.element)) return;
    let cancelled = false;
    const unpublish: (() => void)[] = [];
    const initial = store.getState().viewports.find((v) => v.viewportId === viewportId)?.window ?? (modality === 'CT' ? CtWindowPresets[0] : undefined);
    void mountVolumeView(
      panes.map((pane) => ({ ...pane, element: pane.element! })),
      { volumeId: volumeIdFor(siteId, SeriesInstanceUID), images, seriesInstanceUID: SeriesInstanceUID, ...(initial ? { initialWindow: initial } : {}) },
      {
        onLoadProgress: setProgress,
        onFirstImage: (id) => setShown((before) => new Set([...before, id])),
        onWindowChange: (window) => store.getState().updateViewport({ window }, viewportId),
        onError: setError,
      },
    ).then(
      (mounted) => {
        if (cancelled) {
          mounted.dispose();
          return;
        }
        view.current = mounted;
        setRtSurfaces(panes.map((pane) => ({ surface: volumeSurface(mounted, pane.viewportId, frameOfReferenceUID), element: pane.element! })));
        mounted.setSlabThickness(store.getState().slabThicknessMm);
        for (const id of mounted.viewportIds) {
          unpublish.push(publishViewport({ viewportId: id, worldToCanvas: (point) => mounted.worldToCanvas(id, point), pixelValue: (point) => mounted.pixelValue(point) }));
        }
      },
      (failure: unknown) => setError(`The volume could not be loaded: ${failure instanceof Error ? failure.message : String(failure)}`),
    );
    const onKey = (event: KeyboardEvent) => {
      if (!view.current || (event.target instanceof HTMLElement && ['INPUT', 'TEXTAREA'].includes(event.target.tagName))) return;
      const preset = presetForKey(event.key);
      if (preset) view.current.applyWindow(preset);
      else if (event.key === 'r' || event.key === 'R') view.current.reset();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      cancelled = true;
      window.removeEventListener('keydown', onKey);
      for (const off of unpublish) off();
      view.current?.dispose();
      view.current = null;
      setRtSurfaces([]);
    };
  }, [plan.kind, images, viewportId, siteId, SeriesInstanceUID, modality, frameOfReferenceUID, store]);

  useEffect(() => view.current?.setSlabThickness(slab), [slab]);

  if (plan.kind !== 'volume') return null;
  const loading = progress && progress.loaded + progress.failed < progress.total;
  return (
    <>
      <div style={grid}>
        {Panes.map(({ orientation, label }) => {
          const id = `${viewportId}-${orientation}`;
          return (
            <div
              key={orientation}
              className="viewport mpr-pane"
              style={{ gridArea: cellArea[orientation], minHeight: 0 }}
              data-viewport-id={id}
              data-site-id={siteId}
              data-study-uid={StudyInstanceUID}
              data-series-uid={SeriesInstanceUID}
              data-orientation={orientation}
              data-ready={shown.has(id) ? 'true' : 'false'}
            >
              <div ref={(el) => void (elements.current[orientation] = el)} className="cs-element" onContextMenu={(e) => e.preventDefault()} />
              <div className="viewport-site" title="Hospital this series comes from">
                {siteName} · {label}
              </div>
              {windowNow && (
                <div className="corner bottomRight">
                  W {windowNow.windowWidth} L {windowNow.windowCenter}
                  {slab > 0 ? ` · MIP ${slab} mm` : ''}
                </div>
              )}
            </div>
          );
        })}
      </div>
      <label className="slab-control" style={{ position: 'absolute', top: 26, right: 8, zIndex: 4, color: '#e8eef5', fontSize: 12, background: 'rgba(0,0,0,0.6)', padding: '2px 6px' }}>
        Slab MIP (mm){' '}
        <input type="range" min={0} max={MaxSlabThicknessMm} step={1} value={slab} aria-label="Slab thickness in mm" onChange={(e) => setSlab(Number(e.target.value))} />{' '}
        <input type="number" min={0} max={MaxSlabThicknessMm} step={1} value={slab} style={{ width: 48 }} aria-label="Slab thickness in mm (number)" onChange={(e) => setSlab(Number(e.target.value))} />
      </label>
      {rtSurfaces.length > 0 && (
        <RtPanelOn surfaces={rtSurfaces} frameOfReferenceUID={frameOfReferenceUID} StudyInstanceUID={StudyInstanceUID} siteId={siteId} style={{ top: 'auto', right: 'auto', bottom: 8, left: 8 }} />
      )}
      {loading && (
        <div className="load-progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.loaded} aria-label="Volume slices loaded">
          <div style={{ width: `${(100 * progress.loaded) / progress.total}%` }} />
        </div>
      )}
      {progress && progress.failed > 0 && <div className="viewport-warning" role="alert">{progress.failed} of {progress.total} images could not be loaded from {siteName}</div>}
      {error && <div className="viewport-message error" role="alert">{error}</div>}
    </>
  );
}
