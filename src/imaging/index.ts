/**
 * Cornerstone3D behind a small surface: start-up, series → ordered image IDs, a stack viewport
 * controller, window presets and corner text. Decides no layouts (that is `hanging/`).
 */
export { initImaging } from './init';
export { mountStackView, type StackView, type StackViewEvents } from './stackView';
export { stackImagesFor, type SeriesRef, type StackImage } from './seriesImages';
export { localImageId, LocalImageScheme } from './localImageIds';
export { orderForStack, type OrderedInstance } from './stackOrder';
export { CtWindowPresets, presetForKey, greyLevelFor, type WindowPreset } from './presets';
export { cornerTextFor, seriesFacts, type CornerText, type CornerTextInput } from './cornerText';
export { publishViewport, type CrossviewObservable } from './observable';
export {
  createStackTools,
  PrimaryTools,
  ViewActions,
  MeasurementToolNames,
  toolForKey,
  viewActionForKey,
  type StackTools,
  type PrimaryToolId,
  type ViewActionId,
  type ToolDescriptor,
  type CineState,
} from './tools';
export { orientationMarkers, markersForImageOrientation, directionLetters, type OrientationMarkers } from './orientation';
export { scaleBarFor, type ScaleBar } from './scaleBar';
export { classifyLoadError, describeLoadError, describeLoadFailure, transferSyntaxName, type ImageLoadFailure } from './loadErrors';
export { installFrameFallback } from './frameFallback';
export {
  buildMeasurementReport,
  readMeasurementReport,
  imageIdsByReference,
  isMeasurementReport,
  toPart10,
  fromPart10,
  type BuildResult,
  type MetadataProvider,
  type ReportOptions,
} from './measurements';
export {
  measurementArchive,
  measurementReportOf,
  storeMeasurementReport,
  findMeasurementReports,
  applyMeasurementReports,
  type SaveOutcome,
  type MeasurementReportFile,
} from './measurementSync';
export { mountVolumeView, volumeIdFor, type VolumeView, type VolumeViewEvents, type VolumePane, type MprOrientation } from './volumeView';
export { planVolume, tooLargeMessage, bytesPerVoxel, DefaultCacheBudgetBytes, MiB, type VolumePlan } from './cacheBudget';
export { applyCacheBudget } from './cacheControl';
export { setByteRangeSites } from './progressiveRetrieval';
export { streamingOrder } from './streamingOrder';
export { type ChangeOrigin, type StackViewChange, type ZoomPan, type DisplayWindow } from './stackView';
export { createViewportSync, type ViewportSync, type ViewportSyncState, type SyncKind, type ScrollLinkState, type SyncMember } from './viewportSync';
export { readStructureSet, structureSetFromDataset, contoursOnPlane, type StructureSet, type Structure, type StructureContour, type StructureSetResult } from './rtStructure';
export { readDoseGrid, doseGridFromDataset, doseAt, type DoseGrid, type DoseGridResult } from './rtDose';
export { DefaultIsodoseLevels, formatIsodoseLevel, parseIsodoseLevels, type IsodoseLevelsResult, isodoseLines, levelInGy, planeRasterThroughDose, sampleDoseOnPlane, type IsodoseLevel, type IsodoseLine, type PlaneRaster } from './isodose';
export { mountRtOverlay, mountRtOverlayOn, rtOverlayGroup, stackSurface, volumeSurface, type RtOverlay, type RtOverlayData, type RtOverlayOptions, type RtOverlayView, type RtOverlaySurface, type RtPlane } from './rtOverlay';
export { outlineOnPlane, polygonChords, type PlaneSegment } from './planeContours';
export { findRtObjects, type RtObjects } from './rtArchive';
