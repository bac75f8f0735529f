import { describe, expect, it } from 'vitest';
import { loaderMetadata, stackImagesFor } from './seriesImages';

const instance = (sop: string, extra: Record<string, { vr: string; Value?: unknown[] }> = {}) => ({
  '00080018': { vr: 'UI', Value: [sop] },
  '00200013': { vr: 'IS', Value: [1] },
  ...extra,
});

describe('stackImagesFor', () => {
  const series = { siteId: 'a', dicomwebRoot: 'http://gw/sites/a/dicom-web', StudyInstanceUID: '1', SeriesInstanceUID: '2' };
  it('gives each frame of a multi-frame instance its own image id', () => {
    const images = stackImagesFor(series, [instance('3', { '00280008': { vr: 'IS', Value: [3] }, '00080060': { vr: 'CS', Value: ['MR'] } })]);
    expect(images.map((i) => i.imageId)).toEqual([1, 2, 3].map((n) => `wadors:http://gw/sites/a/dicom-web/studies/1/series/2/instances/3/frames/${n}`));
  });
  it('hands the loader an empty Modality where the instance has none (the loader throws without one), and keeps a stated one', () => {
    const [missing] = stackImagesFor(series, [instance('4')]);
    expect(missing!.metadata['00080060']).toEqual({ vr: 'CS', Value: [''] });
    const stated = instance('5', { '00080060': { vr: 'CS', Value: ['OT'] } });
    expect(loaderMetadata(stated)).toBe(stated);
  });
});
