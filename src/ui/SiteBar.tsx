import { useShallow } from 'zustand/react/shallow';
import { useCrossview } from './storeContext';
import type { SiteSearchState } from '../store/index';

const stateLabel: Record<string, string> = { ok: 'online', slow: 'slow', down: 'down', unauthorised: 'access refused', error: 'error' };

function searchLabel(search: SiteSearchState | undefined): string | undefined {
  if (!search) return undefined;
  if (search.kind === 'searching') return 'searching…';
  if (search.kind === 'ok') return `${search.studies} ${search.studies === 1 ? 'study' : 'studies'} · ${search.elapsedMs} ms${search.slow ? ' (slow)' : ''}`;
  return search.message;
}

/** Every hospital, its live state and what it answered for this patient. */
export function SiteBar() {
  const siteOrder = useCrossview(useShallow((s) => s.siteOrder));
  const sites = useCrossview((s) => s.sites);
  const siteSearch = useCrossview((s) => s.siteSearch);
  const sitesLoad = useCrossview((s) => s.sitesLoad);
  return (
    <nav className="site-bar" aria-label="Hospitals">
      <span className="brand">Crossview</span>
      {sitesLoad.kind === 'loading' && <span className="muted">Contacting hospitals…</span>}
      {sitesLoad.kind === 'error' && <span className="error" role="alert">{sitesLoad.message}</span>}
      {siteOrder.map((id) => {
        const site = sites[id]!;
        const search = siteSearch[id];
        const state =
          search?.kind === 'failed' ? (search.failure === 'timeout' ? 'down' : search.failure) : search?.kind === 'ok' ? (search.slow ? 'slow' : 'ok') : site.state;
        return (
          <span key={id} className={`site-chip state-${state}`} data-site-status={id} data-state={state} title={site.message ?? stateLabel[state]}>
            <span className="dot" aria-hidden="true" />
            <span className="site-name">{site.name}</span>
            <span className="site-detail">{searchLabel(search) ?? stateLabel[state]}</span>
          </span>
        );
      })}
    </nav>
  );
}
