/**
 * Turns a series' WADO-RS metadata into Cornerstone image IDs in stack order. Each image keeps
 * its instance's DICOM JSON: the stack view registers it with the WADO-RS loader before any
 * frame is asked for, so geometry and rescale come from the study as the site stores it.
 */
import { LocalSiteId } from '../contracts/index';
import { naturalize, numberOf, textOf, type DicomJsonDataset } from '../sites/index';
import { localImageId } from './localImageIds';
import { orderForStack } from './stackOrder';

export interface SeriesRef {
  siteId: string;
  /** Absolute DICOMweb root through the gateway. */
  dicomwebRoot: string;
  StudyInstanceUID: string;
  SeriesInstanceUID: string;
}

export interface StackImage {
  imageId: string;
  /** Distance along the slice normal, mm (shown in the corner text). */
  position?: number;
  SOPInstanceUID: string;
  metadata: DicomJsonDataset;
}

/**
 * The instance's metadata as the WADO-RS loader may read it. Modality (0008,0060) is Type 1, yet
 * secondary captures from some vendors lack it, and Cornerstone's loader (5.14) then throws while
 * working out the image plane, leaving the viewport blank. An empty value says "not stated"
 * without inventing one.
 */
export function loaderMetadata(dataset: DicomJsonDataset): DicomJsonDataset {
  if (dataset['00080060']?.Value?.length) return dataset;
  return { ...dataset, '00080060': { vr: 'CS', Value: [''] } };
}

export function stackImagesFor(series: SeriesRef, instances: readonly DicomJsonDataset[]): StackImage[] {
  const records = instances.map((dataset) => ({ dataset, record: naturalize(dataset) }));
  const ordered = orderForStack(records, (entry) => entry.record);
  const base = `${series.dicomwebRoot}/studies/${series.StudyInstanceUID}/series/${series.SeriesInstanceUID}/instances`;
  const images: StackImage[] = [];
  for (const { item, position } of ordered) {
    const sop = textOf(item.record, 'SOPInstanceUID');
    if (!sop) continue;
    const frames = numberOf(item.record, 'NumberOfFrames') ?? 1;
    for (let frame = 1; frame <= frames; frame++) {
      // Local files (a CD opened here) have no DICOMweb root: their own loader reads them.
      const imageId = series.siteId === LocalSiteId ? localImageId(series.StudyInstanceUID, series.SeriesInstanceUID, sop, frame) : `wadors:${base}/${sop}/frames/${frame}`;
      images.push({ imageId, SOPInstanceUID: sop, metadata: loaderMetadata(item.dataset), ...(position !== undefined ? { position } : {}) });
    }
  }
  return images;
}

