/**
 * A whole drop (folder, files, archives) → studies, series and rejected files. DICOMDIRs are
 * read for what they name: a named file that is missing is listed; a DICOMDIR is never an image.
 * Works the same with no DICOMDIR (a plain folder). Parsing yields to the page between files so
 * a progress bar can move.
 */
import { parseLocalFile } from './parseFile';
import type { LocalDirectory, LocalFileInput, LocalFileSet, LocalInstance, LocalSeries, LocalStudy, RejectedFile } from './types';
import { DefaultZipLimits, isZip, unpackZip, type ZipLimits } from './zip';

export interface ParseProgress {
  done: number;
  total: number;
}

export interface ParseOptions {
  onProgress?: (progress: ParseProgress) => void;
  zipLimits?: ZipLimits;
  /** Files parsed between two yields to the page. */
  batchSize?: number;
}

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function folderOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut + 1);
}

/** CD file names are upper case ISO 9660; a copied folder may be any case. */
function pathKey(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '').toUpperCase();
}

/**
 * @example
 * const set = await parseLocalFileSet(files, { onProgress: ({ done, total }) => bar(done / total) });
 * set.studies[0].series[0].instances[0].identity.SOPInstanceUID;
 * set.rejected; // [{ path: 'CD/DICOM/IM000009', reason: 'not DICOM: no DICM preamble' }]
 */
export async function parseLocalFileSet(inputs: readonly LocalFileInput[], options: ParseOptions = {}): Promise<LocalFileSet> {
  const rejected: RejectedFile[] = [];
  const files: LocalFileInput[] = [];
  for (const input of inputs) {
    if (!isZip(input)) {
      files.push(input);
      continue;
    }
    const unpacked = unpackZip(input, options.zipLimits ?? DefaultZipLimits);
    if ('rejected' in unpacked) rejected.push(unpacked.rejected);
    else files.push(...unpacked.files);
  }

  const instances: LocalInstance[] = [];
  const dicomdirs: { path: string; referencedFileIds: string[][] }[] = [];
  const batch = Math.max(1, options.batchSize ?? 8);
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const parsed = parseLocalFile(file.path, file.bytes);
    if (parsed.kind === 'instance') instances.push(parsed.instance);
    else if (parsed.kind === 'dicomdir') dicomdirs.push(parsed);
    else rejected.push({ path: parsed.path, reason: parsed.reason });
    if ((i + 1) % batch === 0 || i === files.length - 1) {
      options.onProgress?.({ done: i + 1, total: files.length });
      if (i < files.length - 1) await yieldToPage();
    }
  }

  const present = new Map(files.map((file) => [pathKey(file.path), file.path]));
  const directories: LocalDirectory[] = dicomdirs.map((dir) => {
    const referenced: string[] = [];
    const missing: string[] = [];
    for (const parts of dir.referencedFileIds) {
      const found = present.get(pathKey(folderOf(dir.path) + parts.join('/')));
      if (found) referenced.push(found);
      else missing.push(parts.join('\\'));
    }
    return { path: dir.path, referenced, missing };
  });

  return { studies: groupInstances(instances, rejected), rejected, directories, fileCount: files.length };
}

/** Studies by date (newest first), series by number, instances by number; a repeated SOP instance is rejected. */
export function groupInstances(instances: readonly LocalInstance[], rejected: RejectedFile[]): LocalStudy[] {
  const seen = new Map<string, string>();
  const studies = new Map<string, LocalStudy>();
  for (const instance of instances) {
    const { identity } = instance;
    const first = seen.get(identity.SOPInstanceUID);
    if (first !== undefined) {
      rejected.push({ path: instance.path, reason: `duplicate: the same SOPInstanceUID as ${first}` });
      continue;
    }
    seen.set(identity.SOPInstanceUID, instance.path);
    let study = studies.get(identity.StudyInstanceUID);
    if (!study) {
      study = { StudyInstanceUID: identity.StudyInstanceUID, identity, series: [] };
      studies.set(identity.StudyInstanceUID, study);
    }
    let series: LocalSeries | undefined = study.series.find((s) => s.SeriesInstanceUID === identity.SeriesInstanceUID);
    if (!series) {
      series = {
        SeriesInstanceUID: identity.SeriesInstanceUID,
        Modality: identity.Modality,
        SeriesDescription: identity.SeriesDescription,
        ...(identity.SeriesNumber !== undefined ? { SeriesNumber: identity.SeriesNumber } : {}),
        instances: [],
      };
      study.series.push(series);
    }
    series.instances.push(instance);
  }
  const list = [...studies.values()];
  for (const study of list) {
    study.series.sort((a, b) => (a.SeriesNumber ?? 0) - (b.SeriesNumber ?? 0));
    for (const series of study.series) series.instances.sort((a, b) => (a.identity.InstanceNumber ?? 0) - (b.identity.InstanceNumber ?? 0));
  }
  return list.sort((a, b) => b.identity.StudyDate.localeCompare(a.identity.StudyDate));
}
