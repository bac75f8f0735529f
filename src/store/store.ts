/** The single source of UI state: one zustand store made of domain slices. */
import { createStore } from 'zustand/vanilla';
import { createPatientSlice, type PatientSlice } from './patientSlice';
import { createReportsSlice, type ReportsSlice } from './reportsSlice';
import { createSitesSlice, type SitesSlice } from './sitesSlice';
import { createViewerSlice, type ViewerSlice } from './viewerSlice';

export type CrossviewState = SitesSlice & PatientSlice & ViewerSlice & ReportsSlice;

/** `origin` is the gateway's origin (the page's own in production). */
export function createCrossviewStore(origin: string) {
  return createStore<CrossviewState>()((...args) => ({
    ...createSitesSlice(origin)(...args),
    ...createPatientSlice(origin)(...args),
    ...createViewerSlice(...args),
    ...createReportsSlice(...args),
  }));
}

export type CrossviewStore = ReturnType<typeof createCrossviewStore>;
