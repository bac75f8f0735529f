/** The single source of UI state: one zustand store made of domain slices. */
import { createStore } from 'zustand/vanilla';
import { createImportSlice, type ImportSlice } from './importSlice';
import { createHangingSlice, type HangingSlice } from './hangingSlice';
import { createLocalFilesSlice, type LocalFilesSlice } from './localFilesSlice';
import { createMeasurementsSlice, type MeasurementArchive, type MeasurementsSlice } from './measurementsSlice';
import { createPatientSlice, type PatientSlice } from './patientSlice';
import { createReportsSlice, type ReportsSlice } from './reportsSlice';
import { createSessionSlice, type SessionSlice } from './sessionSlice';
import { createSitesSlice, type SitesSlice } from './sitesSlice';
import { createTransferSlice, type TransferSlice } from './transferSlice';
import { createViewerSlice, type ViewerSlice } from './viewerSlice';

export type CrossviewState = SessionSlice & SitesSlice & PatientSlice & ViewerSlice & HangingSlice & ReportsSlice & MeasurementsSlice & LocalFilesSlice & ImportSlice & TransferSlice;

/**
 * `origin` is the gateway's origin (the page's own in production); `measurements` finds and
 * stores measurement SRs (imaging's `measurementArchive` in the app).
 */
export function createCrossviewStore(origin: string, measurements?: MeasurementArchive) {
  return createStore<CrossviewState>()((...args) => ({
    ...createSessionSlice(origin)(...args),
    ...createSitesSlice(origin)(...args),
    ...createPatientSlice(origin)(...args),
    ...createViewerSlice(...args),
    ...createHangingSlice(origin)(...args),
    ...createReportsSlice(...args),
    ...createMeasurementsSlice(measurements)(...args),
    ...createTransferSlice(origin)(...args),
    ...createLocalFilesSlice(...args),
    ...createImportSlice(origin)(...args),
  }));
}

export type CrossviewStore = ReturnType<typeof createCrossviewStore>;
