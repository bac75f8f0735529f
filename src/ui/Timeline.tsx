import { useMemo } from 'react';
import { formatDicomDate, type TimelineStudy } from '../patients/index';
import { dragDataOf, TimelineDragType, type DraggedStudy } from './dragData';
import { LocalFilesSection } from './LocalFilesSection';
import { PossibleMatches } from './PossibleMatches';
import { ReportBadge } from './ReportBadge';
import { SendDialog } from './SendDialog';
import { useCrossview, useCrossviewStore } from './storeContext';

function dragItem(item: DraggedStudy) {
  return {
    draggable: true,
    onDragStart: (event: React.DragEvent) => {
      event.dataTransfer.setData(TimelineDragType, dragDataOf(item));
      event.dataTransfer.effectAllowed = 'copy';
    },
  };
}

/** "current" or "prior" when the study is hanging in the grid. */
function useHangingRole(StudyInstanceUID: string): 'current' | 'prior' | undefined {
  return useCrossview((s) => {
    if (!s.hanging) return undefined;
    if (s.hanging.decision.current.StudyInstanceUID === StudyInstanceUID) return 'current';
    return s.viewports.some((v) => v.StudyInstanceUID === StudyInstanceUID) ? 'prior' : undefined;
  });
}

function StudyRow({ study, selected }: { study: TimelineStudy; selected: boolean }) {
  const store = useCrossviewStore();
  const sites = useCrossview((s) => s.sites);
  const openStudy = useCrossview((s) => s.openStudy);
  const activeSeries = useCrossview((s) => s.viewports.find((v) => v.viewportId === s.activeViewportId)?.SeriesInstanceUID);
  const hangingRole = useHangingRole(study.StudyInstanceUID);
  const location = study.locations[0]!;
  const open = () => void store.getState().selectStudy(study.StudyInstanceUID, location.siteId);
  // A series chosen from the list goes into the active cell (as if dropped there).
  const showSeries = (SeriesInstanceUID: string) => {
    const state = store.getState();
    const index = Math.max(0, state.viewports.findIndex((v) => v.viewportId === state.activeViewportId));
    void state.dropOnViewport(index, { siteId: openStudy?.siteId ?? location.siteId, StudyInstanceUID: study.StudyInstanceUID, SeriesInstanceUID });
  };
  return (
    <li
      data-timeline-study={study.StudyInstanceUID}
      data-site-id={location.siteId}
      data-link-basis={location.linkBasis}
      {...(hangingRole ? { 'data-hanging': hangingRole } : {})}
      className={selected ? 'selected' : ''}
    >
      <button type="button" className="study" onClick={open} aria-expanded={selected} title="Open with its priors; drag onto an image to show it there" {...dragItem({ siteId: location.siteId, StudyInstanceUID: study.StudyInstanceUID })}>
        {hangingRole && <span className={`hanging-mark ${hangingRole}`}>{hangingRole === 'current' ? 'Reading' : 'Prior shown'}</span>}
        <span className="study-date">{formatDicomDate(study.StudyDate)}</span>
        <span className="study-modality">{study.ModalitiesInStudy.filter((m) => m !== 'SR').join(' ') || '—'}</span>
        <span className="study-description">{study.StudyDescription || 'No description'}</span>
        <span className="site-badges">
          {study.locations.map((l) => (
            <span key={l.siteId} className="site-badge" data-site-id={l.siteId}>{sites[l.siteId]?.name ?? l.siteId}</span>
          ))}
          <ReportBadge study={study} />
        </span>
      </button>
      <button type="button" className="send-study" data-send-study={study.StudyInstanceUID} onClick={() => store.getState().openSend(study.StudyInstanceUID, location.siteId)} title="Copy this study to another hospital">Send to…</button>
      {selected && openStudy && (
        <ul className="series-list" aria-label="Series">
          {openStudy.series.kind === 'loading' && <li className="muted">Loading series…</li>}
          {openStudy.series.kind === 'error' && <li className="error" role="alert">{openStudy.series.message}</li>}
          {openStudy.series.kind === 'ready' &&
            openStudy.series.items.map((series) => (
              <li key={series.SeriesInstanceUID} data-series-uid={series.SeriesInstanceUID}>
                <button
                  type="button"
                  className={activeSeries === series.SeriesInstanceUID ? 'series active' : 'series'}
                  onClick={() => showSeries(series.SeriesInstanceUID)}
                  {...dragItem({ siteId: openStudy.siteId, StudyInstanceUID: study.StudyInstanceUID, SeriesInstanceUID: series.SeriesInstanceUID })}
                >
                  {series.Modality} {series.SeriesDescription || `Series ${series.SeriesNumber ?? ''}`} · {series.NumberOfSeriesRelatedInstances ?? '?'} im
                </button>
              </li>
            ))}
        </ul>
      )}
    </li>
  );
}

