import { describe, expect, it } from 'vitest';
import { directionLetters, markersForImageOrientation, orientationMarkers } from './orientation';

describe('orientation markers', () => {
  it('an axial image as stored shows the patient right on the screen left and anterior at the top', () => {
    expect(markersForImageOrientation([1, 0, 0, 0, 1, 0])).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('a coronal image shows the head at the top and the patient right on the screen left', () => {
    expect(markersForImageOrientation([1, 0, 0, 0, 0, -1])).toEqual({ left: 'R', right: 'L', top: 'H', bottom: 'F' });
  });

  it('a sagittal image shows anterior on the left and the head at the top', () => {
    expect(markersForImageOrientation([0, 1, 0, 0, 0, -1])).toEqual({ left: 'A', right: 'P', top: 'H', bottom: 'F' });
  });

  it('a horizontal flip swaps left and right markers, a 90° rotation moves them round', () => {
    const flipped = orientationMarkers([-1, 0, 0], [0, 1, 0]);
    expect(flipped).toMatchObject({ left: 'L', right: 'R' });
    // Rotated 90° clockwise: what was at the top (anterior) now faces right.
    expect(orientationMarkers([0, -1, 0], [1, 0, 0])).toEqual({ right: 'A', left: 'P', bottom: 'L', top: 'R' });
  });

  it('an oblique direction names its strongest component first and ignores small ones', () => {
    expect(directionLetters([0.8, -0.6, 0])).toBe('LA');
    expect(directionLetters([0.99, 0.1, 0])).toBe('L');
    expect(directionLetters([0, 0, 0])).toBe('');
  });

  it('a malformed ImageOrientationPatient gives no markers rather than wrong ones', () => {
    expect(markersForImageOrientation([1, 0, 0, 0, 1])).toBeUndefined();
    expect(markersForImageOrientation([1, 0, 0, 0, Number.NaN, 0])).toBeUndefined();
  });
});
