/**
 * Which series a viewport should show when nothing more specific is asked for: the single-series
 * fallback every hanging protocol ends in. Pure functions over series summaries.
 */

/** Modalities whose series are documents or overlays, not pixels a stack can show. */
const NON_IMAGE_MODALITIES = new Set(['SR', 'RTSTRUCT', 'RTPLAN', 'RTDOSE', 'RTRECORD', 'DOC', 'KO', 'PR', 'SEG', 'REG', 'OT-DOC']);

export interface SeriesCandidate {
  SeriesInstanceUID: string;
  Modality: string;
  SeriesNumber?: number;
  NumberOfSeriesRelatedInstances?: number;
}

export function isImageSeries(series: Pick<SeriesCandidate, 'Modality'>): boolean {
  return series.Modality !== '' && !NON_IMAGE_MODALITIES.has(series.Modality);
}

/** The image series with the most instances (the diagnostic volume rather than a scout), ties by SeriesNumber. */
export function defaultSeries<T extends SeriesCandidate>(series: readonly T[]): T | undefined {
  return [...series]
    .filter(isImageSeries)
    .sort((a, b) => (b.NumberOfSeriesRelatedInstances ?? 0) - (a.NumberOfSeriesRelatedInstances ?? 0) || (a.SeriesNumber ?? 0) - (b.SeriesNumber ?? 0))[0];
}
