/**
 * The two chest CTs of the demo and the truth tests read back: where the lesion is, and
 * landmark points (all on pixel centres of the lesion's slice) whose HU is known.
 */
import type { CtGeometry, CtPhantomTruth, Vec3 } from './manifest';
import { CalibrationSphere, chestPhantom, huAt, LesionCentre, type Ellipsoid } from './ctPhantom';
import type { CtScan } from './ctSeries';

export interface CtScanDefinition {
  studyKey: 'ct-current' | 'ct-prior';
  sliceCount: number;
  sliceThickness: number;
  /** Slice index (0-based) through the lesion centre at the full slice count. */
  lesionSliceIndex: number;
  tableOffset: Vec3;
  lesionDiameterMm: number;
}

export const CurrentCt: CtScanDefinition = {
  studyKey: 'ct-current',
  sliceCount: 220,
  sliceThickness: 1.5,
  lesionSliceIndex: 94,
  tableOffset: [0, 0, 0],
  lesionDiameterMm: 20,
};

/** Six months earlier on another scanner: the table put the patient 20 px higher and far up the bore. */
export const PriorCt: CtScanDefinition = {
  studyKey: 'ct-prior',
  sliceCount: 120,
  sliceThickness: 2.5,
  lesionSliceIndex: 52,
  tableOffset: [0, -15.625, 400],
  lesionDiameterMm: 12,
};

const PixelSpacing = 0.78125;
const GridOrigin = -200;
export const CtNoiseAmplitudeHu = 3;

/**
 * A scan of `sliceCount` slices (fewer than the definition's for quick tests); the lesion slice
 * keeps its relative place, so every reduced scan still crosses the lesion centre.
 */
export function ctScanFor(definition: CtScanDefinition, sliceCount = definition.sliceCount): CtScan {
  const lesionIndex = Math.round((sliceCount * definition.lesionSliceIndex) / definition.sliceCount);
  const step = definition.sliceThickness;
  const firstZ = LesionCentre[2] + definition.tableOffset[2] - lesionIndex * step;
  return {
    rows: 512,
    columns: 512,
    pixelSpacing: PixelSpacing,
    sliceCount,
    sliceThickness: step,
    sliceStep: step,
    firstPosition: [GridOrigin, GridOrigin, firstZ],
    tableOffset: definition.tableOffset,
    noiseAmplitudeHu: CtNoiseAmplitudeHu,
  };
}

/** The chest phantom with this scan's lesion, plus the calibration sphere (generator version 4). */
export function ctLayers(definition: CtScanDefinition): Ellipsoid[] {
  return [...chestPhantom(definition.lesionDiameterMm), CalibrationSphere];
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

export function ctTruth(definition: CtScanDefinition, SeriesInstanceUID: string, geometry: CtGeometry): CtPhantomTruth {
  const layers = ctLayers(definition);
  const z = LesionCentre[2];
  const anatomyLandmarks: { name: CtPhantomTruth['landmarks'][number]['name']; point: Vec3 }[] = [
    { name: 'air', point: [GridOrigin + 12 * PixelSpacing, GridOrigin + 40 * PixelSpacing, z] },
    { name: 'lung', point: [GridOrigin + 358 * PixelSpacing, 0, z] },
    { name: 'soft-tissue', point: [0, GridOrigin + 179 * PixelSpacing, z] },
    { name: 'bone', point: [0, 70.3125, z] },
    { name: 'lesion', point: LesionCentre },
  ];
  const lesion = layers.find((layer) => layer.name === 'lesion');
  return {
    studyKey: definition.studyKey,
    SeriesInstanceUID,
    geometry,
    lesion: { centre: add(LesionCentre, definition.tableOffset), diameterMm: definition.lesionDiameterMm, hu: lesion?.hu ?? NaN },
    landmarks: anatomyLandmarks.map(({ name, point }) => ({ name, point: add(point, definition.tableOffset), hu: huAt(layers, point) })),
    ...calibrationSphereTruth(definition, geometry),
    noiseAmplitudeHu: CtNoiseAmplitudeHu,
    tableOffset: definition.tableOffset,
  };
}

/** The sphere's truth when the written slices reach its centre (reduced test scans may not). */
function calibrationSphereTruth(definition: CtScanDefinition, geometry: CtGeometry): Pick<CtPhantomTruth, 'calibrationSphere'> {
  const centre = add(CalibrationSphere.centre, definition.tableOffset);
  const lastZ = geometry.firstPosition[2] + (geometry.sliceCount - 1) * geometry.sliceStep;
  if (centre[2] < geometry.firstPosition[2] || centre[2] > lastZ) return {};
  return { calibrationSphere: { centre, diameterMm: 2 * CalibrationSphere.semiAxes[0], hu: CalibrationSphere.hu } };
}
