/**
 * Which series fills which viewport of each stage. A display set picks the best series of its
 * study (current or a chosen prior) by its series rules; with no rules it takes the study's
 * largest image series. Documents and overlays (SR, RTSTRUCT…) are picked only by a display set
 * whose rules ask for their modality. A viewport that cannot be filled says why, so the UI can
 * show an empty cell with a reason instead of guessing.
 */
import type { DisplaySetSelector, HangingProtocol, ProtocolViewport, StageLayout, StudyKey } from '../contracts/index';
import { defaultSeries, isImageSeries } from './displaySets';
import { scoreRules, seriesRulePasses } from './rules';
import type { HangingSeries, SeriesByStudy } from './studyFacts';

function byDefaultOrder(a: HangingSeries, b: HangingSeries): number {
  return (b.NumberOfSeriesRelatedInstances ?? 0) - (a.NumberOfSeriesRelatedInstances ?? 0) || (a.SeriesNumber ?? 0) - (b.SeriesNumber ?? 0);
}

/** The series a display set shows, or undefined when none fits. */
export function pickSeries<S extends HangingSeries>(set: Pick<DisplaySetSelector, 'seriesRules'>, series: readonly S[]): S | undefined {
  if (set.seriesRules.length === 0) return defaultSeries(series);
  const asksModality = (s: S) => set.seriesRules.some((rule) => rule.attribute === 'Modality' && seriesRulePasses(rule, s));
  const ranked = series
    .filter((s) => isImageSeries(s) || asksModality(s))
    .map((s) => ({ series: s, ...scoreRules(set.seriesRules, (rule) => seriesRulePasses(rule, s)) }))
    .filter((candidate) => candidate.eligible && candidate.score > 0)
    .sort((a, b) => b.score - a.score || byDefaultOrder(a.series, b.series));
  return ranked[0]?.series;
}

export interface SeriesRef extends StudyKey {
  SeriesInstanceUID: string;
  role: 'current' | 'prior';
  /** Index into the chosen priors, for a prior. */
  priorIndex?: number;
}

export type ViewportContent = ({ kind: 'series' } & SeriesRef) | { kind: 'empty'; reason: string };

export interface ViewportAssignment {
  /** Position in the stage, matching the layout's cells in order. */
  index: number;
  displaySetId: string;
  options: ProtocolViewport;
  content: ViewportContent;
  /** Overlays (RTSTRUCT, SEG) found for this viewport; missing ones are left out. */
  overlays: SeriesRef[];
}

export interface StageAssignment {
  id: string;
  name: string;
  layout: StageLayout;
  viewports: ViewportAssignment[];
}

export interface AssignmentInput {
  /** The current study and the site it was opened from. */
  current: StudyKey;
  /** Chosen priors in order (from `selectPriors`). */
  priors: readonly StudyKey[];
  seriesByStudy: SeriesByStudy;
}

function fillDisplaySet(set: DisplaySetSelector, input: AssignmentInput): ViewportContent {
  const study = set.study === 'current' ? input.current : input.priors[set.priorIndex];
  if (!study) return { kind: 'empty', reason: set.priorIndex === 0 ? 'no relevant prior at any site' : `no prior number ${set.priorIndex + 1}` };
  const series = input.seriesByStudy[study.StudyInstanceUID];
  if (!series) return { kind: 'empty', reason: 'series not loaded yet' };
  const chosen = pickSeries(set, series);
  if (!chosen) return { kind: 'empty', reason: `no series fits display set "${set.id}"` };
  return {
    kind: 'series',
    siteId: study.siteId,
    StudyInstanceUID: study.StudyInstanceUID,
    SeriesInstanceUID: chosen.SeriesInstanceUID,
    role: set.study,
    ...(set.study === 'prior' ? { priorIndex: set.priorIndex } : {}),
  };
}

/**
 * Lays out every stage of a protocol for the current study and its chosen priors.
 * @example assignDisplaySets(protocol, { current: { siteId, StudyInstanceUID }, priors, seriesByStudy })[0].viewports
 */
export function assignDisplaySets(protocol: HangingProtocol, input: AssignmentInput): StageAssignment[] {
  const sets = new Map(protocol.displaySets.map((set) => [set.id, set]));
  const contents = new Map(protocol.displaySets.map((set) => [set.id, fillDisplaySet(set, input)]));
  return protocol.stages.map((stage) => ({
    id: stage.id,
    name: stage.name,
    layout: stage.layout,
    viewports: stage.viewports.map((options, index) => {
      // The schema guarantees every referenced display set exists.
      const content = contents.get(options.displaySet) ?? { kind: 'empty', reason: `no display set "${options.displaySet}"` };
      const overlays = options.overlays.flatMap((id) => {
        const overlay = contents.get(id);
        return overlay?.kind === 'series' && sets.has(id) ? [stripKind(overlay)] : [];
      });
      return { index, displaySetId: options.displaySet, options, content, overlays };
    }),
  }));
}

function stripKind({ kind: _kind, ...ref }: { kind: 'series' } & SeriesRef): SeriesRef {
  return ref;
}
