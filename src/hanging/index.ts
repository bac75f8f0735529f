/**
 * Hanging: which protocol, which priors from which site, which series in which viewport.
 * Pure functions over timeline studies and series summaries; protocols are JSON data validated
 * by the contract schema (built-ins here; a department's folder is read by the gateway and served
 * at `HangingProtocolsPath`).
 */
export { defaultSeries, isImageSeries, type SeriesCandidate } from './displaySets';
export { BodyRegions, bodyRegionsOf, regionsOverlap, type BodyRegion } from './bodyRegion';
export { bodyRegionsOfStudy, descriptionSimilarity, modalityFamily, planeOf, type HangingSeries, type HangingStudy, type SeriesByStudy } from './studyFacts';
export { describeRule, scoreRules, seriesRulePasses, studyRulePasses, type RuleScore } from './rules';
export { selectPriors, irrelevanceReasons, preferredLocation, type ChosenPrior, type ConsideredStudy, type PriorChoice, type PriorOptions } from './priors';
export { matchProtocol, matchProtocols, type MatchContext, type ProtocolMatch } from './matchProtocols';
export {
  assignDisplaySets,
  pickSeries,
  type AssignmentInput,
  type SeriesRef,
  type StageAssignment,
  type ViewportAssignment,
  type ViewportContent,
} from './assignDisplaySets';
export { BuiltInProtocols, SingleSeriesProtocol } from './builtInProtocols';
export { hangStudy, hangingViewState, mergeProtocols, type HangingDecision, type HangingInput } from './hangStudy';
export { dropOnViewport, type DropTarget, type DroppedItem, type DropResult } from './dropOnViewport';
