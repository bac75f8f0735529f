/**
 * Demo patient generator: synthetic studies with correct geometry and HU, used by `npm start`,
 * the test hospitals and tests. Never used by production paths at run time.
 */
export type {
  CtGeometry,
  CtPhantomTruth,
  DemoManifest,
  DemoPerson,
  DemoSeries,
  DemoSite,
  DemoSiteKey,
  DemoStudy,
  DemoCdTruth,
  Vec3,
} from './manifest';
export { generateDemo, GeneratorVersion, DefaultSeed, type GenerateDemoOptions } from './generate';
export { ensureDemoData } from './ensure';
export { transcodeFolder, type TranscodeResult } from './transcode';
export { TransferSyntaxes, TransferSyntaxNames, isTransferSyntaxName, type TransferSyntaxName } from './transferSyntaxes';
export { locateInCt } from './locate';
export { LossyTransferSyntaxes, type LossyTransferSyntaxName } from './transferSyntaxes';
export { pixelFormatCases, PixelFormatSize, MultiFrameCount, type PixelFormatCase, type PixelFormatKey, type QuadrantTruth } from './pixelFormats';
// Pieces the benchmark dataset (bench/benchData.ts) builds its own CTs from.
export { writeCtSeries, type CtScan, type CtSeriesResult } from './ctSeries';
export { CurrentCt, ctLayers, ctScanFor, type CtScanDefinition } from './ctScans';
export type { SeriesContext, StudyContext } from './studyContext';
export { createUidFactory } from './uids';
