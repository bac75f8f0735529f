import { describe, expect, it } from 'vitest';
import { classifyLoadError, describeLoadError } from './loadErrors';

describe('image load failures as a reader sees them', () => {
  it('names an encoding no decoder handles, by name and UID', () => {
    const error = new Error('No decoder for transfer syntax 1.2.840.10008.1.2.4.92');
    expect(classifyLoadError(error)).toEqual({ kind: 'unsupported-encoding', transferSyntaxUID: '1.2.840.10008.1.2.4.92', name: 'JPEG 2000 Part 2 Multi-component Lossless' });
    expect(describeLoadError(error)).toBe("This image's encoding (JPEG 2000 Part 2 Multi-component Lossless, 1.2.840.10008.1.2.4.92) is not supported");
  });

  it('shows the bare UID of a syntax it has no name for, from a worker error wrapped in an object', () => {
    expect(describeLoadError({ error: new Error('no decoder for transfer syntax 1.2.3.4.5') })).toBe("This image's encoding (1.2.3.4.5) is not supported");
  });

  it('reports an HTTP failure by its status (the XMLHttpRequest the loader rejects with)', () => {
    expect(describeLoadError({ status: 503, response: null })).toBe('The image could not be loaded: the site answered HTTP 503');
  });

  it("says a multipart answer the loader could not split was malformed, in the loader's own words", () => {
    const error = new Error('invalid response - no multipart mime header');
    expect(classifyLoadError(error)).toEqual({ kind: 'malformed-answer', detail: 'no multipart mime header' });
    expect(describeLoadError(error)).toBe("The image could not be loaded: the site's answer was malformed (no multipart mime header)");
  });

  it('reads the bare number a WASM codec throws as data it could not decode, not as a number to show', () => {
    expect(classifyLoadError(611176)).toEqual({ kind: 'undecodable' });
    expect(classifyLoadError({ error: 611176 })).toEqual({ kind: 'undecodable' });
    expect(describeLoadError(611176)).toBe('The image could not be decoded: the site sent data that is not in the encoding it declared');
  });

  it('passes any other reason through', () => {
    expect(classifyLoadError('decode failed')).toEqual({ kind: 'other', detail: 'decode failed' });
  });
});
