/**
 * Finding a study's RT objects at the hospitals: every RTSTRUCT and RTDOSE instance the given
 * sites list for the study, retrieved once (copies at two sites are fetched from the first that
 * answers) and parsed. A site that is down or a file that will not parse is reported, never fatal.
 */
import { naturalize, searchForInstances, searchForSeries, textOf, type Site } from '../sites/index';
import { firstMultipartPart } from './measurementSync';
import { readDoseGrid, type DoseGrid } from './rtDose';
import { readStructureSet, type StructureSet } from './rtStructure';

export interface RtObjects {
  structureSets: StructureSet[];
  doses: DoseGrid[];
  /** One line per object that could not be fetched or read, naming its site. */
  problems: string[];
}

const ExplicitVRLittleEndian = '1.2.840.10008.1.2.1';

/** Part 10 bytes of one instance: explicit little endian where the site will transcode, else as stored. */
async function retrieve(site: Site, path: string): Promise<ArrayBuffer | undefined> {
  for (const syntax of [ExplicitVRLittleEndian, '*']) {
    const response = await fetch(`${site.dicomwebRoot}/${path}`, { headers: { Accept: `multipart/related; type="application/dicom"; transfer-syntax=${syntax}` } });
    if (!response.ok) continue;
    const part = firstMultipartPart(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type') ?? '');
    if (part) return part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer;
  }
  return undefined;
}

async function rtAt(site: Site, StudyInstanceUID: string, claimed: Set<string>, out: RtObjects): Promise<void> {
  const series = await searchForSeries(site, StudyInstanceUID, {});
  if (series.kind !== 'ok') {
    out.problems.push(`${site.name}: RT objects could not be listed.`);
    return;
  }
  const wanted = series.value.map(naturalize).filter((r) => ['RTSTRUCT', 'RTDOSE'].includes(textOf(r, 'Modality') ?? ''));
  for (const record of wanted) {
    const SeriesInstanceUID = textOf(record, 'SeriesInstanceUID');
    if (!SeriesInstanceUID) continue;
    const instances = await searchForInstances(site, StudyInstanceUID, { SeriesInstanceUID });
    if (instances.kind !== 'ok') continue;
    for (const instance of instances.value.map(naturalize)) {
      const SOPInstanceUID = textOf(instance, 'SOPInstanceUID');
      if (!SOPInstanceUID || textOf(instance, 'SeriesInstanceUID') !== SeriesInstanceUID || claimed.has(SOPInstanceUID)) continue;
      claimed.add(SOPInstanceUID);
      const bytes = await retrieve(site, `studies/${StudyInstanceUID}/series/${SeriesInstanceUID}/instances/${SOPInstanceUID}`).catch(() => undefined);
      if (!bytes) {
        out.problems.push(`${site.name}: an ${textOf(record, 'Modality')} object could not be retrieved.`);
        continue;
      }
      if (textOf(record, 'Modality') === 'RTSTRUCT') {
        const result = readStructureSet(bytes);
        if (result.kind === 'ok') out.structureSets.push(result.structureSet);
        else out.problems.push(`${site.name}: ${result.message}`);
      } else {
        const result = readDoseGrid(bytes);
        if (result.kind === 'ok') out.doses.push(result.grid);
        else out.problems.push(`${site.name}: ${result.message}`);
      }
    }
  }
}

/**
 * @example
 * const rt = await findRtObjects(study.StudyInstanceUID, sites);
 * const structureSet = rt.structureSets.find((s) => s.FrameOfReferenceUID === view.frameOfReferenceUID);
 */
export async function findRtObjects(StudyInstanceUID: string, sites: readonly Site[]): Promise<RtObjects> {
  const out: RtObjects = { structureSets: [], doses: [], problems: [] };
  const claimed = new Set<string>();
  await Promise.allSettled(sites.map((site) => rtAt(site, StudyInstanceUID, claimed, out)));
  return out;
}
