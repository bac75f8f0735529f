import { describe, expect, it } from 'vitest';
import { parseHangingProtocol, type HangingProtocol } from '../contracts/index';
import { BuiltInProtocols } from './builtInProtocols';
import { hangingViewState, hangStudy, mergeProtocols } from './hangStudy';
import { matchProtocols } from './matchProtocols';
import type { HangingStudy, SeriesByStudy } from './studyFacts';
import { Axial, series, study } from './testStudies';

const preference = ['site-a', 'site-b', 'site-c'];

/** The demo patient's shape: chest CT with RTSTRUCT at A, prior CT thorax at B, MR head at B, chest films at B and C. */
const ctCurrent = study('ct-now', '20260310', 'CT Chest with contrast', ['CT', 'SR', 'RTSTRUCT'], ['site-a']);
const ctPrior = study('ct-prior', '20250912', 'CT Thorax', ['CT', 'DOC'], ['site-b']);
const mrHead = study('mr-head', '20251105', 'MRI Head', ['MR'], ['site-b']);
const xrOld = study('xr-old', '20240410', 'XR Chest', ['CR'], ['site-c']);
const xrNewer = study('xr-newer', '20241120', 'XR Chest', ['CR'], ['site-b']);
const timeline = [ctCurrent, mrHead, ctPrior, xrNewer, xrOld];

const seriesByStudy: SeriesByStudy = {
  'ct-now': [
    series('s1', 'CT', 'Scout', 2),
    series('s2', 'CT', 'Chest 1.5 mm axial', 120, { ImageOrientationPatient: Axial }),
    series('s900', 'SR', 'Radiology report', 1),
    series('s901', 'RTSTRUCT', 'Planning structures', 1),
  ],
  'ct-prior': [series('p3', 'CT', 'Thorax 2.5 mm', 80), series('p999', 'DOC', 'Radiology report (PDF)', 1)],
  'mr-head': [series('m1', 'MR', 'Ax T1', 24), series('m2', 'MR', 'Ax T2', 24), series('m3', 'MR', 'Ax T2 FLAIR', 24)],
  'xr-old': [series('x1', 'CR', 'Chest PA', 1)],
  'xr-newer': [series('y1', 'CR', 'Chest PA', 1)],
};

function hang(current: HangingStudy, extra: { timeline?: HangingStudy[]; seriesByStudy?: SeriesByStudy; protocols?: readonly HangingProtocol[] } = {}) {
  return hangStudy(extra.protocols ?? BuiltInProtocols, {
    current,
    timeline: extra.timeline ?? timeline,
    seriesByStudy: extra.seriesByStudy ?? seriesByStudy,
    sitePreference: preference,
  });
}

function cells(decision: ReturnType<typeof hang>, stage: number): string[] {
  return (decision.stages[stage]?.viewports ?? []).map((v) =>
    v.content.kind === 'series' ? `${v.content.SeriesInstanceUID}@${v.content.siteId}${v.options.mirrored ? ' mirrored' : ''}` : `empty: ${v.content.reason}`,
  );
}

