/**
 * Local files (a CD, a folder, a DICOMDIR, a .zip) read in the browser: no upload. Plain
 * TypeScript over dicom-parser, dcmjs and fflate; no React, no Cornerstone. Each instance keeps
 * its bytes and identity, for viewing at once and for storing at a site later.
 */
export { parseLocalFile, MediaStorageDirectoryStorage } from './parseFile';
export { parseLocalFileSet, groupInstances, type ParseOptions, type ParseProgress } from './fileSet';
export { unpackZip, isZip, DefaultZipLimits, type ZipLimits } from './zip';
export { KnownTransferSyntaxes, transferSyntaxProblem } from './transferSyntaxes';
export type {
  LocalFileInput,
  LocalIdentity,
  LocalInstance,
  LocalSeries,
  LocalStudy,
  LocalDirectory,
  LocalFileSet,
  ParsedLocalFile,
  PixelLocation,
  RejectedFile,
} from './types';
export { droppedItems, readDroppedItems, readFileList, type DroppedItems } from './browserFiles';
