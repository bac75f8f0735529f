/**
 * Dragging a timeline study or series onto a viewport, as a change of hanging view state (so a
 * meeting or URL carries it). A study dropped on a prior's viewport becomes that prior, and every
 * stage follows (the lung stage shows the same prior as the soft-tissue one). Anything else (a
 * specific series, a study dropped on the current study's viewport, or one the prior's display set
 * cannot show) refills that viewport alone, picking the study's series by the viewport's display-set rules, else its largest image.
 */
import type { HangingViewState, StudyKey } from '../contracts/index';
import { pickSeries } from './assignDisplaySets';
import { defaultSeries } from './displaySets';
import { hangingViewState, type HangingDecision } from './hangStudy';
import type { SeriesByStudy } from './studyFacts';

export interface DropTarget {
  stageIndex: number;
  viewportIndex: number;
}

export interface DroppedItem extends StudyKey {
  /** Absent when a whole study was dragged. */
  SeriesInstanceUID?: string;
}

export type DropResult =
  | { kind: 'changed'; viewState: HangingViewState }
  /** The dropped study's series must be fetched first (call again once they are in `seriesByStudy`). */
  | { kind: 'needs-series'; study: StudyKey }
  | { kind: 'refused'; reason: string };

export function dropOnViewport(decision: HangingDecision, target: DropTarget, dropped: DroppedItem, seriesByStudy: SeriesByStudy): DropResult {
  const stage = decision.stages[target.stageIndex];
  const viewport = stage?.viewports[target.viewportIndex];
  if (!viewport) return { kind: 'refused', reason: `no viewport ${target.viewportIndex + 1} in stage ${target.stageIndex + 1}` };
  const set = decision.protocol.displaySets.find((s) => s.id === viewport.displaySetId);
  const study: StudyKey = { siteId: dropped.siteId, StudyInstanceUID: dropped.StudyInstanceUID };
  const others = decision.viewportSeries.filter((o) => o.stageIndex !== target.stageIndex || o.viewportIndex !== target.viewportIndex);
  const isCurrent = dropped.StudyInstanceUID === decision.current.StudyInstanceUID;

  // A study that the prior's display set cannot show (an MR dropped on the prior CT's cell) does
  // not become the prior: it refills this viewport alone, below.
  const known = seriesByStudy[dropped.StudyInstanceUID];
  if (!dropped.SeriesInstanceUID && set?.study === 'prior' && !isCurrent && !known) return { kind: 'needs-series', study };
  if (!dropped.SeriesInstanceUID && set?.study === 'prior' && !isCurrent && known && pickSeries(set, known)) {
    const priors = decision.priors.priors.map(({ siteId, StudyInstanceUID }) => ({ siteId, StudyInstanceUID }));
    priors[set.priorIndex] = study;
    // Fill any gap before the index so the prior keeps its place.
    const filled = Array.from({ length: priors.length }, (_, i) => priors[i] ?? study);
    const state = hangingViewState({ ...decision, viewportSeries: others }, target.stageIndex);
    return { kind: 'changed', viewState: { ...state, priorStudies: filled } };
  }

  let SeriesInstanceUID = dropped.SeriesInstanceUID;
  if (!SeriesInstanceUID) {
    if (!known) return { kind: 'needs-series', study };
    SeriesInstanceUID = ((set && pickSeries(set, known)) ?? defaultSeries(known))?.SeriesInstanceUID;
    if (!SeriesInstanceUID) return { kind: 'refused', reason: 'the study has no image series to show' };
  }
  const override = { ...target, ...study, SeriesInstanceUID };
  return { kind: 'changed', viewState: hangingViewState({ ...decision, viewportSeries: [...others, override] }, target.stageIndex) };
}
