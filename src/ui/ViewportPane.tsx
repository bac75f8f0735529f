import { useEffect, useMemo, useRef, useState } from 'react';
import { CtWindowPresets, applyMeasurementReports, cornerTextFor, mountStackView, presetForKey, publishViewport, seriesFacts, stackImagesFor, type StackView } from '../imaging/index';
import { formatDicomDate } from '../patients/index';
import { naturalize } from '../sites/index';
import type { ViewportState } from '../store/index';
import { useCrossview, useCrossviewStore } from './storeContext';
import { Toolbar } from './Toolbar';
import { MprLayout } from './MprLayout';
import { useLayoutToggle } from './useLayoutToggle';

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

function StackCanvas({ viewport, siteName }: { viewport: ViewportState & { load: { kind: 'ready' } }; siteName: string }) {
  const store = useCrossviewStore();
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<StackView | null>(null);
  const [mounted, setMounted] = useState<StackView | null>(null);
  const saved = useCrossview((s) => s.savedMeasurements);
  const { viewportId, SeriesInstanceUID, siteId, StudyInstanceUID } = viewport;
  const instances = viewport.load.instances;
  const images = useMemo(
    () => stackImagesFor({ siteId, StudyInstanceUID, SeriesInstanceUID, dicomwebRoot: store.getState().sites[siteId]!.dicomwebRoot }, instances),
    [instances, siteId, StudyInstanceUID, SeriesInstanceUID, store],
  );
  const facts = useMemo(() => seriesFacts(instances[0] ? naturalize(instances[0]) : undefined), [instances]);

  useEffect(() => {
    const el = element.current;
    if (!el || images.length === 0) return;
    let cancelled = false;
    let unpublish = () => {};
    const update = store.getState().updateViewport;
    void mountStackView(
      el,
      { viewportId, images, seriesInstanceUID: SeriesInstanceUID, initialIndex: Math.floor((images.length - 1) / 2) },
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
      unpublish = publishViewport(mounted);
    });
    const onKey = (event: KeyboardEvent) => {
      if (!view.current || (event.target instanceof HTMLElement && ['INPUT', 'TEXTAREA'].includes(event.target.tagName))) return;
      if (handleKey(view.current, event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      cancelled = true;
      window.removeEventListener('keydown', onKey);
      unpublish();
      view.current?.dispose();
      view.current = null;
      setMounted(null);
    };
  }, [images, viewportId, SeriesInstanceUID, store]);

  // Saved measurements (looked for when the study was selected) go on the images once both are here.
  useEffect(() => {
    if (!mounted) return;
    if (saved?.StudyInstanceUID !== StudyInstanceUID) {
      void store.getState().findSavedMeasurements(StudyInstanceUID, siteId);
      return;
    }
    if (saved.files.kind !== 'ready') return;
    store.getState().noteMeasurementsLoaded(applyMeasurementReports(mounted.tools, images, StudyInstanceUID, saved.files.files));
  }, [mounted, saved, images, StudyInstanceUID, siteId, store]);

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
      {mounted && <Toolbar view={mounted} />}
      {facts.Modality === 'CT' && (
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

/** One viewport; every attribute the Observable contract promises sits on its outer element. */
export function ViewportPane() {
  const viewport = useCrossview((s) => s.viewport);
  const sites = useCrossview((s) => s.sites);
  const { layoutMode, layoutNotice, toggle } = useLayoutToggle();
  if (!viewport) {
    return <div className="viewport empty">Select a study on the left to view its images.</div>;
  }
  const siteName = sites[viewport.siteId]?.name ?? viewport.siteId;
  return (
    <div
      className="viewport"
      data-viewport-id={viewport.viewportId}
      data-site-id={viewport.siteId}
      data-study-uid={viewport.StudyInstanceUID}
      data-series-uid={viewport.SeriesInstanceUID}
      data-image-index={viewport.imageIndex}
      data-ready={viewport.firstImageShown ? 'true' : 'false'}
    >
      <div className="viewport-site" title="Hospital this series comes from">
        {siteName}
        <button type="button" className="mpr-toggle" aria-pressed={layoutMode === 'mpr'} title="Axial, sagittal and coronal with crosshairs (key M)" onClick={toggle} style={{ float: 'right', fontSize: 11, padding: '0 6px' }}>
          MPR
        </button>
      </div>
      {layoutNotice && <div className="viewport-warning" role="status" style={{ top: 26, bottom: 'auto' }}>{layoutNotice}</div>}
      {viewport.load.kind === 'loading-metadata' && <div className="viewport-message"><span className="spinner" /> Loading series from {siteName}…</div>}
      {viewport.load.kind === 'error' && <div className="viewport-message error" role="alert">{viewport.load.message}</div>}
      {viewport.imageError && <div className="viewport-message error" role="alert">{viewport.imageError}</div>}
      {viewport.preview && (
        <div className="viewport-preview" role="status">
          Preview: full quality loading
        </div>
      )}
      {viewport.load.kind === 'ready' && layoutMode === 'stack' && <StackCanvas viewport={viewport as ViewportState & { load: { kind: 'ready' } }} siteName={siteName} />}
      {viewport.load.kind === 'ready' && layoutMode === 'mpr' && <MprLayout viewport={viewport as ViewportState & { load: { kind: 'ready' } }} siteName={siteName} />}
    </div>
  );
}