describe('hangStudy with the built-in protocols', () => {
  it('hangs the current chest CT beside the prior CT from site B, soft tissue then lung windows', () => {
    const decision = hang(ctCurrent);
    expect(decision.protocol.id).toBe('ct-compare');
    expect(decision.priors.priors.map((p) => `${p.StudyInstanceUID}@${p.siteId}`)).toEqual(['ct-prior@site-b']);
    expect(cells(decision, 0)).toEqual(['s2@site-a', 'p3@site-b']);
    expect(decision.stages.map((s) => s.viewports.map((v) => v.options.preset))).toEqual([
      ['soft-tissue', 'soft-tissue'],
      ['lung', 'lung'],
    ]);
    expect(decision.stages[0]?.viewports[0]?.options.syncGroups).toEqual(['ct-pair']);
    expect(decision.protocol.syncGroups).toEqual([{ id: 'ct-pair', kinds: ['scroll', 'window', 'zoom-pan'] }]);
  });

  it('ranks RT planning below the CT comparison for a diagnostic CT, and explains both', () => {
    const [first, second] = matchProtocols(BuiltInProtocols, { current: ctCurrent, timeline, seriesByStudy, sitePreference: preference });
    expect([first?.protocol.id, second?.protocol.id]).toEqual(['ct-compare', 'rt-planning']);
    expect(first?.passed).toContain('a relevant prior exists');
    expect(second?.failed).toContain('StudyDescription matches /plan|radiotherap|\\brt\\b/i');
  });

  it('chooses RT planning for a planning CT: the CT with its structures beside the most recent MR of the region', () => {
    const planning = study('rt-ct', '20260320', 'RT Planning CT Head', ['CT', 'RTSTRUCT'], ['site-a']);
    const decision = hang(planning, {
      timeline: [planning, ...timeline],
      seriesByStudy: { ...seriesByStudy, 'rt-ct': [series('r1', 'CT', 'Planning 2 mm', 140), series('r2', 'RTSTRUCT', 'Structures', 1)] },
    });
    expect(decision.protocol.id).toBe('rt-planning');
    expect(cells(decision, 0)).toEqual(['r1@site-a', 'm1@site-b']);
    expect(decision.stages[0]?.viewports[0]?.overlays.map((o) => o.SeriesInstanceUID)).toEqual(['r2']);
    expect(decision.stages[1]?.layout.kind).toBe('asymmetric');
    expect(decision.stages[1]?.viewports.map((v) => `${v.options.kind} ${v.options.orientation}`)).toEqual(['volume axial', 'volume coronal', 'volume sagittal']);
  });

  it('hangs MR brain sequences by description, then current over prior with the prior row from another site', () => {
    const mrNow = study('mr-now', '20260301', 'MRI Head', ['MR'], ['site-a']);
    const decision = hang(mrNow, {
      timeline: [mrNow, ...timeline],
      seriesByStudy: { ...seriesByStudy, 'mr-now': [series('n3', 'MR', 'Ax FLAIR', 30), series('n1', 'MR', 'Ax T1', 30), series('n2', 'MR', 'Ax T2', 30), series('n4', 'MR', 'Localiser', 3)] },
    });
    expect(decision.protocol.id).toBe('mr-brain');
    expect(cells(decision, 0)).toEqual(['n1@site-a', 'n2@site-a', 'n3@site-a']);
    expect(cells(decision, 1)).toEqual(['n1@site-a', 'n2@site-a', 'n3@site-a', 'm1@site-b', 'm2@site-b', 'm3@site-b']);
  });

  it('gives way to the single series when no MR head series is named T1, T2 or FLAIR (it would show nothing of the study)', () => {
    const mrOdd = study('mr-odd', '20260301', 'MRI Head', ['MR'], ['site-a']);
    const decision = hang(mrOdd, { timeline: [mrOdd, ...timeline], seriesByStudy: { ...seriesByStudy, 'mr-odd': [series('o1', 'MR', 'SE 500/20', 20)] } });
    expect(decision.protocol.id).toBe('single-series');
    expect(cells(decision, 0)).toEqual(['o1@site-a']);
    expect(decision.matches.find((m) => m.protocol.id === 'mr-brain')).toMatchObject({ applies: false, failed: expect.arrayContaining(['no display set finds a series of this study']) });
  });

  it('leaves the prior row empty with a reason when no earlier MR head exists', () => {
    const mrFirst = study('mr-first', '20200101', 'MRI Brain', ['MR'], ['site-a']);
    const decision = hang(mrFirst, { timeline: [mrFirst, ...timeline], seriesByStudy: { ...seriesByStudy, 'mr-first': [series('f1', 'MR', 'T1 SE', 20)] } });
    expect(decision.protocol.id).toBe('mr-brain');
    expect(cells(decision, 1)).toEqual([
      'f1@site-a',
      'empty: no series fits display set "current-t2"',
      'empty: no series fits display set "current-flair"',
      'empty: no relevant prior at any site',
      'empty: no relevant prior at any site',
      'empty: no relevant prior at any site',
    ]);
  });

  it('hangs a chest film beside the most recent earlier chest film from any site', () => {
    const xrNow = study('xr-now', '20260301', 'XR Chest', ['DX'], ['site-a']);
    const decision = hang(xrNow, { timeline: [xrNow, ...timeline], seriesByStudy: { ...seriesByStudy, 'xr-now': [series('z1', 'DX', 'Chest PA', 1)] } });
    expect(decision.protocol.id).toBe('xr-compare');
    expect(cells(decision, 0)).toEqual(['z1@site-a', 'y1@site-b']);
  });

  it('hangs a mammogram 4-up with the right views mirrored, then CC and MLO current over prior', () => {
    const views = (prefix: string) =>
      ['R CC', 'L CC', 'R MLO', 'L MLO'].map((label, i) => {
        const [lat, view] = label.split(' ');
        return series(`${prefix}${i + 1}`, 'MG', label, 1, { ImageLaterality: lat, ViewPosition: view });
      });
    const mgNow = study('mg-now', '20260301', 'MG Screening mammogram bilateral', ['MG'], ['site-a']);
    const mgThen = study('mg-then', '20230301', 'Mammography screening', ['MG'], ['site-c']);
    // Shuffled so the order of series cannot place them.
    const now = views('g');
    const decision = hang(mgNow, { timeline: [mgNow, mgThen, ...timeline], seriesByStudy: { ...seriesByStudy, 'mg-now': [now[3]!, now[1]!, now[0]!, now[2]!], 'mg-then': views('h') } });
    expect(decision.protocol.id).toBe('mg-4up');
    expect(cells(decision, 0)).toEqual(['g1@site-a mirrored', 'g2@site-a', 'g3@site-a mirrored', 'g4@site-a']);
    expect(cells(decision, 1)).toEqual(['g1@site-a mirrored', 'g2@site-a', 'h1@site-c mirrored', 'h2@site-c']);
    expect(cells(decision, 2)).toEqual(['g3@site-a mirrored', 'g4@site-a', 'h3@site-c mirrored', 'h4@site-c']);
  });

  it('falls back to the single largest image series when nothing else applies', () => {
    const us = study('us', '20260301', 'US Abdomen', ['US', 'SR'], ['site-c']);
    const decision = hang(us, { timeline: [us, ...timeline], seriesByStudy: { ...seriesByStudy, us: [series('u0', 'SR', 'Report', 1), series('u1', 'US', 'Liver', 12)] } });
    expect(decision.protocol.id).toBe('single-series');
    expect(cells(decision, 0)).toEqual(['u1@site-c']);
    expect(decision.matches.filter((m) => m.applies).map((m) => m.protocol.id)).toEqual(['single-series']);
  });

  it('falls back for a CT with no relevant prior anywhere, since the comparison needs one', () => {
    const abdo = study('abdo', '20260301', 'CT Abdomen', ['CT'], ['site-a']);
    const decision = hang(abdo, { timeline: [abdo, ...timeline], seriesByStudy: { ...seriesByStudy, abdo: [series('a1', 'CT', 'Abdomen 5 mm', 60)] } });
    expect(decision.protocol.id).toBe('single-series');
    expect(decision.matches.find((m) => m.protocol.id === 'ct-compare')?.failed).toContain('no relevant prior at any site (required)');
  });

  it('says a prior whose series are not fetched yet is waiting, and fills it once they arrive', () => {
    const { 'ct-prior': _prior, ...withoutPrior } = seriesByStudy;
    expect(cells(hang(ctCurrent, { seriesByStudy: withoutPrior }), 0)).toEqual(['s2@site-a', 'empty: series not loaded yet']);
    expect(cells(hang(ctCurrent), 0)).toEqual(['s2@site-a', 'p3@site-b']);
  });
});

