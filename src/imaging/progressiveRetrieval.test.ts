import { describe, expect, it } from 'vitest';
import { ProgressiveStages, retrieveConfigurationFor } from './progressiveRetrieval';

const roots = ['http://gw/sites/folder/dicom-web/'];
const frame = 'wadors:http://gw/sites/folder/dicom-web/studies/1/series/2/instances/3/frames/1';

describe('retrieveConfigurationFor', () => {
  it('fetches an on-screen HTJ2K frame in two steps from a site that serves byte ranges', () => {
    expect(retrieveConfigurationFor(frame, 'stack', '1.2.840.10008.1.2.4.203', roots)).toBe(ProgressiveStages);
    expect(retrieveConfigurationFor(frame, 'stack', '1.2.840.10008.1.2.4.202', roots)).toBe(ProgressiveStages);
    expect(ProgressiveStages.stages.map((s) => s.retrieveType)).toEqual(['firstBytes', 'rest']);
    expect(ProgressiveStages.retrieveOptions.rest.rangeIndex).toBe(-1);
  });
  it('fetches whole frames everywhere else', () => {
    const cases: [string, unknown, string | undefined][] = [
      [frame, 'volume', '1.2.840.10008.1.2.4.203'], // volumes stream whole frames
      [frame, 'stack', '1.2.840.10008.1.2.4.201'], // not resolution-progressive for the decoder
      [frame, 'stack', '1.2.840.10008.1.2.1'],
      [frame, 'stack', undefined],
      ['wadors:http://gw/sites/orthanc/dicom-web/studies/1/series/2/instances/3/frames/1', 'stack', '1.2.840.10008.1.2.4.203'],
      ['wadouri:http://gw/sites/folder/dicom-web/x.dcm', 'stack', '1.2.840.10008.1.2.4.203'],
    ];
    for (const [imageId, context, syntax] of cases) expect(retrieveConfigurationFor(imageId, context, syntax, roots), `${imageId} ${String(context)} ${syntax}`).toBeUndefined();
  });
});
