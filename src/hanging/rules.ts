/**
 * One rule against one study or series. Text compares case-insensitively (sites disagree on
 * case); body parts compare as regions, so a rule for CHEST passes a "CT Thorax". A missing
 * attribute fails the rule: a protocol never matches on what it cannot see.
 */
import type { SeriesRule, StudyRule } from '../contracts/index';
import { bodyRegionsOf, regionsOverlap, type BodyRegion } from './bodyRegion';
import { bodyRegionsOfStudy, planeOf, type HangingSeries, type HangingStudy, type SeriesByStudy } from './studyFacts';

type Rule = StudyRule | SeriesRule;

/** How a rule reads in a match explanation, e.g. `Modality oneOf RTSTRUCT`. */
export function describeRule(rule: Rule): string {
  const test =
    rule.oneOf !== undefined
      ? `oneOf ${rule.oneOf.join('|')}`
      : rule.matches !== undefined
        ? `matches /${rule.matches}/i`
        : `in ${rule.min ?? 0}..${rule.max ?? '∞'}`;
  return `${rule.attribute} ${test}${rule.required ? ' (required)' : ''}`;
}

function textPasses(rule: Rule, values: readonly string[]): boolean {
  const present = values.map((value) => value.trim()).filter((value) => value !== '');
  if (rule.oneOf) {
    const wanted = new Set(rule.oneOf.map((value) => value.trim().toUpperCase()));
    return present.some((value) => wanted.has(value.toUpperCase()));
  }
  if (rule.matches !== undefined) {
    const pattern = new RegExp(rule.matches, 'i');
    return present.some((value) => pattern.test(value));
  }
  return false;
}

function countPasses(rule: Rule, value: number | undefined): boolean {
  if (value === undefined) return false;
  return (rule.min === undefined || value >= rule.min) && (rule.max === undefined || value <= rule.max);
}

/** Body part rules: `oneOf` names regions in any spelling; `matches` sees the raw words too. */
function bodyPartPasses(rule: Rule, regions: ReadonlySet<BodyRegion>, raw: readonly (string | undefined)[]): boolean {
  if (rule.oneOf) return regionsOverlap(regions, bodyRegionsOf(rule.oneOf));
  return textPasses(rule, [...regions, ...raw.filter((value): value is string => value !== undefined)]);
}

export function seriesRulePasses(rule: SeriesRule, series: HangingSeries): boolean {
  switch (rule.attribute) {
    case 'Modality':
      return textPasses(rule, [series.Modality]);
    case 'BodyPartExamined':
      return bodyPartPasses(rule, bodyRegionsOf([series.BodyPartExamined]), [series.BodyPartExamined]);
    case 'SeriesDescription':
      return textPasses(rule, [series.SeriesDescription ?? '']);
    case 'ProtocolName':
      return textPasses(rule, [series.ProtocolName ?? '']);
    case 'NumberOfSeriesRelatedInstances':
      return countPasses(rule, series.NumberOfSeriesRelatedInstances);
    case 'orientation':
      return textPasses(rule, [planeOf(series.ImageOrientationPatient) ?? '']);
    case 'Laterality':
      return textPasses(rule, [series.ImageLaterality ?? series.Laterality ?? '']);
    case 'ViewPosition':
      return textPasses(rule, [series.ViewPosition ?? '']);
  }
}

export function studyRulePasses(rule: StudyRule, study: HangingStudy, seriesByStudy: SeriesByStudy): boolean {
  switch (rule.attribute) {
    case 'ModalitiesInStudy': {
      const known = seriesByStudy[study.StudyInstanceUID]?.map((s) => s.Modality) ?? [];
      return textPasses(rule, [...study.ModalitiesInStudy, ...known]);
    }
    case 'BodyPartExamined': {
      const series = seriesByStudy[study.StudyInstanceUID] ?? [];
      return bodyPartPasses(rule, bodyRegionsOfStudy(study, seriesByStudy), series.map((s) => s.BodyPartExamined));
    }
    case 'StudyDescription':
      return textPasses(rule, [study.StudyDescription]);
    case 'NumberOfStudyRelatedInstances':
      return countPasses(rule, study.NumberOfStudyRelatedInstances);
  }
}

export interface RuleScore {
  /** Every required rule passed. */
  eligible: boolean;
  score: number;
  passed: string[];
  failed: string[];
}

/** Sums the weights of the rules that pass; any failed required rule makes the candidate ineligible. */
export function scoreRules<R extends Rule>(rules: readonly R[], passes: (rule: R) => boolean): RuleScore {
  const result: RuleScore = { eligible: true, score: 0, passed: [], failed: [] };
  for (const rule of rules) {
    if (passes(rule)) {
      result.score += rule.weight;
      result.passed.push(describeRule(rule));
    } else {
      result.failed.push(describeRule(rule));
      if (rule.required) result.eligible = false;
    }
  }
  return result;
}
