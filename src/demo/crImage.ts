/**
 * A small PA chest radiograph (CR) for an identity trap: painted ellipses, 12 bits stored,
 * MONOCHROME2 (air dark, bone bright). It only has to be a believable, viewable image.
 */
import { encodePart10, type NaturalDataset } from './dicomFile';
import { renderAxialSlice, type Ellipsoid } from './ctPhantom';
import { addBoundedNoise, hash32 } from './prng';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';
import { monochrome12 } from './pixelModule';

export const ComputedRadiographyImageStorage = '1.2.840.10008.5.1.4.1.1.1';
const Size = 512;
const Spacing = 0.8;

/** Drawn as cylinders cut at z = 0, so the axial painter serves as a 2-D ellipse painter. */
const Picture: Ellipsoid[] = [
  { name: 'body', centre: [0, 30, 0], semiAxes: [170, 260, Infinity], hu: 1500 },
  { name: 'lung-right', centre: [-75, -20, 0], semiAxes: [62, 120, Infinity], hu: 650 },
  { name: 'lung-left', centre: [75, -20, 0], semiAxes: [62, 120, Infinity], hu: 650 },
  { name: 'heart', centre: [25, 50, 0], semiAxes: [55, 60, Infinity], hu: 1700 },
  { name: 'spine', centre: [0, 0, 0], semiAxes: [14, 400, Infinity], hu: 2300 },
];

export function encodeCrChest(study: StudyContext, series: SeriesContext, SOPInstanceUID: string, seed: number): Uint8Array {
  const pixels = new Uint16Array(Size * Size);
  const raster = { rows: Size, columns: Size, x0: (-Size / 2) * Spacing, y0: (-Size / 2) * Spacing, rowSpacing: Spacing, columnSpacing: Spacing };
  renderAxialSlice(Picture, raster, 0, pixels, { background: 150, valueOf: (layer) => layer.hu });
  addBoundedNoise(pixels, 20, hash32(`${seed}|cr|${SOPInstanceUID}`), 4095);
  const dataset: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: ComputedRadiographyImageStorage,
    SOPInstanceUID,
    InstanceNumber: 1,
    ImageType: ['ORIGINAL', 'PRIMARY'],
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    ViewPosition: 'PA',
    PatientOrientation: ['L', 'F'],
    ImagerPixelSpacing: [Spacing, Spacing],
    ...monochrome12(Size, Size),
    WindowCenter: 1400,
    WindowWidth: 2600,
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OW' },
  };
  return encodePart10(dataset);
}
