import { describe, expect, it } from 'vitest';
import type { Vec3 } from './scrollLink';
import type { ChangeOrigin, DisplayWindow, StackViewChange, ZoomPan } from './stackView';
import { createViewportSync, type SyncMember, type ViewportSyncState } from './viewportSync';

/**
 * A stack view without Cornerstone: slices at known positions (head first, as the viewer orders
 * them); `user*` methods act as the reader, and every change is reported the way StackView's
 * `observe` reports it, synchronously.
 */
class FakeView implements SyncMember {
  readonly imageCount: number;
  readonly sliceNormal: Vec3 | undefined;
  private index: number;
  private window: DisplayWindow = { windowWidth: 400, windowCenter: 40 };
  private camera: ZoomPan = { zoom: 1, pan: [0, 0] };
  private readonly observers = new Set<(change: StackViewChange) => void>();
  /** Every change the program (a sync) made to this view. */
  readonly programChanges: StackViewChange['kind'][] = [];

  constructor(
    readonly viewportId: string,
    readonly frameOfReferenceUID: string | undefined,
    private readonly geometry: { first: number; step: number; count: number; normal?: Vec3 },
    initialIndex = 0,
  ) {
    this.imageCount = geometry.count;
    this.sliceNormal = geometry.normal ?? [0, 0, 1];
    this.index = initialIndex;
  }
  positionOf(index: number) {
    const { first, step, count } = this.geometry;
    return index >= 0 && index < count ? first + (count - 1 - index) * step : undefined;
  }
  currentIndex() {
    return this.index;
  }
  setImageIndex(index: number, origin: ChangeOrigin = 'user') {
    const target = Math.max(0, Math.min(this.imageCount - 1, index));
    if (target === this.index) return;
    this.index = target;
    this.emit({ kind: 'image', index: target, origin });
  }
  applyWindow(window: DisplayWindow, origin: ChangeOrigin = 'user') {
    this.window = { windowWidth: window.windowWidth, windowCenter: window.windowCenter };
    this.emit({ kind: 'window', ...this.window, origin });
  }
  displayWindow() {
    return this.window;
  }
  zoomPan() {
    return this.camera;
  }
  setZoomPan(zoomPan: ZoomPan, origin: ChangeOrigin = 'user') {
    this.camera = zoomPan;
    this.emit({ kind: 'camera', zoomPan, origin });
  }
  observe(listener: (change: StackViewChange) => void) {
    this.observers.add(listener);
    return () => {
      this.observers.delete(listener);
    };
  }
  /** The reader scrolls by `delta` slices. */
  userScroll(delta: number) {
    this.setImageIndex(this.index + delta, 'user');
  }
  /** Distance of the slice on screen along the normal, mm. */
  position() {
    return this.positionOf(this.index)!;
  }
  private emit(change: StackViewChange) {
    if (change.origin === 'program') this.programChanges.push(change.kind);
    for (const observer of this.observers) observer(change);
  }
}

// The demo pair: current 220 × 1.5 mm at site A; prior 120 × 2.5 mm at site B, 400 mm up the bore.
const currentCt = (frame = 'for-a', index = 94) => new FakeView('vp-1', frame, { first: -141, step: 1.5, count: 220 }, index);
const priorCt = (frame = 'for-b', index = 52) => new FakeView('vp-2', frame, { first: 259, step: 2.5, count: 120 }, index);

