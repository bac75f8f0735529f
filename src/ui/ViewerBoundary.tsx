/**
 * Keeps a failure of the image viewer inside its pane. The viewer's code is loaded on demand from
 * the gateway; if the gateway is away at that moment (a restart, a network drop) the import fails,
 * and a render error inside the viewer would otherwise unmount the whole page, timeline and
 * reports with it. The pane says what happened and offers to try again.
 */
import { Component, useEffect, useState, type ComponentType, type ReactNode } from 'react';

export function describeViewerFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/dynamically imported module|Importing a module script failed|Failed to fetch/i.test(message)) {
    return 'The image viewer could not be loaded: the Crossview gateway did not answer. Check the connection, then try again.';
  }
  return `The image viewer stopped: ${message}`;
}

function ViewerFailure({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="viewport empty" data-viewport-id="vp-1" data-ready="false">
      <div className="viewport-message error" role="alert">
        {message}{' '}
        <button type="button" className="retry" onClick={onRetry}>
          Try again
        </button>
      </div>
    </div>
  );
}

type PaneLoad = { kind: 'loading' } | { kind: 'ready'; Pane: ComponentType } | { kind: 'failed'; message: string };

/** Once loaded, the viewer's code stays loaded for the page's life. */
let loadedPane: ComponentType | undefined;

/** The viewer grid, its code fetched on first use (Cornerstone3D is most of the bundle). */
export function LazyViewerGrid() {
  const [load, setLoad] = useState<PaneLoad>(() => (loadedPane ? { kind: 'ready', Pane: loadedPane } : { kind: 'loading' }));
  useEffect(() => {
    if (load.kind !== 'loading') return;
    let live = true;
    import('./ViewerGrid').then(
      (module) => {
        loadedPane = module.ViewerGrid;
        if (live) setLoad({ kind: 'ready', Pane: module.ViewerGrid });
      },
      (error: unknown) => {
        if (live) setLoad({ kind: 'failed', message: describeViewerFailure(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [load.kind]);
  if (load.kind === 'ready') return <load.Pane />;
  if (load.kind === 'failed') return <ViewerFailure message={load.message} onRetry={() => setLoad({ kind: 'loading' })} />;
  return (
    <div className="viewport empty">
      <span className="spinner" /> Loading the viewer…
    </div>
  );
}

interface BoundaryProps {
  /** A change (the study chosen) clears a failure and renders the viewer again. */
  resetKey: string;
  children: ReactNode;
}

interface BoundaryState {
  failure: { message: string; resetKey: string | undefined } | undefined;
}

/** Catches a render error of the viewer so the rest of the page stays. */
export class ViewerBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failure: undefined };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { failure: { message: describeViewerFailure(error), resetKey: undefined } };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    if (!state.failure) return null;
    if (state.failure.resetKey === undefined) return { failure: { ...state.failure, resetKey: props.resetKey } };
    return state.failure.resetKey !== props.resetKey ? { failure: undefined } : null;
  }

  override render() {
    const { failure } = this.state;
    if (!failure) return this.props.children;
    return <ViewerFailure message={failure.message} onRetry={() => this.setState({ failure: undefined })} />;
  }
}
