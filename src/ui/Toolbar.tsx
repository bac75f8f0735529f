import { useEffect, useSyncExternalStore, type CSSProperties } from 'react';
import { PrimaryTools, ViewActions, measurementReportOf, scaleBarFor, toolForKey, viewActionForKey, type StackView, type ViewActionId } from '../imaging/index';
import { useCrossview } from './storeContext';

const bar: CSSProperties = { position: 'absolute', bottom: 10, left: '50%', transform: 'translateX(-50%)', zIndex: 3, display: 'flex', flexWrap: 'wrap', gap: 3, justifyContent: 'center', maxWidth: '96%', opacity: 0.9 };
const button: CSSProperties = { fontSize: 11, padding: '2px 6px' };
const activeButton: CSSProperties = { ...button, background: '#2f6fb3', color: '#fff', outline: '1px solid #9cc8ff' };
const note: CSSProperties = { position: 'absolute', bottom: 40, left: '50%', transform: 'translateX(-50%)', zIndex: 3, fontSize: 12, padding: '2px 8px', background: 'rgba(0,0,0,0.7)' };
const marker: CSSProperties = { position: 'absolute', zIndex: 2, color: '#ffd479', fontSize: 14, fontWeight: 600, textShadow: '0 0 3px #000', pointerEvents: 'none' };

function runAction(view: StackView, action: ViewActionId) {
  const { tools } = view;
  if (action === 'invert') tools.invert();
  else if (action === 'rotate') tools.rotate90();
  else if (action === 'flipH') tools.flipHorizontal();
  else if (action === 'flipV') tools.flipVertical();
  else if (action === 'cine') tools.setCine({ playing: !tools.cine().playing });
  else view.reset();
}

function useToolState<T>(view: StackView, read: () => T): T {
  return useSyncExternalStore(view.tools.subscribe, read);
}

/** The patient directions on each screen edge, following rotation and flips. */
function OrientationMarkers({ view }: { view: StackView }) {
  const text = useToolState(view, () => JSON.stringify(view.tools.orientation() ?? null));
  const markers = JSON.parse(text) as ReturnType<StackView['tools']['orientation']> | null;
  if (!markers) return null;
  return (
    <div aria-label="Orientation markers" data-orientation={`${markers.top} ${markers.right} ${markers.bottom} ${markers.left}`}>
      <div style={{ ...marker, top: 48, left: '50%' }}>{markers.top}</div>
      <div style={{ ...marker, bottom: 44, left: '50%' }}>{markers.bottom}</div>
      <div style={{ ...marker, left: 8, top: '50%' }}>{markers.left}</div>
      <div style={{ ...marker, right: 8, top: '50%' }}>{markers.right}</div>
    </div>
  );
}

/** A round-length bar (1, 2 or 5 × 10ⁿ mm) at the current zoom. */
function ScaleBar({ view }: { view: StackView }) {
  const mmPerPixel = useToolState(view, () => view.tools.mmPerScreenPixel());
  const bar = mmPerPixel ? scaleBarFor(mmPerPixel, 150) : undefined;
  if (!bar) return null;
  return (
    <div data-scale-bar={bar.label} style={{ position: 'absolute', right: 12, bottom: 72, zIndex: 2, pointerEvents: 'none', color: '#e8eef5', fontSize: 11, textAlign: 'center', textShadow: '0 0 3px #000' }}>
      <div style={{ width: bar.pixels, height: 4, borderLeft: '1px solid #e8eef5', borderRight: '1px solid #e8eef5', borderBottom: '1px solid #e8eef5' }} />
      {bar.label}
    </div>
  );
}

/**
 * Tool and view-action buttons for one stack viewport, with their keyboard shortcuts, the save
 * button for measurements (the store saves them and says how it went), and orientation markers.
 */
/** Markers and scale bar on every cell; the tool strip and its keys only on the active one. */
export function Toolbar({ view, active: isActive = true }: { view: StackView; active?: boolean }) {
  const active = useToolState(view, () => view.tools.activeTool());
  const cine = useToolState(view, () => view.tools.cine());
  const message = useCrossview((s) => s.measurementsMessage);
  const saveMeasurements = useCrossview((s) => s.saveMeasurements);

  useEffect(() => {
    if (!isActive) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName)) return;
      if (event.key === 'Escape') view.tools.setActiveTool('windowLevel');
      else {
        const tool = toolForKey(event.key);
        const action = viewActionForKey(event.key);
        if (tool) view.tools.setActiveTool(tool);
        // Reset (R) is the viewport's own key; the others are ours.
        else if (action && action !== 'reset') runAction(view, action);
        else return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [view, isActive]);

  return (
    <>
      <OrientationMarkers view={view} />
      <ScaleBar view={view} />
      {isActive && message && (
        <div style={{ ...note, color: message.kind === 'ok' ? '#b7f5c4' : '#ffb4ae' }} role={message.kind === 'error' ? 'alert' : 'status'} data-measurements-message={message.kind}>
          {message.text}
        </div>
      )}
      {isActive && (
      <div style={bar} role="toolbar" aria-label="Viewer tools">
        {PrimaryTools.map((tool) => (
          <button
            key={tool.id}
            type="button"
            style={tool.id === active ? activeButton : button}
            aria-pressed={tool.id === active}
            data-tool={tool.id}
            title={`${tool.title} (${tool.key}; Esc returns to W/L)`}
            onClick={() => view.tools.setActiveTool(tool.id)}
          >
            {tool.label}
          </button>
        ))}
        {ViewActions.map((action) => (
          <button
            key={action.id}
            type="button"
            style={action.id === 'cine' && cine.playing ? activeButton : button}
            data-action={action.id}
            {...(action.id === 'cine' ? { 'aria-pressed': cine.playing } : {})}
            title={`${action.title} (${action.key})`}
            onClick={() => runAction(view, action.id)}
          >
            {action.id === 'cine' && cine.playing ? 'Pause' : action.label}
          </button>
        ))}
        <label style={{ ...button, display: 'flex', alignItems: 'center', gap: 2 }} title="Cine frames per second">
          <input
            type="number"
            min={1}
            max={60}
            value={cine.framesPerSecond}
            aria-label="Cine frames per second"
            style={{ width: 38, fontSize: 11 }}
            onChange={(event) => view.tools.setCine({ framesPerSecond: Number(event.target.value) || 1 })}
          />
          fps
        </label>
        <button type="button" style={button} data-action="save-measurements" title="Save measurements as DICOM SR to this study's hospital" onClick={() => void saveMeasurements(measurementReportOf(view.tools))}>
          Save measurements
        </button>
      </div>
      )}
    </>
  );
}