describe('viewport sync: scroll', () => {
  it('follows by patient position when the series share a frame of reference, to the nearest slice', () => {
    const sync = createViewportSync({ kinds: ['scroll'] });
    const a = currentCt('shared');
    const b = new FakeView('vp-2', 'shared', { first: -141, step: 2.5, count: 132 }, 0);
    sync.add(a);
    sync.add(b);
    expect(sync.state().scroll).toBe('position');
    a.userScroll(1); // 46.5 − 1.5 = 45 mm; the 2.5 mm stack has 44 and 46.5
    expect(Math.abs(b.position() - a.position())).toBeLessThanOrEqual(1.25);
    a.userScroll(20);
    expect(Math.abs(b.position() - a.position())).toBeLessThanOrEqual(1.25);
    // And the other way round.
    b.userScroll(-10);
    expect(Math.abs(a.position() - b.position())).toBeLessThanOrEqual(0.75);
  });

  it('across frames of reference stays unlinked until link-here, then keeps the offset: 20 mm in one is 20 mm in the other', () => {
    const sync = createViewportSync({ kinds: ['scroll', 'window'] });
    const current = currentCt();
    const prior = priorCt('for-b', 10);
    sync.add(current);
    sync.add(prior);
    expect(sync.state().scroll).toBe('unlinked');
    current.userScroll(5);
    expect(prior.currentIndex()).toBe(10);

    // The reader puts both on the lesion and links there.
    current.setImageIndex(94);
    prior.setImageIndex(52);
    sync.linkHere();
    expect(sync.state().scroll).toBe('linked');
    const before = prior.position();
    current.userScroll(13); // 19.5 mm towards the feet
    expect(before - prior.position()).toBe(20);
    expect(prior.currentIndex()).toBe(60);
    // Up 10 mm from the prior: the current follows to 10 mm below the lesion (nearest 1.5 mm slice).
    prior.userScroll(-4);
    expect(current.position() - current.positionOf(94)!).toBe(-10.5);
  });

  it('unlinking stops scroll following, also within one frame of reference, until link-here again', () => {
    for (const frames of [['for-a', 'for-b'], ['shared', 'shared']] as const) {
      const sync = createViewportSync({ kinds: ['scroll'] });
      const current = currentCt(frames[0]);
      const prior = priorCt(frames[1]);
      sync.add(current);
      sync.add(prior);
      sync.linkHere();
      current.userScroll(4);
      const followed = prior.currentIndex();
      expect(followed).not.toBe(52);
      sync.unlink();
      expect(sync.state().scroll).toBe('unlinked');
      current.userScroll(10);
      expect(prior.currentIndex()).toBe(followed);
      sync.linkHere();
      current.userScroll(-10);
      expect(prior.currentIndex()).not.toBe(followed);
    }
  });

  it('never bounces a followed change back: the follower is set once and the source never by the sync', () => {
    const sync = createViewportSync({ kinds: ['scroll', 'window', 'zoom-pan'] });
    // Two groups over the same views (a protocol may list a view in several).
    const other = createViewportSync({ kinds: ['scroll'] });
    const current = currentCt();
    const prior = priorCt();
    for (const group of [sync, other]) {
      group.add(current);
      group.add(prior);
      group.linkHere();
    }
    for (let i = 0; i < 30; i++) current.userScroll(1);
    current.applyWindow({ windowWidth: 1500, windowCenter: -600 });
    current.setZoomPan({ zoom: 2, pan: [10, -5] });
    expect(current.programChanges).toEqual([]);
    expect(prior.programChanges.filter((kind) => kind === 'image').length).toBeLessThanOrEqual(30);
    expect(prior.programChanges).toContain('window');
    expect(prior.programChanges).toContain('camera');
  });

  it('does not scroll a member in a crossing plane, and a member that left is not moved', () => {
    const sync = createViewportSync({ kinds: ['scroll'] });
    const axial = currentCt('shared');
    const sagittal = new FakeView('vp-3', 'shared', { first: -100, step: 1, count: 200, normal: [-1, 0, 0] }, 50);
    const leaving = new FakeView('vp-2', 'shared', { first: -141, step: 1.5, count: 220 }, 94);
    sync.add(axial);
    sync.add(sagittal);
    const leave = sync.add(leaving);
    axial.userScroll(3);
    expect(sagittal.currentIndex()).toBe(50);
    expect(leaving.currentIndex()).toBe(97);
    leave();
    axial.userScroll(3);
    expect(leaving.currentIndex()).toBe(97);
  });

  it('turning the scroll kind off stops following; other kinds still apply', () => {
    const sync = createViewportSync({ kinds: ['scroll', 'window'] });
    const a = currentCt('shared');
    const b = currentCt('shared');
    sync.add(a);
    sync.add(b);
    sync.setKinds(['window']);
    a.userScroll(5);
    expect(b.currentIndex()).toBe(94);
    a.applyWindow({ windowWidth: 1500, windowCenter: -600 });
    expect(b.displayWindow()).toEqual({ windowWidth: 1500, windowCenter: -600 });
  });
});

describe('viewport sync: window and camera', () => {
  it('a window change on one applies the same width and centre to every other member', () => {
    const sync = createViewportSync({ kinds: ['window'] });
    const views = [currentCt(), priorCt(), priorCt('for-c')];
    for (const view of views) sync.add(view);
    views[1]!.applyWindow({ windowWidth: 1500, windowCenter: -600 });
    for (const view of views) expect(view.displayWindow()).toEqual({ windowWidth: 1500, windowCenter: -600 });
    // Scroll is not a kind of this group.
    views[0]!.userScroll(5);
    expect(views[1]!.currentIndex()).toBe(52);
  });

  it('zoom and pan follow relative to each reset camera, only while zoom-pan is on', () => {
    const sync = createViewportSync({ kinds: ['zoom-pan'] });
    const a = currentCt();
    const b = priorCt();
    sync.add(a);
    sync.add(b);
    a.setZoomPan({ zoom: 1.8, pan: [12, 4] });
    expect(b.zoomPan()).toEqual({ zoom: 1.8, pan: [12, 4] });
    sync.setKinds([]);
    a.setZoomPan({ zoom: 3, pan: [0, 0] });
    expect(b.zoomPan()).toEqual({ zoom: 1.8, pan: [12, 4] });
  });
});

describe('viewport sync: state', () => {
  it('tells subscribers when the scroll state or kinds change, and nothing after dispose', () => {
    const sync = createViewportSync({ kinds: ['scroll'] });
    const seen: ViewportSyncState[] = [];
    const unsubscribe = sync.subscribe((state) => seen.push(state));
    const current = currentCt();
    sync.add(current);
    expect(sync.state()).toEqual({ kinds: ['scroll'], scroll: 'position' }); // one member, one frame
    const leavePrior = sync.add(priorCt());
    sync.linkHere();
    sync.setKinds(['scroll', 'window']);
    sync.unlink();
    leavePrior();
    expect(seen.map((s) => s.scroll)).toEqual(['unlinked', 'linked', 'linked', 'unlinked']);
    expect(seen[2]!.kinds).toEqual(['scroll', 'window']);
    unsubscribe();
    const other = priorCt();
    sync.add(other);
    expect(seen).toHaveLength(4);
    sync.dispose();
    sync.linkHere();
    current.userScroll(10);
    expect(other.currentIndex()).toBe(52);
    // A view joining a disposed synchroniser joins nothing (its grid has made a new one).
    const late = priorCt();
    const leaveLate = sync.add(late);
    current.userScroll(10);
    expect(late.currentIndex()).toBe(priorCt().currentIndex());
    leaveLate();
  });
});
