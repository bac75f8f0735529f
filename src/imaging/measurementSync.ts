/**
 * Measurements travel to and from the hospitals: saving STOWs the viewport's measurements as one
 * TID 1500 SR to the study's own site; opening a study reads back every Cornerstone measurement SR
 * any site holds for it and puts the measurements on the images they were made on.
 *
 * The network half (`measurementArchive`: find the SR files, store one) needs no viewport, so the
 * store can start the lookup the moment a study opens, ahead of the image downloads that would
 * otherwise hold the browser's few connections; the viewport half (`measurementReportOf`,
 * `applyMeasurementReports`) turns annotations into a file and files back into annotations.
 *
 * Outcomes are values (`saved | nothing-to-save | error`); a site that cannot be asked while
 * loading is skipped (its SRs simply do not appear), never fatal to the viewer.
 */
import { metaData } from '@cornerstonejs/core';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import { csrfHeaders, naturalize, searchForInstances, searchForSeries, textOf, type Site } from '../sites/index';
import { buildMeasurementReport, fromPart10, imageIdsByReference, readMeasurementReport, toPart10 } from './measurements';
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

/** A measurement SR ready to store: its Part 10 bytes and how many measurements it holds. */
export type MeasurementReportFile = { kind: 'ok'; part10: ArrayBuffer; count: number; SOPInstanceUID: string } | { kind: 'nothing-to-save' } | { kind: 'error'; message: string };

/** The viewport's measurements as one TID 1500 SR file (nothing when none are drawn). */
export function measurementReportOf(tools: Pick<StackTools, 'measurements'>): MeasurementReportFile {
  const built = buildMeasurementReport(tools.measurements(), metaData);
  if (built.kind !== 'ok') return built;
  return { kind: 'ok', part10: toPart10(built.dataset), count: built.count, SOPInstanceUID: String(built.dataset.SOPInstanceUID) };
}

/**
 * STOWs one measurement SR file to a site.
 * @example const outcome = await storeMeasurementReport(site, { part10, count: 2, SOPInstanceUID });
 */
export async function storeMeasurementReport(site: Pick<Site, 'name' | 'dicomwebRoot'>, report: { part10: ArrayBuffer; count: number; SOPInstanceUID: string }): Promise<SaveOutcome> {
  const boundary = `${boundaryPrefix}${Math.random().toString(36).slice(2)}`;
  try {
    const response = await fetch(`${site.dicomwebRoot}/studies`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json', ...csrfHeaders() },
      body: stowBody(report.part10, boundary),
    });
    if (!response.ok) return { kind: 'error', message: `${site.name} did not store the measurements (HTTP ${response.status}).` };
    const answer = (await response.json().catch(() => undefined)) as Record<string, { Value?: unknown[] }> | undefined;
    // FailedSOPSequence (0008,1198): the site answered but refused the instance.
    if (answer?.['00081198']?.Value?.length) return { kind: 'error', message: `${site.name} refused the measurements SR.` };
    return { kind: 'saved', count: report.count, siteName: site.name, SOPInstanceUID: report.SOPInstanceUID };
  } catch (error) {
    return { kind: 'error', message: `${site.name} could not be reached to store the measurements: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function retrievePart10(site: Site, StudyInstanceUID: string, SeriesInstanceUID: string, SOPInstanceUID: string): Promise<ArrayBuffer | undefined> {
  const url = `${site.dicomwebRoot}/studies/${StudyInstanceUID}/series/${SeriesInstanceUID}/instances/${SOPInstanceUID}`;
  const response = await fetch(url, { headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' } });
  if (!response.ok) return undefined;
  const part = firstMultipartPart(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type') ?? '');
  return part ? (part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer) : undefined;
}

/** SR instances a site lists for a study (series, then instances), each retrieved once across sites. */
async function reportsAt(site: Site, StudyInstanceUID: string, claimed: Set<string>): Promise<ArrayBuffer[]> {
  const series = await searchForSeries(site, StudyInstanceUID, { Modality: 'SR' });
  if (series.kind !== 'ok') return [];
  // Sites may ignore the Modality key: every record is re-checked.
  const srSeries = series.value.map(naturalize).filter((r) => textOf(r, 'Modality') === 'SR').map((r) => textOf(r, 'SeriesInstanceUID')).filter((uid) => uid !== undefined);
  const perSeries = await Promise.all(
    srSeries.map(async (SeriesInstanceUID) => {
      const instances = await searchForInstances(site, StudyInstanceUID, { SeriesInstanceUID });
      if (instances.kind !== 'ok') return [];
      const wanted = instances.value
        .map(naturalize)
        .filter((instance) => textOf(instance, 'SeriesInstanceUID') === SeriesInstanceUID)
        .map((instance) => textOf(instance, 'SOPInstanceUID'))
        .filter((uid): uid is string => uid !== undefined && !claimed.has(uid));
      for (const uid of wanted) claimed.add(uid);
      const files = await Promise.all(wanted.map((uid) => retrievePart10(site, StudyInstanceUID, SeriesInstanceUID, uid).catch(() => undefined)));
      return files.filter((file) => file !== undefined);
    }),
  );
  return perSeries.flat();
}

/**
 * Every SR file the given sites hold for a study (copies held at two sites are fetched once).
 * The caller keeps those that are measurement reports (`applyMeasurementReports` does).
 */
export async function findMeasurementReports(StudyInstanceUID: string, sites: readonly Site[]): Promise<ArrayBuffer[]> {
  const claimed = new Set<string>();
  const answers = await Promise.allSettled(sites.map((site) => reportsAt(site, StudyInstanceUID, claimed)));
  return answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []));
}

/** The network half, handed to the store at start-up (main.tsx). */
export const measurementArchive = { find: findMeasurementReports, store: storeMeasurementReport };

/** Same tool, same image, same handles (to 0.01 mm, past float32 round trips): the same measurement. */
function measurementKey(item: ToolTypes.Annotation): string {
  const points = (item.data?.handles?.points ?? []) as readonly (readonly number[])[];
  return JSON.stringify([item.metadata?.toolName, item.metadata?.referencedImageId, points.map((p) => p.map((v) => Math.round(v * 100)))]);
}

/**
 * Puts on a viewport the measurements that SR files hold for its images; returns how many were
 * added. Files of other studies, unreadable files and SRs that are not measurement reports add
 * nothing, nor do measurements already there (annotations outlive a viewport, so a study opened
 * again, or a stack shown again after MPR, would otherwise get every saved measurement twice).
 */
export function applyMeasurementReports(tools: Pick<StackTools, 'addMeasurements' | 'measurements'>, images: readonly StackImage[], StudyInstanceUID: string, files: readonly ArrayBuffer[]): number {
  const references = imageIdsByReference(images);
  const seen = new Set<string>();
  const present = new Set(tools.measurements().map(measurementKey));
  let added = 0;
  for (const file of files) {
    const dataset = fromPart10(file);
    if (!dataset) continue;
    const uid = String(dataset.SOPInstanceUID);
    if (seen.has(uid) || String(dataset.StudyInstanceUID) !== StudyInstanceUID) continue;
    seen.add(uid);
    const annotations = readMeasurementReport(dataset, references, metaData).filter((item) => !present.has(measurementKey(item)));
    for (const item of annotations) present.add(measurementKey(item));
    tools.addMeasurements(annotations);
    added += annotations.length;
  }
  return added;
}
