import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import {
  findRtObjects,
  formatIsodoseLevel,
  levelInGy,
  mountRtOverlayOn,
  parseIsodoseLevels,
  rtOverlayGroup,
  stackSurface,
  type RtOverlay,
  type RtOverlaySurface,
  type StackView,
  type Structure,
} from '../imaging/index';
import { useCrossview, useCrossviewStore } from './storeContext';

interface RtShown {
  /** All the surfaces' overlays as one (toggles, levels, wash go to every plane). */
  overlay: RtOverlay;
  /** Each element with its own overlay, for the probe under the pointer. */
  probes: { element: HTMLElement; overlay: RtOverlay }[];
  structures: Structure[];
  hasDose: boolean;
}

/** A view the RT objects are drawn on and the element its canvas sits over. */
export interface RtSurfaceMount {
  surface: RtOverlaySurface;
  element: HTMLElement;
}

const RtModalities = new Set(['RTSTRUCT', 'RTDOSE']);

/** The RT panel of a stack cell. */
export function RtPanel({ view, element, StudyInstanceUID, siteId }: { view: StackView; element: HTMLElement; StudyInstanceUID: string; siteId: string }) {
  const surfaces = useMemo(() => [{ surface: stackSurface(view, element), element }], [view, element]);
  return <RtPanelOn surfaces={surfaces} frameOfReferenceUID={view.frameOfReferenceUID} StudyInstanceUID={StudyInstanceUID} siteId={siteId} />;
}

/**
 * Radiotherapy objects of the study drawn on one or more views of one series (a stack cell, or
 * the three planes of an MPR: structures, isodoses, dose wash), with one structure list
 * (visibility, volume, jump) for all of them and a dose probe under the pointer. Only objects of
 * the series' own frame of reference are drawn; the overlay itself lives in imaging/.
 */
