import { describe, expect, it } from 'vitest';
import { stackImagesFor } from './seriesImages';

describe('image ids of local files', () => {
  it('gives a local series cvlocal: ids per frame (read from its own bytes) and leaves hospital series on wadors:', () => {
    const instance = { '00080018': { vr: 'UI', Value: ['3'] }, '00280008': { vr: 'IS', Value: [2] }, '00080060': { vr: 'CS', Value: ['CT'] } };
    const local = stackImagesFor({ siteId: 'local', dicomwebRoot: '', StudyInstanceUID: '1', SeriesInstanceUID: '2' }, [instance]);
    expect(local.map((i) => i.imageId)).toEqual(['cvlocal:local/studies/1/series/2/instances/3/frames/1', 'cvlocal:local/studies/1/series/2/instances/3/frames/2']);
    const hospital = stackImagesFor({ siteId: 'site-a', dicomwebRoot: 'http://gw/sites/site-a/dicom-web', StudyInstanceUID: '1', SeriesInstanceUID: '2' }, [instance]);
    expect(hospital[0]!.imageId).toBe('wadors:http://gw/sites/site-a/dicom-web/studies/1/series/2/instances/3/frames/1');
  });
});
