/**
 * Which earlier studies, from any linked site, to hang beside the current one. Relevance is a
 * filter (earlier, same modality, overlapping body region, similar description, not too old);
 * among relevant studies the newest StudyDate wins, then the preferred site, then the later
 * StudyTime. Site preference comes before time on the same day because two hospitals' clocks
 * and time zones make same-day times a poor guide. Every study considered keeps its reasons so
 * the UI can say why a prior was or was not hung.
 */
import type { PriorRelevance, PriorSelection, StudyKey } from '../contracts/index';
import { regionsOverlap } from './bodyRegion';
import {
  bodyRegionsOfStudy,
  daysBetween,
  descriptionSimilarity,
  imageModalitiesOf,
  modalityFamily,
  studyMoment,
  type HangingStudy,
  type SeriesByStudy,
} from './studyFacts';

export interface PriorOptions {
  /** Site ids, most preferred first (e.g. the reading hospital's own PACS); others follow in any order. */
  sitePreference?: readonly string[];
  /** Series known so far, for body parts the descriptions do not name. */
  seriesByStudy?: SeriesByStudy;
}

export interface ChosenPrior extends StudyKey {
  StudyDate: string;
  StudyDescription: string;
}

export interface ConsideredStudy {
  StudyInstanceUID: string;
  relevant: boolean;
  /** Why not, for a study left out; empty for a relevant one. */
  reasons: string[];
}

export interface PriorChoice {
  priors: ChosenPrior[];
  considered: ConsideredStudy[];
}

function siteRank(siteId: string, preference: readonly string[]): number {
  const index = preference.indexOf(siteId);
  return index === -1 ? preference.length : index;
}

/** The location to load a study from: the most preferred site that holds it. */
export function preferredLocation(study: Pick<HangingStudy, 'locations'>, preference: readonly string[] = []): string | undefined {
  return [...study.locations].sort((a, b) => siteRank(a.siteId, preference) - siteRank(b.siteId, preference))[0]?.siteId;
}

/** The reasons a candidate is not a relevant prior of `current`; empty when it is one. */
export function irrelevanceReasons(current: HangingStudy, candidate: HangingStudy, relevance: PriorRelevance, seriesByStudy: SeriesByStudy = {}): string[] {
  const reasons: string[] = [];
  if (!candidate.StudyDate) return ['no StudyDate'];
  if (studyMoment(candidate) >= studyMoment(current)) reasons.push('not earlier than the current study');
  if (relevance.modality !== 'any') {
    const theirs = imageModalitiesOf(candidate);
    const wanted = relevance.modality === 'same' ? imageModalitiesOf(current) : new Set(relevance.modality.map(modalityFamily));
    if (![...wanted].some((modality) => theirs.has(modality))) reasons.push(`modality ${[...theirs].join('/') || 'none'} is not ${[...wanted].join('/')}`);
  }
  if (relevance.bodyPart === 'overlapping') {
    const theirs = bodyRegionsOfStudy(candidate, seriesByStudy);
    const ours = bodyRegionsOfStudy(current, seriesByStudy);
    if (theirs.size === 0 || ours.size === 0) reasons.push('body region unknown');
    else if (!regionsOverlap(ours, theirs)) reasons.push(`body region ${[...theirs].join('/')} does not overlap ${[...ours].join('/')}`);
  }
  if (relevance.minDescriptionSimilarity > 0) {
    const similarity = descriptionSimilarity(current.StudyDescription, candidate.StudyDescription);
    if (similarity < relevance.minDescriptionSimilarity) reasons.push(`description similarity ${similarity.toFixed(2)} below ${relevance.minDescriptionSimilarity}`);
  }
  if (relevance.maxAgeDays !== undefined) {
    const age = daysBetween(candidate.StudyDate, current.StudyDate);
    if (age === undefined || age > relevance.maxAgeDays) reasons.push(`older than ${relevance.maxAgeDays} days`);
  }
  return reasons;
}

/**
 * Chooses priors for `current` from the whole timeline (every linked site).
 * @example selectPriors(current, timeline, protocol.priors, { sitePreference: ['site-a'] }).priors[0]
 */
export function selectPriors(current: HangingStudy, timeline: readonly HangingStudy[], selection: PriorSelection, options: PriorOptions = {}): PriorChoice {
  const preference = options.sitePreference ?? [];
  const considered: ConsideredStudy[] = [];
  const relevant: HangingStudy[] = [];
  for (const study of timeline) {
    if (study.StudyInstanceUID === current.StudyInstanceUID) continue;
    const reasons = irrelevanceReasons(current, study, selection.relevance, options.seriesByStudy);
    considered.push({ StudyInstanceUID: study.StudyInstanceUID, relevant: reasons.length === 0, reasons });
    if (reasons.length === 0 && study.locations.length > 0) relevant.push(study);
  }
  const bestRank = (study: HangingStudy) => Math.min(...study.locations.map((l) => siteRank(l.siteId, preference)));
  relevant.sort(
    (a, b) =>
      b.StudyDate.localeCompare(a.StudyDate) ||
      bestRank(a) - bestRank(b) ||
      studyMoment(b).localeCompare(studyMoment(a)) ||
      a.StudyInstanceUID.localeCompare(b.StudyInstanceUID),
  );
  const { select } = selection;
  const picked = select.kind === 'most-recent' ? relevant.slice(0, 1) : select.kind === 'nth' ? relevant.slice(select.n - 1, select.n) : relevant.slice(0, select.max);
  const priors = picked.map((study) => ({
    siteId: preferredLocation(study, preference) ?? '',
    StudyInstanceUID: study.StudyInstanceUID,
    StudyDate: study.StudyDate,
    StudyDescription: study.StudyDescription,
  }));
  return { priors, considered };
}