/** Filters by modality and hospital; the choices come from the studies themselves. */
function TimelineFilters({ timeline }: { timeline: TimelineStudy[] }) {
  const store = useCrossviewStore();
  const filter = useCrossview((s) => s.timelineFilter);
  const sites = useCrossview((s) => s.sites);
  const modalities = useMemo(() => [...new Set(timeline.flatMap((s) => s.ModalitiesInStudy))].filter((m) => !['SR', 'DOC', 'KO', 'PR'].includes(m)).sort(), [timeline]);
  const siteIds = useMemo(() => [...new Set(timeline.flatMap((s) => s.locations.map((l) => l.siteId)))], [timeline]);
  if (timeline.length < 2) return null;
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  return (
    <div className="timeline-filters" role="group" aria-label="Filter studies">
      {modalities.map((m) => (
        <button key={m} type="button" aria-pressed={filter.modalities.includes(m)} onClick={() => store.getState().setTimelineFilter({ modalities: toggle(filter.modalities, m) })}>
          {m}
        </button>
      ))}
      {siteIds.map((id) => (
        <button key={id} type="button" aria-pressed={filter.siteIds.includes(id)} onClick={() => store.getState().setTimelineFilter({ siteIds: toggle(filter.siteIds, id) })}>
          {sites[id]?.name ?? id}
        </button>
      ))}
    </div>
  );
}

/** Every study of the patient at every hospital, newest first, each with its hospital. */
export function Timeline() {
  const timeline = useCrossview((s) => s.timeline);
  const filter = useCrossview((s) => s.timelineFilter);
  const search = useCrossview((s) => s.search);
  const selectedUid = useCrossview((s) => s.openStudy?.StudyInstanceUID);
  const shown = useMemo(
    () =>
      timeline.filter(
        (study) =>
          (filter.modalities.length === 0 || study.ModalitiesInStudy.some((m) => filter.modalities.includes(m))) &&
          (filter.siteIds.length === 0 || study.locations.some((l) => filter.siteIds.includes(l.siteId))),
      ),
    [timeline, filter],
  );
  return (
    <aside className="timeline" aria-label="Studies">
      {/* Files the user just opened come first, apart from every hospital's studies. */}
      <LocalFilesSection />
      <h2>Studies {search === 'searching' && <span className="spinner" aria-label="searching" />}</h2>
      <TimelineFilters timeline={timeline} />
      {search === 'done' && timeline.length === 0 && <p className="muted">No studies for this patient at any hospital that answered.</p>}
      {shown.length < timeline.length && <p className="muted">{timeline.length - shown.length} studies hidden by the filter.</p>}
      <ol>
        {shown.map((study) => (
          <StudyRow key={study.StudyInstanceUID} study={study} selected={study.StudyInstanceUID === selectedUid} />
        ))}
      </ol>
      <PossibleMatches />
      <SendDialog />
    </aside>
  );
}
