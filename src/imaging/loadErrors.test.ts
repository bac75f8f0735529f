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

  it('passes any other reason through', () => {
    expect(classifyLoadError('decode failed')).toEqual({ kind: 'other', detail: 'decode failed' });
  });
});
