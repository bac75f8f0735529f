/** The hospitals this gateway knows and how each is doing right now. */
import type { StateCreator } from 'zustand';
import { fetchSites, type Site } from '../sites/index';
import type { CrossviewState } from './store';

export interface SitesState {
  sites: Record<string, Site>;
  siteOrder: string[];
  nationalIdIssuer: string;
  /** Per-site limits for patient queries, from the gateway's config. */
  queryTimeoutMs: number;
  slowThresholdMs: number;
  /** Image memory budget for the viewer, bytes, from the gateway's config. */
  cacheBudgetBytes: number;
  sitesLoad: { kind: 'idle' | 'loading' | 'ready' } | { kind: 'error'; message: string };
}

export interface SitesActions {
  loadSites(): Promise<void>;
}

export type SitesSlice = SitesState & SitesActions;

export const createSitesSlice =
  (origin: string): StateCreator<CrossviewState, [], [], SitesSlice> =>
  (set) => ({
    sites: {},
    siteOrder: [],
    nationalIdIssuer: 'NHS',
    queryTimeoutMs: 4000,
    slowThresholdMs: 1500,
    cacheBudgetBytes: 1024 * 1024 * 1024,
    sitesLoad: { kind: 'idle' },
    async loadSites() {
      set({ sitesLoad: { kind: 'loading' } });
      const result = await fetchSites(origin);
      if (result.kind === 'error') {
        set({ sitesLoad: { kind: 'error', message: result.message } });
        return;
      }
      set({
        sites: Object.fromEntries(result.sites.map((site) => [site.id, site])),
        siteOrder: result.sites.map((site) => site.id),
        nationalIdIssuer: result.nationalIdIssuer,
        queryTimeoutMs: result.queryTimeoutMs,
        slowThresholdMs: result.slowThresholdMs,
        cacheBudgetBytes: result.cacheBudgetBytes,
        sitesLoad: { kind: 'ready' },
      });
    },
  });
