/**
 * A sync group of stack views (a protocol's `syncGroups` entry): the reader's slice, window and
 * camera changes on one member are applied to the others.
 *
 * Invariants:
 * - Only `user` changes are passed on; what this group (or another) sets is `program` and stops
 *   there, so nothing loops however groups overlap.
 * - Scroll follows by patient position only between members sharing a FrameOfReferenceUID;
 *   across frames of reference only after `linkHere()`, keeping the offsets it recorded.
 *   `unlink()` stops scroll following for the whole group until the next `linkHere()`.
 * - Zoom and pan are relative to each member's reset camera, since the images differ in size.
 * - `reference-lines` is accepted and reported, but draws nothing yet.
 *
 * @example
 * const sync = createViewportSync({ kinds: ['scroll', 'window'] });
 * const leave = sync.add(view);     // each member, once mounted
 * sync.linkHere();                  // both on the lesion: keep this offset while scrolling
 */
import type { SyncKindValues } from '../contracts/index';
import { followingSlice } from './scrollLink';
import type { StackView, StackViewChange } from './stackView';

export type SyncKind = (typeof SyncKindValues)[number];
/** position: all members share one FoR; linked: offsets set by link-here; unlinked: no scroll following. */
export type ScrollLinkState = 'position' | 'linked' | 'unlinked';

export interface ViewportSyncState {
  kinds: readonly SyncKind[];
  scroll: ScrollLinkState;
}

/** What a member must offer; a mounted `StackView` does. */
export type SyncMember = Pick<
  StackView,
  | 'viewportId'
  | 'imageCount'
  | 'frameOfReferenceUID'
  | 'sliceNormal'
  | 'positionOf'
  | 'currentIndex'
  | 'setImageIndex'
  | 'applyWindow'
  | 'displayWindow'
  | 'zoomPan'
  | 'setZoomPan'
  | 'observe'
>;

export interface ViewportSync {
  /** Joins a mounted stack view; returns leave(). A view may be in several syncs. */
  add(view: SyncMember): () => void;
  /** Which kinds are in force (UI toggles). */
  setKinds(kinds: readonly SyncKind[]): void;
  /** Records each member's current slice position as corresponding anatomy ("link here"). */
  linkHere(): void;
  /** Stops scroll following until the next `linkHere()`. */
  unlink(): void;
  state(): ViewportSyncState;
  subscribe(listener: (state: ViewportSyncState) => void): () => void;
  dispose(): void;
}

interface Member {
  view: SyncMember;
  positions: readonly (number | undefined)[];
  /** Own slice position at the last link-here. */
  anchor?: number;
  unobserve: () => void;
}

/** How scroll follows: by shared position, by link-here anchors, or not at all (after unlink). */
type ScrollMode = 'position' | 'anchors' | 'off';

export function createViewportSync(options: { kinds: readonly SyncKind[] }): ViewportSync {
  let kinds: readonly SyncKind[] = [...new Set(options.kinds)];
  let mode: ScrollMode = 'position';
  let members: Member[] = [];
  let disposed = false;
  const listeners = new Set<(state: ViewportSyncState) => void>();
  let published = '';

  const sharesOneFrame = () => {
    const first = members[0]?.view.frameOfReferenceUID;
    return members.every((m) => m.view.frameOfReferenceUID !== undefined && m.view.frameOfReferenceUID === first);
  };
  const state = (): ViewportSyncState => ({
    kinds,
    scroll: mode === 'anchors' ? 'linked' : mode === 'position' && sharesOneFrame() ? 'position' : 'unlinked',
  });
  const notify = () => {
    const now = state();
    const key = JSON.stringify(now);
    if (key === published) return;
    published = key;
    for (const listener of [...listeners]) listener(now);
  };
  published = JSON.stringify(state());

  function followScroll(source: Member, index: number) {
    if (mode === 'off') return;
    const sourcePosition = source.view.positionOf(index);
    const sourceNormal = source.view.sliceNormal;
    if (sourcePosition === undefined || !sourceNormal) return;
    for (const target of members) {
      if (target === source || !target.view.sliceNormal) continue;
      const anchored = mode === 'anchors' && source.anchor !== undefined && target.anchor !== undefined;
      const sameFrame = source.view.frameOfReferenceUID !== undefined && source.view.frameOfReferenceUID === target.view.frameOfReferenceUID;
      if (!anchored && !sameFrame) continue;
      const slice = followingSlice(sourceNormal, sourcePosition, anchored ? { anchor: source.anchor! } : {}, {
        normal: target.view.sliceNormal,
        positions: target.positions,
        ...(anchored ? { anchor: target.anchor! } : {}),
      });
      if (slice !== undefined && slice !== target.view.currentIndex()) target.view.setImageIndex(slice, 'program');
    }
  }

  function onChange(source: Member, change: StackViewChange) {
    if (disposed || change.origin !== 'user') return;
    if (change.kind === 'image') {
      if (kinds.includes('scroll')) followScroll(source, change.index);
    } else if (change.kind === 'window') {
      if (!kinds.includes('window')) return;
      for (const target of members) {
        if (target === source) continue;
        const shown = target.view.displayWindow();
        if (shown && Math.abs(shown.windowWidth - change.windowWidth) < 0.5 && Math.abs(shown.windowCenter - change.windowCenter) < 0.5) continue;
        target.view.applyWindow({ windowWidth: change.windowWidth, windowCenter: change.windowCenter }, 'program');
      }
    } else if (kinds.includes('zoom-pan')) {
      for (const target of members) if (target !== source) target.view.setZoomPan(change.zoomPan, 'program');
    }
  }

  return {
    add(view) {
      // A cell's effect may run against a synchroniser its grid has just replaced (React reconnecting
      // a suspended subtree runs children first); joining nothing is right, the new one follows.
      if (disposed) return () => {};
      const existing = members.find((m) => m.view === view);
      const member: Member = existing ?? {
        view,
        positions: Array.from({ length: view.imageCount }, (_, index) => view.positionOf(index)),
        unobserve: () => {},
      };
      if (!existing) {
        members = [...members, member];
        member.unobserve = view.observe((change) => onChange(member, change));
        notify();
      }
      return () => {
        if (!members.includes(member)) return;
        member.unobserve();
        members = members.filter((m) => m !== member);
        notify();
      };
    },
    setKinds(next) {
      kinds = [...new Set(next)];
      notify();
    },
    linkHere() {
      for (const member of members) {
        const position = member.view.positionOf(member.view.currentIndex());
        if (position === undefined) delete member.anchor;
        else member.anchor = position;
      }
      mode = 'anchors';
      notify();
    },
    unlink() {
      for (const member of members) delete member.anchor;
      mode = 'off';
      notify();
    },
    state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      for (const member of members) member.unobserve();
      members = [];
      listeners.clear();
    },
  };
}