describe('department protocols', () => {
  const department = parseHangingProtocol({
    id: 'ct-chest-one-up',
    name: 'Chest CT alone',
    studyRules: [
      { attribute: 'ModalitiesInStudy', oneOf: ['CT'], weight: 3, required: true },
      { attribute: 'BodyPartExamined', oneOf: ['THORAX'], weight: 1 },
    ],
    displaySets: [{ id: 'ct' }],
    stages: [{ id: 'one', name: 'One', layout: { kind: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'ct' }] }],
  });
  if (!department.ok) throw new Error(department.errors.join('; '));

  it('wins over a built-in by a higher score, and loses to it for a study its required rules exclude', () => {
    const protocols = mergeProtocols(BuiltInProtocols, [department.protocol]);
    expect(hang(ctCurrent, { protocols }).protocol.id).toBe('ct-chest-one-up');
    const mrNow = study('mr-now', '20260301', 'MRI Head', ['MR'], ['site-a']);
    expect(hang(mrNow, { protocols, timeline: [mrNow, ...timeline], seriesByStudy: { ...seriesByStudy, 'mr-now': [series('n1', 'MR', 'T1', 30)] } }).protocol.id).toBe('mr-brain');
  });

  it('replaces a built-in of the same id and keeps the fallback last', () => {
    const merged = mergeProtocols(BuiltInProtocols, [{ ...department.protocol, id: 'ct-compare' }]);
    expect(merged.filter((p) => p.id === 'ct-compare')).toHaveLength(1);
    expect(merged[0]?.name).toBe('Chest CT alone');
    expect(merged.at(-1)?.id).toBe('single-series');
  });
});

describe('hangingViewState', () => {
  it('serialises protocol, stage and priors, and restores the same hanging from them', () => {
    const decision = hang(ctCurrent);
    const state = hangingViewState(decision, 1);
    expect(state).toEqual({ protocolId: 'ct-compare', stageIndex: 1, priorStudies: [{ siteId: 'site-b', StudyInstanceUID: 'ct-prior' }] });
    const restored = hangStudy(BuiltInProtocols, { current: ctCurrent, timeline, seriesByStudy, sitePreference: ['site-c'], protocolId: state.protocolId, priorStudies: state.priorStudies });
    expect(cells(restored, 1)).toEqual(cells(decision, 1));
  });

  it('hangs a study the user dragged in as the prior instead of the chosen one', () => {
    const restored = hangStudy(BuiltInProtocols, { current: ctCurrent, timeline, seriesByStudy, protocolId: 'ct-compare', priorStudies: [{ siteId: 'site-c', StudyInstanceUID: 'xr-old' }] });
    expect(cells(restored, 0)).toEqual(['s2@site-a', 'empty: no series fits display set "prior-ct"']);
  });
});

