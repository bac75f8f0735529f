/**
 * Scores every protocol against the current study, so the UI can show the choice and explain it.
 * A protocol applies when its required rules hold, its required display sets find a series (and at
 * least one of the current study's display sets does), its
 * required prior exists, and (unless it has no rules at all, like the single-series fallback)
 * at least one rule scored. The highest score wins; equal scores keep the list's order, so
 * department protocols listed before the built-ins win ties. The fallback always applies.
 */
import type { HangingProtocol } from '../contracts/index';
import { pickSeries } from './assignDisplaySets';
import { selectPriors, type PriorOptions } from './priors';
import { scoreRules, seriesRulePasses, studyRulePasses } from './rules';
import type { HangingStudy, SeriesByStudy } from './studyFacts';

export interface MatchContext extends PriorOptions {
  current: HangingStudy;
  /** Every study of the patient at every linked site (the timeline). */
  timeline: readonly HangingStudy[];
  seriesByStudy: SeriesByStudy;
}

export interface ProtocolMatch {
  protocol: HangingProtocol;
  applies: boolean;
  score: number;
  passed: string[];
  failed: string[];
}

export function matchProtocol(protocol: HangingProtocol, context: MatchContext): ProtocolMatch {
  const { current, seriesByStudy } = context;
  const series = seriesByStudy[current.StudyInstanceUID] ?? [];
  const study = scoreRules(protocol.studyRules, (rule) => studyRulePasses(rule, current, seriesByStudy));
  const anySeries = scoreRules(protocol.seriesRules, (rule) => series.some((s) => seriesRulePasses(rule, s)));
  const passed = [...study.passed, ...anySeries.passed];
  const failed = [...study.failed, ...anySeries.failed];
  let applies = study.eligible && anySeries.eligible;
  for (const set of protocol.displaySets) {
    if (set.study !== 'current' || !set.required) continue;
    if (pickSeries(set, series)) {
      passed.push(`display set ${set.id} found a series`);
    } else {
      failed.push(`display set ${set.id} found no series (required)`);
      applies = false;
    }
  }
  // A protocol that would show nothing of the study being read (an MR head whose series names say
  // neither T1, T2 nor FLAIR) gives way to one that shows it, whatever its score.
  const currentSets = protocol.displaySets.filter((set) => set.study === 'current');
  if (currentSets.length > 0 && !currentSets.some((set) => pickSeries(set, series))) {
    failed.push('no display set finds a series of this study');
    applies = false;
  }
  if (protocol.priors?.required) {
    const { priors } = selectPriors(current, context.timeline, protocol.priors, context);
    if (priors.length > 0) passed.push('a relevant prior exists');
    else {
      failed.push('no relevant prior at any site (required)');
      applies = false;
    }
  }
  const score = study.score + anySeries.score;
  const hasRules = protocol.studyRules.length + protocol.seriesRules.length > 0;
  if (hasRules && score === 0) applies = false;
  return { protocol, applies, score, passed, failed };
}

/** Every protocol, best first: those that apply by score, then those that do not. */
export function matchProtocols(protocols: readonly HangingProtocol[], context: MatchContext): ProtocolMatch[] {
  const matches = protocols.map((protocol) => matchProtocol(protocol, context));
  return matches
    .map((match, order) => ({ match, order }))
    .sort((a, b) => Number(b.match.applies) - Number(a.match.applies) || b.match.score - a.match.score || a.order - b.order)
    .map(({ match }) => match);
}
