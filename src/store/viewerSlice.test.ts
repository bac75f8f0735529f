import { describe, expect, it } from 'vitest';
import { createCrossviewStore } from './store';
import { MaxSlabThicknessMm } from './viewerSlice';

describe('viewer layout', () => {
  it('starts on the stack with a thin slice and switches to MPR and back, keeping a refusal notice', () => {
    const store = createCrossviewStore('http://127.0.0.1:1');
    expect(store.getState().layoutMode).toBe('stack');
    expect(store.getState().slabThicknessMm).toBe(0);
    store.getState().setLayoutMode('mpr');
    expect(store.getState().layoutMode).toBe('mpr');
    store.getState().setLayoutMode('stack', 'too large');
    expect(store.getState()).toMatchObject({ layoutMode: 'stack', layoutNotice: 'too large' });
  });

  it('keeps the slab thickness between 0 and the maximum', () => {
    const store = createCrossviewStore('http://127.0.0.1:1');
    store.getState().setSlabThickness(12.5);
    expect(store.getState().slabThicknessMm).toBe(12.5);
    store.getState().setSlabThickness(-3);
    expect(store.getState().slabThicknessMm).toBe(0);
    store.getState().setSlabThickness(10_000);
    expect(store.getState().slabThicknessMm).toBe(MaxSlabThicknessMm);
    store.getState().setSlabThickness(Number.NaN);
    expect(store.getState().slabThicknessMm).toBe(0);
  });
});
