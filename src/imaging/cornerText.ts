/**
 * What the four corners of a viewport say. Site and local ID are always shown next to the
 * patient's name: an image without its hospital is an image a clinician cannot trust.
 */
import { formatPersonName } from '../patients/index';
import { textOf, type DicomRecord } from '../sites/index';

export interface CornerTextInput {
  PatientName: string;
  PatientID: string;
  siteName: string;
  StudyDate: string;
  StudyDescription: string;
  SeriesDescription: string;
  Modality: string;
  index: number;
  total: number;
  position?: number;
  window?: { windowWidth: number; windowCenter: number };
}

export interface CornerText {
  topLeft: string[];
  topRight: string[];
  bottomLeft: string[];
  bottomRight: string[];
}

export function cornerTextFor(input: CornerTextInput, formatDate: (dicomDate: string) => string): CornerText {
  const slice = input.total > 0 ? `Im ${input.index + 1}/${input.total}` : 'Im –';
  return {
    topLeft: [formatPersonName(input.PatientName), `${input.PatientID} · ${input.siteName}`],
    topRight: [formatDate(input.StudyDate), input.StudyDescription, `${input.Modality} ${input.SeriesDescription}`.trim()],
    bottomLeft: [slice, ...(input.position !== undefined ? [`Pos ${input.position.toFixed(1)} mm`] : [])],
    bottomRight: input.window ? [`W ${input.window.windowWidth} L ${input.window.windowCenter}`] : [],
  };
}

/** The header facts of a series, read once from its first instance's metadata. */
export function seriesFacts(first: DicomRecord | undefined): Pick<CornerTextInput, 'PatientName' | 'PatientID' | 'StudyDate' | 'StudyDescription' | 'SeriesDescription' | 'Modality'> {
  const text = (keyword: string) => (first ? textOf(first, keyword) ?? '' : '');
  return {
    PatientName: text('PatientName'),
    PatientID: text('PatientID'),
    StudyDate: text('StudyDate'),
    StudyDescription: text('StudyDescription'),
    SeriesDescription: text('SeriesDescription'),
    Modality: text('Modality'),
  };
}
