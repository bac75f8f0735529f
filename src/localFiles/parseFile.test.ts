import { describe, expect, it } from 'vitest';
import { encodePart10 } from '../demo/dicomFile';
import { parseLocalFile } from './index';

/** A tiny secondary capture written by dcmjs, for what real files do that the demo does not. */
function secondaryCapture(extra: Record<string, unknown>): Uint8Array {
  return encodePart10({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    SOPInstanceUID: '1.2.3.4.1',
    StudyInstanceUID: '1.2.3.4.2',
    SeriesInstanceUID: '1.2.3.4.3',
    PatientID: 'P1',
    Modality: 'OT',
    Rows: 4,
    Columns: 4,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PlanarConfiguration: 0,
    _vrMap: { PixelData: 'OB' },
    ...extra,
  });
}

describe('parseLocalFile on what real archives hold', () => {
  it('accepts native YBR_FULL_422 at two bytes a pixel and names the shortfall when there are fewer', () => {
    const ok = parseLocalFile('ybr', secondaryCapture({ SamplesPerPixel: 3, PhotometricInterpretation: 'YBR_FULL_422', PixelData: new Uint8Array(32).buffer }));
    expect(ok.kind).toBe('instance');
    const short = parseLocalFile('ybr-short', secondaryCapture({ SamplesPerPixel: 3, PhotometricInterpretation: 'YBR_FULL_422', PixelData: new Uint8Array(16).buffer }));
    expect(short).toEqual({ kind: 'rejected', path: 'ybr-short', reason: 'pixel data is 16 bytes, 4×4×8-bit ×3 samples needs 32' });
  });

  it('accepts a data set with several character sets (ISO 2022), which dcmjs reads only when told to go on', () => {
    const parsed = parseLocalFile('iso2022', secondaryCapture({ SpecificCharacterSet: ['ISO 2022 IR 13', 'ISO 2022 IR 87'], SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2', PixelData: new Uint8Array(16).buffer }));
    expect(parsed.kind).toBe('instance');
    if (parsed.kind === 'instance') expect(parsed.instance.identity.SOPInstanceUID).toBe('1.2.3.4.1');
  });

  it('keeps a structured report without pixels as an instance, and rejects image attributes without Pixel Data', () => {
    const sr = encodePart10({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.22', SOPInstanceUID: '1.2.3.5.1', StudyInstanceUID: '1.2.3.5.2', SeriesInstanceUID: '1.2.3.5.3', Modality: 'SR' });
    const parsed = parseLocalFile('sr', sr);
    expect(parsed.kind).toBe('instance');
    if (parsed.kind === 'instance') expect(parsed.instance.pixels).toBeUndefined();
    expect(parseLocalFile('no-pixels', secondaryCapture({ SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2' }))).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/^no pixel data/) });
  });

  it('names a missing or malformed UID instead of grouping the file anywhere', () => {
    const bad = secondaryCapture({ StudyInstanceUID: '1.2.03.x', SamplesPerPixel: 1, PhotometricInterpretation: 'MONOCHROME2', PixelData: new Uint8Array(16).buffer });
    expect(parseLocalFile('bad-uid', bad)).toMatchObject({ kind: 'rejected', reason: 'StudyInstanceUID (0020,000D) is not a valid UID' });
  });
});
