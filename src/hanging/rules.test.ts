import { describe, expect, it } from 'vitest';
import { SeriesRuleSchema, StudyRuleSchema } from '../contracts/index';
import { bodyRegionsOf } from './bodyRegion';
import { pickSeries } from './assignDisplaySets';
import { seriesRulePasses, studyRulePasses } from './rules';
import { descriptionSimilarity, planeOf } from './studyFacts';
import { Axial, Sagittal, series, study } from './testStudies';

describe('body regions', () => {
  it('reads DICOM defined terms, glued compounds and everyday words alike', () => {
    expect([...bodyRegionsOf(['CHESTABDPELVIS'])].sort()).toEqual(['ABDOMEN', 'CHEST', 'PELVIS']);
    expect([...bodyRegionsOf(['CT Thorax'])]).toEqual(['CHEST']);
    expect([...bodyRegionsOf(['MRI Brain'])]).toEqual(['HEAD']);
    expect([...bodyRegionsOf(['MG Screening mammogram bilateral'])]).toEqual(['BREAST']);
    expect([...bodyRegionsOf(['CT scan', undefined, ''])]).toEqual([]);
  });
});

describe('rules', () => {
  it('compare text case-insensitively and body parts as regions', () => {
    const thorax = study('t', '20250101', 'ct thorax', ['ct'], ['site-a']);
    expect(studyRulePasses(StudyRuleSchema.parse({ attribute: 'ModalitiesInStudy', oneOf: ['CT'] }), thorax, {})).toBe(true);
    expect(studyRulePasses(StudyRuleSchema.parse({ attribute: 'BodyPartExamined', oneOf: ['CHEST'] }), thorax, {})).toBe(true);
    expect(studyRulePasses(StudyRuleSchema.parse({ attribute: 'BodyPartExamined', oneOf: ['HEAD'] }), thorax, {})).toBe(false);
    expect(studyRulePasses(StudyRuleSchema.parse({ attribute: 'NumberOfStudyRelatedInstances', min: 1 }), thorax, {})).toBe(false);
  });

  it('derive the plane from ImageOrientationPatient and read image laterality before series laterality', () => {
    expect(planeOf(Axial)).toBe('axial');
    expect(planeOf(Sagittal)).toBe('sagittal');
    expect(planeOf([1, 0, 0, 0, 0, -1])).toBe('coronal');
    expect(planeOf([1, 0, 0, 0, 0.7071, 0.7071])).toBe('oblique');
    const sagittal = SeriesRuleSchema.parse({ attribute: 'orientation', oneOf: ['sagittal'] });
    expect(seriesRulePasses(sagittal, series('s1', 'MR', 'Sag T2', 20, { ImageOrientationPatient: Sagittal }))).toBe(true);
    expect(seriesRulePasses(sagittal, series('s2', 'MR', 'T2', 20))).toBe(false);
    const left = SeriesRuleSchema.parse({ attribute: 'Laterality', oneOf: ['L'] });
    expect(seriesRulePasses(left, series('m', 'MG', 'LCC', 1, { Laterality: 'R', ImageLaterality: 'L' }))).toBe(true);
  });

  it('word overlap of descriptions uses synonyms', () => {
    expect(descriptionSimilarity('CT Thorax', 'CT chest')).toBe(1);
    expect(descriptionSimilarity('CT Chest with contrast', 'CT Abdomen')).toBeCloseTo(1 / 4);
    expect(descriptionSimilarity('', 'CT chest')).toBe(0);
  });
});

describe('pickSeries', () => {
  const studySeries = [series('s1', 'MR', 'Ax T2 FLAIR', 30), series('s2', 'MR', 'Ax T2', 30), series('s3', 'SR', 'T2 report', 1), series('s4', 'RTSTRUCT', 'Structures', 1)];

  it('takes the best-scoring image series and never a document unless its modality is asked for', () => {
    const t2 = [SeriesRuleSchema.parse({ attribute: 'SeriesDescription', matches: '^(?!.*flair).*\\bt2', required: true })];
    expect(pickSeries({ seriesRules: t2 }, studySeries)?.SeriesInstanceUID).toBe('s2');
    const structures = [SeriesRuleSchema.parse({ attribute: 'Modality', oneOf: ['RTSTRUCT'] })];
    expect(pickSeries({ seriesRules: structures }, studySeries)?.SeriesInstanceUID).toBe('s4');
    const t1 = [SeriesRuleSchema.parse({ attribute: 'SeriesDescription', matches: '\\bt1' })];
    expect(pickSeries({ seriesRules: t1 }, studySeries)).toBeUndefined();
    expect(pickSeries({ seriesRules: [] }, studySeries)?.SeriesInstanceUID).toBe('s1');
  });
});
