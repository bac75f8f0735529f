/** UI state: slices composing sites, patients and the viewer. No React, no Cornerstone. */
export { createCrossviewStore, type CrossviewStore, type CrossviewState } from './store';
export type { SitesState } from './sitesSlice';
export type { SessionState } from './sessionSlice';
export type { PatientState, SiteSearchState } from './patientSlice';
export type { ViewerState, ViewportState, ViewportDisplay, OpenStudy, SeriesSummary, LayoutMode, CellContent } from './viewerSlice';
export { MaxSlabThicknessMm, activeViewport, viewportIdAt } from './viewerSlice';
export { SeriesFactFields, cellsOfStage, type HangingState, type HangingScreen } from './hangingSlice';
export { patientSearchGaps, type ReportsState, type ReportLookup, type PdfLoad } from './reportsSlice';
export type { MeasurementArchive, MeasurementsState, SavedMeasurements, MeasurementsMessage } from './measurementsSlice';
export { localStudies, type LocalFilesState, type LocalFilesLoad } from './localFilesSlice';
export { SendPollMs, type TransferState, type SendState, type SendPlanState, type SendProgress } from './transferSlice';
export type { ImportStep, ImportDialogState, ImportState } from './importSlice';
