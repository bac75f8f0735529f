import { describe, expect, it } from 'vitest';
import { HangingViewStateSchema } from '../contracts/index';
import { BuiltInProtocols } from './builtInProtocols';
import { dropOnViewport } from './dropOnViewport';
import { hangStudy, type HangingInput } from './hangStudy';
import type { SeriesByStudy } from './studyFacts';
import { series, study } from './testStudies';

const current = study('ct-now', '20260310', 'CT Chest', ['CT'], ['site-a']);
const prior = study('ct-prior', '20250912', 'CT Thorax', ['CT'], ['site-b']);
const older = study('ct-older', '20230101', 'CT Chest', ['CT'], ['site-c']);
const seriesByStudy: SeriesByStudy = {
  'ct-now': [series('n2', 'CT', 'Chest axial', 120), series('n3', 'CT', 'Chest coronal', 90)],
  'ct-prior': [series('p3', 'CT', 'Thorax', 80)],
  'ct-older': [series('o1', 'CT', 'Scout', 2), series('o2', 'CT', 'Chest 5 mm', 60)],
};
const base: HangingInput = { current, timeline: [current, prior, older], seriesByStudy, sitePreference: ['site-a'] };

function shown(input: HangingInput, stage: number): string[] {
  return (hangStudy(BuiltInProtocols, input).stages[stage]?.viewports ?? []).map((v) => (v.content.kind === 'series' ? `${v.content.SeriesInstanceUID}@${v.content.siteId}` : 'empty'));
}

function apply(state: ReturnType<typeof dropOnViewport>): HangingInput {
  if (state.kind !== 'changed') throw new Error(`drop not applied: ${state.kind}`);
  // Through JSON and the schema, as a meeting or URL would carry it.
  const viewState = HangingViewStateSchema.parse(JSON.parse(JSON.stringify(state.viewState)));
  return { ...base, protocolId: viewState.protocolId, priorStudies: viewState.priorStudies, viewportSeries: viewState.viewportSeries };
}

describe('dropOnViewport', () => {
  const decision = hangStudy(BuiltInProtocols, base);

  it('makes a study dropped on the prior viewport the prior of every stage', () => {
    expect(shown(base, 0)).toEqual(['n2@site-a', 'p3@site-b']);
    const next = apply(dropOnViewport(decision, { stageIndex: 0, viewportIndex: 1 }, { siteId: 'site-c', StudyInstanceUID: 'ct-older' }, seriesByStudy));
    expect(shown(next, 0)).toEqual(['n2@site-a', 'o2@site-c']);
    expect(shown(next, 1)).toEqual(['n2@site-a', 'o2@site-c']);
  });

  it("refills only the prior's viewport with a study its display set cannot show (an MR on the prior CT), once its series are known", () => {
    const mr = study('mr-head', '20250101', 'MRI Head', ['MR'], ['site-b']);
    const withMr = { ...seriesByStudy, 'mr-head': [series('m1', 'MR', 'Ax T1', 24), series('m2', 'MR', 'Ax FLAIR', 30)] };
    const input = { ...base, timeline: [...base.timeline, mr], seriesByStudy: withMr };
    const withMrDecision = hangStudy(BuiltInProtocols, input);
    expect(dropOnViewport(withMrDecision, { stageIndex: 0, viewportIndex: 1 }, { siteId: 'site-b', StudyInstanceUID: 'mr-head' }, seriesByStudy)).toMatchObject({ kind: 'needs-series' });
    const result = dropOnViewport(withMrDecision, { stageIndex: 0, viewportIndex: 1 }, { siteId: 'site-b', StudyInstanceUID: 'mr-head' }, withMr);
    if (result.kind !== 'changed') throw new Error(result.kind);
    const next = { ...input, protocolId: result.viewState.protocolId, priorStudies: result.viewState.priorStudies, viewportSeries: result.viewState.viewportSeries };
    expect(shown(next, 0)).toEqual(['n2@site-a', 'm2@site-b']);
    expect(shown(next, 1)).toEqual(['n2@site-a', 'p3@site-b']); // the prior CT stays the prior
  });

  it('puts a dropped series in that viewport of that stage only', () => {
    const next = apply(dropOnViewport(decision, { stageIndex: 1, viewportIndex: 0 }, { siteId: 'site-a', StudyInstanceUID: 'ct-now', SeriesInstanceUID: 'n3' }, seriesByStudy));
    expect(shown(next, 0)).toEqual(['n2@site-a', 'p3@site-b']);
    expect(shown(next, 1)).toEqual(['n3@site-a', 'p3@site-b']);
  });

  it('asks for the series of a dropped study it has not seen, and refuses a viewport that does not exist', () => {
    const { 'ct-older': _older, ...withoutOlder } = seriesByStudy;
    expect(dropOnViewport(decision, { stageIndex: 0, viewportIndex: 0 }, { siteId: 'site-c', StudyInstanceUID: 'ct-older' }, withoutOlder)).toEqual({
      kind: 'needs-series',
      study: { siteId: 'site-c', StudyInstanceUID: 'ct-older' },
    });
    expect(dropOnViewport(decision, { stageIndex: 0, viewportIndex: 5 }, { siteId: 'site-c', StudyInstanceUID: 'ct-older' }, seriesByStudy)).toEqual({
      kind: 'refused',
      reason: 'no viewport 6 in stage 1',
    });
  });
});
