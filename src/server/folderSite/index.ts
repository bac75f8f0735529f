/**
 * A folder of DICOM Part-10 files served as a DICOMweb site (embedded demo, CD imports).
 * Index once at start (headers and byte offsets only), answer from memory and disk after.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildCatalogue, type Catalogue } from './catalogue';
import { indexFolder } from './indexFolder';
import { handleFolderRequest, type FolderRequest } from './routes';

export interface FolderSite {
  dir: string;
  studyCount: number;
  instanceCount: number;
  /** Files that could not be used, by name; reported once at start. */
  skipped: { file: string; reason: string }[];
  handle(req: IncomingMessage, res: ServerResponse, request: FolderRequest): Promise<void>;
}

/**
 * @example
 * const site = await createFolderSite('/data/cd-import');
 * await site.handle(req, res, { subPath: 'studies', search: '?PatientID=123', base, siteId, siteName });
 */
export async function createFolderSite(dir: string): Promise<FolderSite> {
  const { instances, skipped } = await indexFolder(dir);
  const catalogue: Catalogue = buildCatalogue(instances);
  return {
    dir,
    studyCount: catalogue.studies.size,
    instanceCount: catalogue.instances.size,
    skipped,
    handle: (req, res, request) => handleFolderRequest(catalogue, req, res, request),
  };
}

export type { FolderRequest } from './routes';
