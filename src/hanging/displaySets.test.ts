import { describe, expect, it } from 'vitest';
import { defaultSeries, isImageSeries } from './displaySets';

describe('defaultSeries', () => {
  it('picks the largest image series, never a report or structure set', () => {
    const chosen = defaultSeries([
      { SeriesInstanceUID: 'sr', Modality: 'SR', NumberOfSeriesRelatedInstances: 1 },
      { SeriesInstanceUID: 'scout', Modality: 'CT', SeriesNumber: 1, NumberOfSeriesRelatedInstances: 2 },
      { SeriesInstanceUID: 'axial', Modality: 'CT', SeriesNumber: 2, NumberOfSeriesRelatedInstances: 220 },
      { SeriesInstanceUID: 'rt', Modality: 'RTSTRUCT', NumberOfSeriesRelatedInstances: 1 },
    ]);
    expect(chosen?.SeriesInstanceUID).toBe('axial');
  });

  it('has nothing to show for a study of documents only', () => {
    expect(defaultSeries([{ SeriesInstanceUID: 'pdf', Modality: 'DOC' }])).toBeUndefined();
    expect(isImageSeries({ Modality: 'US' })).toBe(true);
  });
});
