/**
 * Measurements travel to and from the hospitals: saving STOWs the viewport's measurements as one
 * TID 1500 SR to the study's own site; opening a study reads back every Cornerstone measurement SR
 * any site holds for it and puts the measurements on the images they were made on.
 *
 * Outcomes are values (`saved | nothing-to-save | error`); a site that cannot be asked while
 * loading is skipped (its SRs simply do not appear), never fatal to the viewer.
 */
import { metaData } from '@cornerstonejs/core';
import { naturalize, searchForInstances, searchForSeries, textOf, type Site } from '../sites/index';
import { buildMeasurementReport, fromPart10, imageIdsByReference, readMeasurementReport, toPart10, type NaturalDataset } from './measurements';
import type { StackImage } from './seriesImages';
import type { StackTools } from './tools';

export type SaveOutcome =
  | { kind: 'saved'; count: number; siteName: string; SOPInstanceUID: string }
  | { kind: 'nothing-to-save' }
  | { kind: 'error'; message: string };

const boundaryPrefix = 'crossview-stow-';

/** A multipart/related body with one application/dicom part, as STOW-RS takes it. */
export function stowBody(part10: ArrayBuffer, boundary: string): Blob {
  return new Blob([`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, new Uint8Array(part10), `\r\n--${boundary}--\r\n`]);
}

/** The first part of a multipart/related answer (WADO-RS instance retrieval), or undefined. */
export function firstMultipartPart(body: Uint8Array, contentType: string): Uint8Array | undefined {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return undefined;
  const text = new TextDecoder('latin1').decode(body);
  const start = text.indexOf(`--${boundary}`);
  if (start < 0) return undefined;
  const headersEnd = text.indexOf('\r\n\r\n', start);
  if (headersEnd < 0) return undefined;
  const end = text.indexOf(`\r\n--${boundary}`, headersEnd + 4);
  return body.slice(headersEnd + 4, end < 0 ? body.length : end);
}

/**
 * Saves the measurements on a viewport's images as one SR to the study's own site.
 * @example const outcome = await saveMeasurements(view.tools, site);
 */
export async function saveMeasurements(tools: StackTools, site: Pick<Site, 'name' | 'dicomwebRoot'>): Promise<SaveOutcome> {
  const built = buildMeasurementReport(tools.measurements(), metaData);
  if (built.kind !== 'ok') return built;
  const boundary = `${boundaryPrefix}${Math.random().toString(36).slice(2)}`;
  const SOPInstanceUID = String(built.dataset.SOPInstanceUID);
  try {
    const response = await fetch(`${site.dicomwebRoot}/studies`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' },
      body: stowBody(toPart10(built.dataset), boundary),
    });
    if (!response.ok) return { kind: 'error', message: `${site.name} did not store the measurements (HTTP ${response.status}).` };
    const answer = (await response.json().catch(() => undefined)) as Record<string, { Value?: unknown[] }> | undefined;
    // FailedSOPSequence (0008,1198): the site answered but refused the instance.
    if (answer?.['00081198']?.Value?.length) return { kind: 'error', message: `${site.name} refused the measurements SR.` };
    return { kind: 'saved', count: built.count, siteName: site.name, SOPInstanceUID };
  } catch (error) {
    return { kind: 'error', message: `${site.name} could not be reached to store the measurements: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function retrievePart10(site: Site, StudyInstanceUID: string, SeriesInstanceUID: string, SOPInstanceUID: string): Promise<NaturalDataset | undefined> {
  const url = `${site.dicomwebRoot}/studies/${StudyInstanceUID}/series/${SeriesInstanceUID}/instances/${SOPInstanceUID}`;
  const response = await fetch(url, { headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } });
  if (!response.ok) return undefined;
  const part = firstMultipartPart(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type') ?? '');
  return part ? fromPart10(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer) : undefined;
}

async function reportsAt(site: Site, StudyInstanceUID: string): Promise<NaturalDataset[]> {
  const series = await searchForSeries(site, StudyInstanceUID, { Modality: 'SR' });
  if (series.kind !== 'ok') return [];
  const found: NaturalDataset[] = [];
  // Sites may ignore the Modality key: every record is re-checked.
  for (const record of series.value.map(naturalize).filter((r) => textOf(r, 'Modality') === 'SR')) {
    const SeriesInstanceUID = textOf(record, 'SeriesInstanceUID');
    if (!SeriesInstanceUID) continue;
    const instances = await searchForInstances(site, StudyInstanceUID, { SeriesInstanceUID });
    if (instances.kind !== 'ok') continue;
    for (const instance of instances.value.map(naturalize)) {
      if (textOf(instance, 'SeriesInstanceUID') !== SeriesInstanceUID) continue;
      const SOPInstanceUID = textOf(instance, 'SOPInstanceUID');
      const dataset = SOPInstanceUID ? await retrievePart10(site, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID).catch(() => undefined) : undefined;
      if (dataset) found.push(dataset);
    }
  }
  return found;
}

/**
 * Puts back on a viewport the measurements that SRs at any site hold for its images; returns how
 * many were added. SRs are read once each even when several sites hold copies.
 */
export async function loadMeasurements(tools: StackTools, images: readonly StackImage[], StudyInstanceUID: string, sites: readonly Site[]): Promise<number> {
  const answers = await Promise.allSettled(sites.map((site) => reportsAt(site, StudyInstanceUID)));
  const seen = new Set<string>();
  const references = imageIdsByReference(images);
  let added = 0;
  for (const answer of answers) {
    if (answer.status !== 'fulfilled') continue;
    for (const dataset of answer.value) {
      const uid = String(dataset.SOPInstanceUID);
      if (seen.has(uid) || String(dataset.StudyInstanceUID) !== StudyInstanceUID) continue;
      seen.add(uid);
      const annotations = readMeasurementReport(dataset, references, metaData);
      tools.addMeasurements(annotations);
      added += annotations.length;
    }
  }
  return added;
}
