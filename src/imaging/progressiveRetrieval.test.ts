import { describe, expect, it } from 'vitest';
import { ProgressiveStages, retrieveConfigurationFor } from './progressiveRetrieval';

const roots = ['http://gw/sites/folder/dicom-web/'];
const frame = 'wadors:http://gw/sites/folder/dicom-web/studies/1/series/2/instances/3/frames/1';

describe('retrieveConfigurationFor', () => {
  it('fetches an on-screen HTJ2K frame in two steps from a site that serves byte ranges', () => {
    expect(retrieveConfigurationFor(frame, '1.2.840.10008.1.2.4.203', roots)).toBe(ProgressiveStages);
    expect(retrieveConfigurationFor(frame, '1.2.840.10008.1.2.4.202', roots)).toBe(ProgressiveStages);
    expect(ProgressiveStages.stages.map((s) => s.retrieveType)).toEqual(['firstBytes', 'rest']);
    expect(ProgressiveStages.retrieveOptions.rest.rangeIndex).toBe(-1);
  });
  it('leaves volumes on whole frames: they take the default retrieve options, which ask for no range', () => {
    // Cornerstone's streaming volume uses `retrieveOptions.default`, else the first entry.
    expect(Object.keys(ProgressiveStages.retrieveOptions)[0]).toBe('default');
    expect(ProgressiveStages.retrieveOptions.default).toEqual({});
  });
  it('fetches whole frames everywhere else', () => {
    const cases: [string, string | undefined][] = [
      [frame, '1.2.840.10008.1.2.4.201'], // not resolution-progressive for the decoder
      [frame, '1.2.840.10008.1.2.1'],
      [frame, undefined],
      ['wadors:http://gw/sites/orthanc/dicom-web/studies/1/series/2/instances/3/frames/1', '1.2.840.10008.1.2.4.203'],
      ['wadouri:http://gw/sites/folder/dicom-web/x.dcm', '1.2.840.10008.1.2.4.203'],
    ];
    for (const [imageId, syntax] of cases) expect(retrieveConfigurationFor(imageId, syntax, roots), `${imageId} ${syntax}`).toBeUndefined();
  });
});
