/**
 * What hanging reads about studies and series. Studies are the timeline's own `TimelineStudy`
 * (patients/); series are the summaries the store already fetches, widened with the optional
 * attributes protocols test (body part, laterality, view, orientation). Series are keyed by
 * StudyInstanceUID because a prior's series arrive only after it is chosen.
 */
import type { TimelineStudy } from '../patients/index';
import { bodyRegionsOf, type BodyRegion } from './bodyRegion';
import { isImageSeries, type SeriesCandidate } from './displaySets';

export type HangingStudy = Pick<TimelineStudy, 'StudyInstanceUID' | 'StudyDate' | 'StudyTime' | 'StudyDescription' | 'ModalitiesInStudy' | 'NumberOfStudyRelatedInstances' | 'locations'>;

export interface HangingSeries extends SeriesCandidate {
  SeriesDescription?: string;
  BodyPartExamined?: string;
  ProtocolName?: string;
  /** (0020,0060), series level. */
  Laterality?: string;
  /** (0020,0062), image level (mammography); read from the first instance. */
  ImageLaterality?: string;
  ViewPosition?: string;
  ImageOrientationPatient?: readonly number[];
}

/** Series already known, by StudyInstanceUID (normalised like the store). */
export type SeriesByStudy = Readonly<Record<string, readonly HangingSeries[] | undefined>>;

/** Computed and projection radiography are one modality to a reader comparing chest films. */
const ModalityFamilies: Readonly<Record<string, string>> = { DX: 'CR', DR: 'CR' };

export function modalityFamily(modality: string): string {
  const upper = modality.trim().toUpperCase();
  return ModalityFamilies[upper] ?? upper;
}

/** The study's image modalities (SR, RTSTRUCT, DOC and the like never make two studies comparable). */
export function imageModalitiesOf(study: Pick<HangingStudy, 'ModalitiesInStudy'>): Set<string> {
  return new Set(study.ModalitiesInStudy.filter((Modality) => isImageSeries({ Modality })).map(modalityFamily));
}

export function bodyRegionsOfStudy(study: Pick<HangingStudy, 'StudyInstanceUID' | 'StudyDescription'>, seriesByStudy: SeriesByStudy = {}): Set<BodyRegion> {
  const series = seriesByStudy[study.StudyInstanceUID] ?? [];
  return bodyRegionsOf([study.StudyDescription, ...series.map((s) => s.BodyPartExamined), ...series.map((s) => s.SeriesDescription)]);
}

/** Sortable date-time; an empty StudyTime sorts as midnight. */
export function studyMoment(study: Pick<HangingStudy, 'StudyDate' | 'StudyTime'>): string {
  return `${study.StudyDate}${(study.StudyTime.split('.')[0] ?? '').padEnd(6, '0')}`;
}

/** Whole days from `earlier` to `later` (DICOM DA strings); undefined when either is malformed. */
export function daysBetween(earlier: string, later: string): number | undefined {
  const toUtc = (da: string) => {
    const match = /^(\d{4})(\d{2})(\d{2})$/.exec(da);
    return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
  };
  const a = toUtc(earlier);
  const b = toUtc(later);
  return a === undefined || b === undefined ? undefined : Math.round((b - a) / 86_400_000);
}

const Synonyms: Readonly<Record<string, string>> = { thorax: 'chest', thoracic: 'chest', abdo: 'abdomen', abdominal: 'abdomen', mri: 'mr', brain: 'head', xr: 'cr', dx: 'cr' };
const StopWords = new Set(['with', 'without', 'and', 'of', 'the', 'w', 'wo', 'for']);

function words(description: string): Set<string> {
  return new Set(
    description
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 0 && !StopWords.has(word))
      .map((word) => Synonyms[word] ?? word),
  );
}

/** Jaccard overlap (0–1) of the descriptions' words after synonyms; 0 when either is empty. */
export function descriptionSimilarity(a: string, b: string): number {
  const left = words(a);
  const right = words(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared += 1;
  return shared / (left.size + right.size - shared);
}

/** The plane a series was acquired in, from the normal of its ImageOrientationPatient. */
export function planeOf(orientation: readonly number[] | undefined): 'axial' | 'sagittal' | 'coronal' | 'oblique' | undefined {
  if (!orientation || orientation.length !== 6) return undefined;
  const [rx = 0, ry = 0, rz = 0, cx = 0, cy = 0, cz = 0] = orientation;
  const normal = [Math.abs(ry * cz - rz * cy), Math.abs(rz * cx - rx * cz), Math.abs(rx * cy - ry * cx)];
  const largest = Math.max(...normal);
  // cos 30°: a slab tilted more than that is read as oblique rather than forced into a plane.
  if (largest < 0.866) return 'oblique';
  return largest === normal[2] ? 'axial' : largest === normal[0] ? 'sagittal' : 'coronal';
}
