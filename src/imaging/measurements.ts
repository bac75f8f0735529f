/**
 * Measurements ↔ DICOM SR (TID 1500 Measurement Report) through @cornerstonejs/adapters. Pure over
 * annotations and a metadata provider: no DOM, no network, so both directions are unit-tested.
 *
 * Invariants: the report copies patient and study identity from the measured images' own
 * instance metadata (never from what the UI shows), lands in a new series of the same study, and
 * only Cornerstone measurement tools we show are read back (a foreign SR gives no annotations).
 */
import { adaptersSR } from '@cornerstonejs/adapters';
import type { Types as ToolTypes } from '@cornerstonejs/tools';
import dcmjs from 'dcmjs';

const { MeasurementReport } = adaptersSR.Cornerstone3D;

/** What the adapters ask of a metadata provider (Cornerstone's `metaData` has this shape). */
export interface MetadataProvider {
  get(type: string, imageId: string, ...rest: unknown[]): unknown;
}

export type NaturalDataset = Record<string, unknown>;

export const ComprehensiveSRStorage = '1.2.840.10008.5.1.4.1.1.88.33';
export const Comprehensive3DSRStorage = '1.2.840.10008.5.1.4.1.1.88.34';
export const EnhancedSRStorage = '1.2.840.10008.5.1.4.1.1.88.22';

export interface ReportOptions {
  SeriesDescription?: string;
  SeriesNumber?: number;
  InstanceNumber?: number;
}

export type BuildResult =
  | { kind: 'ok'; dataset: NaturalDataset; count: number }
  | { kind: 'nothing-to-save' }
  | { kind: 'error'; message: string };

/**
 * Builds a TID 1500 SR dataset from measurement annotations (Length, Angle, ROIs, Probe) on
 * stack images. Annotations with no referenced image are left out.
 * @example const built = buildMeasurementReport(tools.measurements(), metaData);
 */
export function buildMeasurementReport(annotations: readonly ToolTypes.Annotation[], metadata: MetadataProvider, options: ReportOptions = {}): BuildResult {
  const toolState: Record<string, Record<string, { data: ToolTypes.Annotation[] }>> = {};
  let count = 0;
  for (const item of annotations) {
    const imageId = item.metadata?.referencedImageId;
    const toolName = item.metadata?.toolName;
    if (!imageId || !toolName || !MeasurementReport.measurementAdapterByToolType.has(toolName)) continue;
    const byTool = (toolState[imageId] ??= {});
    (byTool[toolName] ??= { data: [] }).data.push(item);
    count += 1;
  }
  if (count === 0) return { kind: 'nothing-to-save' };
  try {
    const report = MeasurementReport.generateReport(toolState, metadata, {
      SeriesDescription: options.SeriesDescription ?? 'Crossview measurements',
      SeriesNumber: String(options.SeriesNumber ?? 9901),
      InstanceNumber: options.InstanceNumber ?? 1,
      Manufacturer: 'Crossview',
    }) as { dataset: NaturalDataset };
    return { kind: 'ok', dataset: report.dataset, count };
  } catch (error) {
    return { kind: 'error', message: `The measurements could not be written as DICOM SR: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A DICOM Part 10 file (explicit VR little endian) of a natural dataset, without Node's Buffer. */
export function toPart10(dataset: NaturalDataset): ArrayBuffer {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const version = new Uint8Array([0, 1]).buffer;
  const meta = DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: version,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '2.25.163102541718301843617469123590874628373',
    ImplementationVersionName: 'CROSSVIEW',
  });
  const dict = new DicomDict(meta);
  const { _meta: _ignored, ...body } = dataset;
  void _ignored;
  dict.dict = DicomMetaDictionary.denaturalizeDataset(body);
  return dict.write();
}

/** Reads a Part 10 file into a natural dataset, or undefined if it is not DICOM. */
export function fromPart10(buffer: ArrayBuffer): NaturalDataset | undefined {
  try {
    const dict = dcmjs.data.DicomMessage.readFile(buffer);
    return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.dict);
  } catch {
    return undefined;
  }
}

/** True for an SR made from TID 1500 (what the adapters can read back). */
export function isMeasurementReport(dataset: NaturalDataset): boolean {
  const template = firstItem(dataset.ContentTemplateSequence);
  return template?.TemplateIdentifier === '1500';
}

function firstItem(value: unknown): Record<string, unknown> | undefined {
  const item = Array.isArray(value) ? value[0] : value;
  return item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
}

/**
 * The adapters find a measured image by `<SOPInstanceUID>:<frame number>`; a WADO-RS image ID
 * names its frame (`…/frames/N`), single-frame images are frame 1.
 */
export function imageIdsByReference(images: readonly { imageId: string; SOPInstanceUID: string }[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { imageId, SOPInstanceUID } of images) {
    const frame = /\/frames\/(\d+)$/.exec(imageId)?.[1] ?? '1';
    map[`${SOPInstanceUID}:${frame}`] = imageId;
  }
  return map;
}

/**
 * Annotations read back from a TID 1500 SR, for the images this viewport shows. Measurements on
 * images that are not in `imageIds` (from `imageIdsByReference`) are skipped (another series).
 */
export function readMeasurementReport(
  dataset: NaturalDataset,
  imageIds: Readonly<Record<string, string>>,
  metadata: MetadataProvider,
): ToolTypes.Annotation[] {
  if (!isMeasurementReport(dataset)) return [];
  let state: Record<string, { annotation: ToolTypes.Annotation; sopInstanceUid?: string }[]>;
  try {
    state = MeasurementReport.generateToolState(dataset, imageIds, metadata, {}) as typeof state;
  } catch {
    return [];
  }
  const annotations: ToolTypes.Annotation[] = [];
  for (const [toolName, items] of Object.entries(state)) {
    for (const item of items) {
      const found = item.annotation;
      const imageId = found?.metadata?.referencedImageId;
      if (!imageId || !Object.values(imageIds).includes(imageId)) continue;
      annotations.push({
        ...found,
        annotationUID: found.annotationUID ?? dcmjs.data.DicomMetaDictionary.uid(),
        highlighted: false,
        isLocked: false,
        invalidated: true,
        metadata: { ...found.metadata, toolName },
      });
    }
  }
  return annotations;
}
