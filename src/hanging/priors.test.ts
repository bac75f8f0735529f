import { describe, expect, it } from 'vitest';
import { PriorSelectionSchema, type PriorSelection } from '../contracts/index';
import { selectPriors } from './priors';
import { study } from './testStudies';

const mostRecent = PriorSelectionSchema.parse({});
const current = study('cur', '20260310', 'CT Chest with contrast', ['CT', 'SR', 'RTSTRUCT'], ['site-a']);

function chosen(timeline: ReturnType<typeof study>[], selection: PriorSelection = mostRecent, sitePreference: string[] = []) {
  return selectPriors(current, [current, ...timeline], selection, { sitePreference }).priors.map((p) => `${p.StudyInstanceUID}@${p.siteId}`);
}

describe('selectPriors', () => {
  it('picks the most recent earlier CT of the chest from another site, skipping later and other-region studies', () => {
    const timeline = [
      study('later-ct', '20260401', 'CT Chest follow-up', ['CT'], ['site-a']),
      study('abdo-ct', '20251201', 'CT Abdomen', ['CT'], ['site-a']),
      study('head-mr', '20251101', 'MRI Head', ['MR'], ['site-b']),
      study('chest-xr', '20251020', 'XR Chest', ['CR'], ['site-c']),
      study('thorax-ct', '20250901', 'CT Thorax', ['CT', 'DOC'], ['site-b']),
      study('old-thorax-ct', '20230105', 'CT Thorax', ['CT'], ['site-c']),
    ];
    const choice = selectPriors(current, timeline, mostRecent);
    expect(choice.priors).toEqual([{ siteId: 'site-b', StudyInstanceUID: 'thorax-ct', StudyDate: '20250901', StudyDescription: 'CT Thorax' }]);
    const why = Object.fromEntries(choice.considered.map((c) => [c.StudyInstanceUID, c.reasons.join('; ')]));
    expect(why['later-ct']).toBe('not earlier than the current study');
    expect(why['abdo-ct']).toBe('body region ABDOMEN does not overlap CHEST');
    expect(why['head-mr']).toMatch(/^modality MR is not CT; body region HEAD/);
    expect(why['chest-xr']).toBe('modality CR is not CT');
    expect(why['old-thorax-ct']).toBe('');
  });

  it('counts a combined chest-abdomen-pelvis study as overlapping the chest', () => {
    expect(chosen([study('cap', '20250101', 'CT CAP staging', ['CT'], ['site-c']), study('abdo', '20250601', 'CT Abdomen', ['CT'], ['site-a'])])).toEqual(['cap@site-c']);
  });

  it('breaks a tie of equally relevant priors by date first, whatever the site preference', () => {
    const timeline = [study('older-at-a', '20250101', 'CT Chest', ['CT'], ['site-a']), study('newer-at-c', '20250102', 'CT Chest', ['CT'], ['site-c'])];
    expect(chosen(timeline, mostRecent, ['site-a', 'site-b', 'site-c'])).toEqual(['newer-at-c@site-c']);
  });

  it('breaks a same-day tie by site preference, before the time of day', () => {
    const timeline = [
      study('at-c', '20250102', 'CT Chest', ['CT'], ['site-c'], '170000'),
      study('at-b', '20250102', 'CT Chest', ['CT'], ['site-b'], '080000'),
    ];
    expect(chosen(timeline, mostRecent, ['site-b', 'site-c'])).toEqual(['at-b@site-b']);
    expect(chosen(timeline, mostRecent, ['site-c', 'site-b'])).toEqual(['at-c@site-c']);
    // With no preference the later time of day decides.
    expect(chosen(timeline, mostRecent, [])).toEqual(['at-c@site-c']);
  });

  it('loads a prior held at two sites from the preferred one', () => {
    expect(chosen([study('both', '20250102', 'CT Chest', ['CT'], ['site-c', 'site-b'])], mostRecent, ['site-b'])).toEqual(['both@site-b']);
  });

  it('takes the n-th relevant prior, or all of them newest first up to a maximum', () => {
    const timeline = [
      study('p3', '20230101', 'CT Chest', ['CT'], ['site-a']),
      study('p1', '20250101', 'CT Thorax', ['CT'], ['site-b']),
      study('skip', '20240601', 'CT Abdomen', ['CT'], ['site-b']),
      study('p2', '20240101', 'CT Chest', ['CT'], ['site-c']),
    ];
    expect(chosen(timeline, PriorSelectionSchema.parse({ select: { kind: 'nth', n: 2 } }))).toEqual(['p2@site-c']);
    expect(chosen(timeline, PriorSelectionSchema.parse({ select: { kind: 'nth', n: 4 } }))).toEqual([]);
    expect(chosen(timeline, PriorSelectionSchema.parse({ select: { kind: 'all' } }))).toEqual(['p1@site-b', 'p2@site-c', 'p3@site-a']);
    expect(chosen(timeline, PriorSelectionSchema.parse({ select: { kind: 'all', max: 2 } }))).toEqual(['p1@site-b', 'p2@site-c']);
  });

  it('applies max age, description similarity and a named modality when configured', () => {
    const timeline = [study('recent', '20251201', 'CT Chest pulmonary angiogram', ['CT'], ['site-a']), study('year-ago', '20250301', 'CT Chest with contrast', ['CT'], ['site-b'])];
    const young = PriorSelectionSchema.parse({ relevance: { maxAgeDays: 200 } });
    expect(chosen(timeline, young)).toEqual(['recent@site-a']);
    const similar = PriorSelectionSchema.parse({ relevance: { minDescriptionSimilarity: 0.9 } });
    expect(chosen(timeline, similar)).toEqual(['year-ago@site-b']);
    const mr = PriorSelectionSchema.parse({ relevance: { modality: ['MR'], bodyPart: 'any' } });
    expect(chosen([...timeline, study('mr', '20240101', 'MRI Head', ['MR'], ['site-b'])], mr)).toEqual(['mr@site-b']);
  });

  it('treats CR and DX as one modality but never counts a report-only study', () => {
    const xr = study('xr', '20260310', 'XR Chest', ['DX'], ['site-a']);
    const timeline = [study('cr', '20240101', 'Chest PA', ['CR'], ['site-c']), study('sr-only', '20250101', 'Chest report', ['SR'], ['site-b'])];
    expect(selectPriors(xr, timeline, mostRecent).priors.map((p) => p.StudyInstanceUID)).toEqual(['cr']);
  });

  it('does not guess the region of a study whose description names none', () => {
    const choice = selectPriors(current, [study('vague', '20250101', 'CT scan', ['CT'], ['site-b'])], mostRecent);
    expect(choice.priors).toEqual([]);
    expect(choice.considered[0]?.reasons).toEqual(['body region unknown']);
    // A series BodyPartExamined known for the study settles it.
    const withSeries = selectPriors(current, [study('vague', '20250101', 'CT scan', ['CT'], ['site-b'])], mostRecent, {
      seriesByStudy: { vague: [{ SeriesInstanceUID: 's', Modality: 'CT', BodyPartExamined: 'CHEST' }] },
    });
    expect(withSeries.priors.map((p) => p.StudyInstanceUID)).toEqual(['vague']);
  });
});
