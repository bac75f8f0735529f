/**
 * RT Structure Set on the current CT: BODY, GTV (the lesion) and LUNG_R as CLOSED_PLANAR
 * polygons on every CT slice they cross, traced from the same ellipsoids that painted the
 * pixels, so overlays line up with the image exactly.
 */
import type { Vec3 } from './manifest';
import { encodePart10, type NaturalDataset } from './dicomFile';
import { crossSection, type Ellipsoid } from './ctPhantom';
import type { CtSeriesResult } from './ctSeries';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';

export const RTStructureSetStorage = '1.2.840.10008.5.1.4.1.1.481.3';
/** Study Component Management SOP class: what RTReferencedStudySequence conventionally cites. */
const StudyComponentManagement = '1.2.840.10008.3.1.2.3.2';

export interface RoiPlan {
  ROIName: 'BODY' | 'GTV' | 'LUNG_R';
  RTROIInterpretedType: 'EXTERNAL' | 'GTV' | 'ORGAN';
  ROIDisplayColor: [number, number, number];
  shape: Ellipsoid;
  points: number;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

function ellipseContour(shape: Ellipsoid, zAnatomy: number, zPatient: number, offset: Vec3, points: number): number[] | undefined {
  const s = crossSection(shape, zAnatomy);
  if (!s || s.rx < 0.5) return undefined;
  const data: number[] = [];
  for (let k = 0; k < points; k++) {
    const t = (2 * Math.PI * k) / points;
    data.push(round2(s.cx + offset[0] + s.rx * Math.cos(t)), round2(s.cy + offset[1] + s.ry * Math.sin(t)), zPatient);
  }
  return data;
}

export function encodeRtStruct(options: {
  study: StudyContext;
  series: SeriesContext & { FrameOfReferenceUID: string };
  SOPInstanceUID: string;
  ct: CtSeriesResult;
  ctSeriesInstanceUID: string;
  tableOffset: Vec3;
  rois: RoiPlan[];
}): Uint8Array {
  const { study, series, ct, rois } = options;
  const FrameOfReferenceUID = series.FrameOfReferenceUID;
  const imageRef = (i: { SOPClassUID: string; SOPInstanceUID: string }): NaturalDataset => ({
    ReferencedSOPClassUID: i.SOPClassUID,
    ReferencedSOPInstanceUID: i.SOPInstanceUID,
  });
  const dataset: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: RTStructureSetStorage,
    SOPInstanceUID: options.SOPInstanceUID,
    InstanceNumber: 1,
    OperatorsName: '',
    StructureSetLabel: 'DEMO_RT',
    StructureSetName: 'Planning structures',
    StructureSetDate: study.StudyDate,
    StructureSetTime: study.StudyTime,
    ReferencedFrameOfReferenceSequence: [
      {
        FrameOfReferenceUID,
        RTReferencedStudySequence: [
          {
            ReferencedSOPClassUID: StudyComponentManagement,
            ReferencedSOPInstanceUID: study.StudyInstanceUID,
            RTReferencedSeriesSequence: [
              { SeriesInstanceUID: options.ctSeriesInstanceUID, ContourImageSequence: ct.instances.map(imageRef) },
            ],
          },
        ],
      },
    ],
    StructureSetROISequence: rois.map((roi, i) => ({
      ROINumber: i + 1,
      ReferencedFrameOfReferenceUID: FrameOfReferenceUID,
      ROIName: roi.ROIName,
      ROIGenerationAlgorithm: 'MANUAL',
    })),
    ROIContourSequence: rois.map((roi, i) => ({
      ReferencedROINumber: i + 1,
      ROIDisplayColor: roi.ROIDisplayColor,
      ContourSequence: ct.instances.flatMap((instance) => {
        const data = ellipseContour(roi.shape, instance.z - options.tableOffset[2], instance.z, options.tableOffset, roi.points);
        if (!data) return [];
        return [
          {
            ContourImageSequence: [imageRef(instance)],
            ContourGeometricType: 'CLOSED_PLANAR',
            NumberOfContourPoints: roi.points,
            ContourData: data,
          },
        ];
      }),
    })),
    RTROIObservationsSequence: rois.map((roi, i) => ({
      ObservationNumber: i + 1,
      ReferencedROINumber: i + 1,
      RTROIInterpretedType: roi.RTROIInterpretedType,
      ROIInterpreter: '',
    })),
  };
  return encodePart10(dataset);
}
