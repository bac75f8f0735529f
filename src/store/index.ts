/** UI state: slices composing sites, patients and the viewer. No React, no Cornerstone. */
export { createCrossviewStore, type CrossviewStore, type CrossviewState } from './store';
export type { SitesState } from './sitesSlice';
export type { PatientState, SiteSearchState } from './patientSlice';
export type { ViewerState, ViewportState, OpenStudy, SeriesSummary, LayoutMode } from './viewerSlice';
export { MaxSlabThicknessMm } from './viewerSlice';
export { patientSearchGaps, type ReportsState, type ReportLookup, type PdfLoad } from './reportsSlice';
export type { MeasurementArchive, MeasurementsState, SavedMeasurements, MeasurementsMessage } from './measurementsSlice';
