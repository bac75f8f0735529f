import { describe, expect, it } from 'vitest';
import { lacksPixelData, shortFrameReason } from './decodedSize';

describe('a decoded frame holds a value for every pixel', () => {
  it('passes a greyscale frame with one value per pixel', () => {
    expect(shortFrameReason({ rows: 512, columns: 512, color: false, values: 512 * 512 })).toBeUndefined();
  });

  it('says how short a frame built from too few bytes is', () => {
    expect(shortFrameReason({ rows: 512, columns: 256, color: false, values: 1000 })).toBe("the site's answer holds 1,000 pixel values for a 256×512 image");
  });

  it('names 1-bit pixel data the loader left packed as not supported, rather than blaming the site', () => {
    expect(shortFrameReason({ rows: 512, columns: 512, color: false, values: 32768, bitsAllocated: 1 })).toBe('its 1-bit (bit-packed) pixel data is not supported');
  });

  it('needs three values per pixel for colour, and accepts RGBA', () => {
    expect(shortFrameReason({ rows: 4, columns: 4, color: true, values: 16 })).toBeDefined();
    expect(shortFrameReason({ rows: 4, columns: 4, color: true, values: 64 })).toBeUndefined();
  });
});

describe('an instance without pixel data', () => {
  it('is known by its metadata lacking Pixel Data (integer, float or double)', () => {
    expect(lacksPixelData({ '00080060': { vr: 'CS', Value: ['CT'] } })).toBe(true);
    expect(lacksPixelData({ '7FE00010': { vr: 'OW', BulkDataURI: 'x' } })).toBe(false);
    expect(lacksPixelData({ '7FE00008': { vr: 'OF' } })).toBe(false);
  });

  it('is not assumed when the metadata is not known', () => {
    expect(lacksPixelData(undefined)).toBe(false);
  });
});
