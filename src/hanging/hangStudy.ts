/**
 * The whole hanging decision for one study: rank the protocols, take the best that applies (the
 * single-series fallback when none does), choose its priors from every linked site and lay out
 * its stages. The decision is a function of its inputs and the hanging view state (protocol,
 * priors, viewports the user refilled), so a meeting follower or a URL restores the same screen.
 * Call it again when a prior's series arrive: "series not loaded yet" viewports then fill.
 */
import type { HangingProtocol, HangingViewState, StudyKey, ViewportSeries } from '../contracts/index';
import { assignDisplaySets, type StageAssignment } from './assignDisplaySets';
import { SingleSeriesProtocol } from './builtInProtocols';
import { matchProtocols, type MatchContext, type ProtocolMatch } from './matchProtocols';
import { preferredLocation, selectPriors, type ChosenPrior, type PriorChoice } from './priors';

export interface HangingInput extends MatchContext {
  /** The site the current study was opened from; else its most preferred location. */
  currentSiteId?: string;
  /** Use this protocol (restored from a view state or picked by the user) if it is listed. */
  protocolId?: string;
  /** Use these priors instead of selecting (restored view state, or a study the user dragged in). */
  priorStudies?: readonly StudyKey[];
  /** Viewports the user refilled; ignored where the stage or viewport does not exist. */
  viewportSeries?: readonly ViewportSeries[];
}

export interface HangingDecision {
  protocol: HangingProtocol;
  /** Every protocol ranked, with what passed and failed, for the UI to explain or offer. */
  matches: ProtocolMatch[];
  priors: PriorChoice;
  current: StudyKey;
  stages: StageAssignment[];
  /** The refilled viewports that were applied. */
  viewportSeries: ViewportSeries[];
}

/**
 * @example hangStudy(mergeProtocols(BuiltInProtocols, department), { current, timeline, seriesByStudy, sitePreference }).stages[0]
 */
export function hangStudy(protocols: readonly HangingProtocol[], input: HangingInput): HangingDecision {
  const matches = matchProtocols(protocols, input);
  const requested = input.protocolId ? protocols.find((p) => p.id === input.protocolId) : undefined;
  const protocol = requested ?? matches.find((match) => match.applies)?.protocol ?? SingleSeriesProtocol;
  const priors: PriorChoice = input.priorStudies
    ? { priors: input.priorStudies.map((key) => restoredPrior(key, input.timeline)), considered: [] }
    : protocol.priors
      ? selectPriors(input.current, input.timeline, protocol.priors, input)
      : { priors: [], considered: [] };
  const current: StudyKey = {
    siteId: input.currentSiteId ?? preferredLocation(input.current, input.sitePreference) ?? '',
    StudyInstanceUID: input.current.StudyInstanceUID,
  };
  const stages = assignDisplaySets(protocol, { current, priors: priors.priors, seriesByStudy: input.seriesByStudy });
  const applied: ViewportSeries[] = [];
  for (const override of input.viewportSeries ?? []) {
    const viewport = stages[override.stageIndex]?.viewports[override.viewportIndex];
    if (!viewport) continue;
    const { stageIndex: _stage, viewportIndex: _viewport, ...ref } = override;
    viewport.content = { kind: 'series', ...ref, role: ref.StudyInstanceUID === current.StudyInstanceUID ? 'current' : 'prior' };
    applied.push(override);
  }
  return { protocol, matches, priors, current, stages, viewportSeries: applied };
}

/**
 * Department protocols first (they win ties and replace a built-in with the same id), then the
 * built-ins, the single-series fallback last.
 */
export function mergeProtocols(builtIns: readonly HangingProtocol[], department: readonly HangingProtocol[]): HangingProtocol[] {
  const replaced = new Set(department.map((protocol) => protocol.id));
  return [...department, ...builtIns.filter((protocol) => !replaced.has(protocol.id))];
}

function restoredPrior(key: StudyKey, timeline: MatchContext['timeline']): ChosenPrior {
  const study = timeline.find((s) => s.StudyInstanceUID === key.StudyInstanceUID);
  return { siteId: key.siteId, StudyInstanceUID: key.StudyInstanceUID, StudyDate: study?.StudyDate ?? '', StudyDescription: study?.StudyDescription ?? '' };
}

/** The hanging part of the serialisable view state, for meetings and URLs. */
export function hangingViewState(decision: Pick<HangingDecision, 'protocol' | 'priors' | 'viewportSeries'>, stageIndex: number): HangingViewState {
  return {
    protocolId: decision.protocol.id,
    stageIndex,
    priorStudies: decision.priors.priors.map(({ siteId, StudyInstanceUID }) => ({ siteId, StudyInstanceUID })),
    ...(decision.viewportSeries.length > 0 ? { viewportSeries: decision.viewportSeries } : {}),
  };
}