export function RtPanelOn({
  surfaces,
  frameOfReferenceUID,
  StudyInstanceUID,
  siteId,
  style,
}: {
  surfaces: readonly RtSurfaceMount[];
  frameOfReferenceUID: string | undefined;
  StudyInstanceUID: string;
  siteId: string;
  style?: CSSProperties;
}) {
  const store = useCrossviewStore();
  const hasRt = useCrossview((s) => (s.seriesByStudy[StudyInstanceUID] ?? []).some((series) => RtModalities.has(series.Modality)));
  const [shown, setShown] = useState<RtShown>();
  const [problem, setProblem] = useState<string>();
  const [, setVersion] = useState(0);
  const [dose, setDose] = useState<string>();
  const [open, setOpen] = useState(true);

  useEffect(() => {
    if (!hasRt || surfaces.length === 0) return;
    let live = true;
    let overlay: RtOverlay | undefined;
    const state = store.getState();
    const held = state.timeline.find((study) => study.StudyInstanceUID === StudyInstanceUID)?.locations.map((l) => l.siteId) ?? [];
    const sites = [siteId, ...held.filter((id) => id !== siteId)].flatMap((id) => (state.sites[id] ? [state.sites[id]] : []));
    void findRtObjects(StudyInstanceUID, sites).then((objects) => {
      if (!live) return;
      const structureSet = objects.structureSets.find((set) => set.FrameOfReferenceUID === frameOfReferenceUID);
      const grid = objects.doses.find((d) => d.FrameOfReferenceUID === frameOfReferenceUID);
      if (objects.problems.length > 0) setProblem(objects.problems.join(' '));
      if (!structureSet && !grid) return;
      const data = { ...(structureSet ? { structureSet } : {}), ...(grid ? { dose: grid } : {}) };
      const probes = surfaces.map(({ surface, element }) => ({ element, overlay: mountRtOverlayOn(surface, element, data) }));
      overlay = rtOverlayGroup(probes.map((p) => p.overlay));
      setShown({ overlay, probes, structures: structureSet?.structures ?? [], hasDose: grid !== undefined });
    });
    return () => {
      live = false;
      overlay?.dispose();
      setShown(undefined);
    };
  }, [hasRt, surfaces, frameOfReferenceUID, StudyInstanceUID, siteId, store]);

  // The dose under the pointer, in Gy, on whichever view it is over.
  useEffect(() => {
    if (!shown?.hasDose) return;
    const offs = shown.probes.map(({ element, overlay }) => {
      const onMove = (event: MouseEvent) => {
        const box = element.getBoundingClientRect();
        const point = overlay.canvasToPatient(event.clientX - box.left, event.clientY - box.top);
        const gy = point ? overlay.doseAt(point) : undefined;
        setDose(gy === undefined ? undefined : `${gy.toFixed(1)} Gy`);
      };
      const onLeave = () => setDose(undefined);
      element.addEventListener('mousemove', onMove);
      element.addEventListener('mouseleave', onLeave);
      return () => {
        element.removeEventListener('mousemove', onMove);
        element.removeEventListener('mouseleave', onLeave);
      };
    });
    return () => offs.forEach((off) => off());
  }, [shown]);

  if (!shown) return problem ? <div className="rt-panel rt-problem" role="status">{problem}</div> : null;
  const { overlay } = shown;
  const toggle = (ROINumber: number) => {
    overlay.setVisible(ROINumber, !overlay.isVisible(ROINumber));
    setVersion((v) => v + 1);
  };
  return (
    <div className="rt-panel" role="group" aria-label="Radiotherapy" style={style}>
      <button type="button" className="rt-title" aria-expanded={open} onClick={() => setOpen(!open)}>
        RT {overlay.problem ? '(not drawn)' : ''}
      </button>
      {overlay.problem && <div className="rt-problem" role="status">{overlay.problem}</div>}
      {open && (
        <>
          <ul className="rt-structures">
            {shown.structures.map((structure) => (
              <li key={structure.ROINumber} data-rt-structure={structure.ROIName}>
                <label>
                  <input type="checkbox" checked={overlay.isVisible(structure.ROINumber)} onChange={() => toggle(structure.ROINumber)} />
                  <span className="rt-swatch" style={{ background: `rgb(${structure.color.join(',')})` }} />
                  {structure.ROIName}
                </label>
                <span className="rt-volume" data-rt-volume-cc={structure.volumeCc?.toFixed(1) ?? ''}>
                  {structure.volumeCc === undefined ? '—' : `${structure.volumeCc.toFixed(1)} cc`}
                </span>
                <button type="button" title={`Go to ${structure.ROIName}`} disabled={!structure.centre} onClick={() => overlay.jumpTo(structure.ROINumber)}>
                  Go
                </button>
              </li>
            ))}
          </ul>
          {shown.hasDose && (
            <>
              <label className="rt-wash">
                <input
                  type="checkbox"
                  data-rt-wash
                  onChange={(event) => {
                    overlay.setWash(event.target.checked);
                    setVersion((v) => v + 1);
                  }}
                />
                Dose wash
              </label>
              <div className="rt-dose" data-dose-readout={dose ?? ''}>
                Dose: {dose ?? '—'} {overlay.prescriptionGy !== undefined && <span className="muted">(100 % = {overlay.prescriptionGy.toFixed(1)} Gy)</span>}
              </div>
              <IsodoseLevelsField overlay={overlay} onApplied={() => setVersion((v) => v + 1)} />
            </>
          )}
        </>
      )}
    </div>
  );
}

/** The isodose levels drawn, typed as the department writes them ("95 80 50 20 %", "57 30 Gy"), with their legend. */
function IsodoseLevelsField({ overlay, onApplied }: { overlay: RtOverlay; onApplied: () => void }) {
  const [text, setText] = useState(() => overlay.isodoseLevels().map(formatIsodoseLevel).join(', '));
  const [problem, setProblem] = useState<string>();
  const apply = () => {
    const parsed = parseIsodoseLevels(text);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(undefined);
    overlay.setIsodoseLevels(parsed.levels);
    onApplied();
  };
  const prescription = overlay.prescriptionGy;
  return (
    <div className="rt-isodose">
      <label>
        Isodoses
        <input
          data-isodose-levels
          value={text}
          aria-invalid={problem !== undefined}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') apply();
          }}
          onBlur={apply}
        />
      </label>
      {problem && (
        <div className="rt-problem" role="alert">
          {problem}
        </div>
      )}
      <ul className="rt-isodose-legend" aria-label="Isodose legend">
        {overlay.isodoseLevels().map((level) => (
          <li key={`${level.value}${level.unit}`} data-isodose-level={formatIsodoseLevel(level)}>
            <span className="rt-swatch" style={{ background: level.color }} />
            {formatIsodoseLevel(level)}
            {prescription !== undefined && level.unit === '%' && <span className="muted"> = {levelInGy(level, prescription).toFixed(1)} Gy</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
