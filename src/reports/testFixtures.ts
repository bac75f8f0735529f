/**
 * Report fixtures for unit tests, built as naturalised datasets and sent through DICOM JSON and
 * back (`denaturalize` → `naturalize`) so tests see exactly the shapes metadata from a site has.
 */
import dcmjs from 'dcmjs';
import { naturalize, type DicomJsonDataset, type DicomRecord } from '../sites/index';

type Natural = Record<string, unknown>;

export const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): Natural => ({ CodeValue, CodingSchemeDesignator, CodeMeaning });

export function asDicomJson(dataset: Natural): DicomJsonDataset {
  return dcmjs.data.DicomMetaDictionary.denaturalizeDataset(dataset) as DicomJsonDataset;
}

export function throughDicomJson(dataset: Natural): DicomRecord {
  return naturalize(JSON.parse(JSON.stringify(asDicomJson(dataset))) as DicomJsonDataset);
}

const patient = {
  PatientName: 'FAIRWEATHER^Casey',
  PatientID: 'NC242127',
  IssuerOfPatientID: 'NCC',
  PatientBirthDate: '19661119',
  PatientSex: 'M',
  OtherPatientIDsSequence: [{ PatientID: '9990764875', IssuerOfPatientID: 'NHS', TypeOfPatientID: 'TEXT' }],
};

const text = (RelationshipType: string, concept: Natural, TextValue: string): Natural => ({ RelationshipType, ValueType: 'TEXT', ConceptNameCodeSequence: [concept], TextValue });
const container = (concept: Natural, ContentSequence: Natural[]): Natural => ({
  RelationshipType: 'CONTAINS', ValueType: 'CONTAINER', ConceptNameCodeSequence: [concept], ContinuityOfContent: 'SEPARATE', ContentSequence,
});

/** The demo CT's report: TID 2000 Basic Text SR, complete and verified, as the demo generator writes it. */
export function basicTextSr(overrides: Natural = {}): Natural {
  return {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
    SOPInstanceUID: '2.25.1001',
    StudyInstanceUID: '2.25.1',
    SeriesInstanceUID: '2.25.100',
    Modality: 'SR',
    ...patient,
    ContentDate: '20250603',
    ContentTime: '170224',
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'VERIFIED',
    VerifyingObserverSequence: [
      { VerifyingObserverName: 'WHITFIELD^Hannah^^Dr', VerifyingOrganization: 'Northgate Cancer Centre', VerificationDateTime: '20250603170224' },
    ],
    AuthorObserverSequence: [{ ObserverType: 'PSN', PersonName: 'WHITFIELD^Hannah^^Dr', InstitutionName: 'Northgate Cancer Centre' }],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [code('18748-4', 'LN', 'Diagnostic Imaging Report')],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2000' }],
    ContentSequence: [
      { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'PNAME', ConceptNameCodeSequence: [code('121008', 'DCM', 'Person Observer Name')], PersonName: 'WHITFIELD^Hannah^^Dr' },
      container(code('121070', 'DCM', 'Findings'), [text('CONTAINS', code('121071', 'DCM', 'Finding'), 'Right lower lobe: a round solid nodule measuring 18 mm.')]),
      container(code('121072', 'DCM', 'Impressions'), [text('CONTAINS', code('121073', 'DCM', 'Impression'), 'Enlarging 18 mm right lower lobe nodule. For MDT discussion.')]),
    ],
    ...overrides,
  };
}

const num = (concept: Natural, value: string, unit: Natural, children: Natural[] = []): Natural => ({
  RelationshipType: 'CONTAINS',
  ValueType: 'NUM',
  ConceptNameCodeSequence: [concept],
  MeasuredValueSequence: [{ NumericValue: value, MeasurementUnitsCodeSequence: [unit] }],
  ...(children.length ? { ContentSequence: children } : {}),
});

/** A TID 1500 Measurement Report (Comprehensive SR) with one measurement group of two NUM items. */
export function tid1500MeasurementReport(overrides: Natural = {}): Natural {
  const imageRef = { ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2', ReferencedSOPInstanceUID: '2.25.555', ReferencedFrameNumber: 1 };
  return {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.33',
    SOPInstanceUID: '2.25.2001',
    StudyInstanceUID: '2.25.1',
    SeriesInstanceUID: '2.25.200',
    Modality: 'SR',
    ...patient,
    ContentDate: '20250604',
    ContentTime: '0915',
    CompletionFlag: 'PARTIAL',
    VerificationFlag: 'UNVERIFIED',
    AuthorObserverSequence: [{ ObserverType: 'DEV', Manufacturer: 'Example Imaging AI', ManufacturerModelName: 'Nodule CAD 2.1' }],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [code('126000', 'DCM', 'Imaging Measurement Report')],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: [
      { RelationshipType: 'HAS CONCEPT MOD', ValueType: 'CODE', ConceptNameCodeSequence: [code('121049', 'DCM', 'Language of Content Item and Descendants')], ConceptCodeSequence: [code('eng', 'RFC5646', 'English')] },
      { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'TEXT', ConceptNameCodeSequence: [code('121012', 'DCM', 'Device Observer UID')], TextValue: '2.25.9' },
      container(code('111028', 'DCM', 'Image Library'), [
        container(code('126200', 'DCM', 'Image Library Group'), [
          { RelationshipType: 'CONTAINS', ValueType: 'IMAGE', ReferencedSOPSequence: [imageRef] },
        ]),
      ]),
      container(code('126010', 'DCM', 'Imaging Measurements'), [
        container(code('125007', 'DCM', 'Measurement Group'), [
          text('HAS OBS CONTEXT', code('112039', 'DCM', 'Tracking Identifier'), 'Nodule 1'),
          { RelationshipType: 'HAS OBS CONTEXT', ValueType: 'UIDREF', ConceptNameCodeSequence: [code('112040', 'DCM', 'Tracking Unique Identifier')], UID: '2.25.777' },
          { RelationshipType: 'HAS CONCEPT MOD', ValueType: 'CODE', ConceptNameCodeSequence: [code('363698007', 'SCT', 'Finding Site')], ConceptCodeSequence: [code('41224006', 'SCT', 'Right lower lobe of lung')] },
          num(code('103339001', 'SCT', 'Long Axis'), '18.2', code('mm', 'UCUM', 'millimeter'), [
            { RelationshipType: 'INFERRED FROM', ValueType: 'SCOORD', GraphicType: 'POLYLINE', GraphicData: [10, 10, 30, 30], ContentSequence: [
              { RelationshipType: 'SELECTED FROM', ValueType: 'IMAGE', ReferencedSOPSequence: [imageRef] },
            ] },
          ]),
          num(code('118565006', 'SCT', 'Volume'), '2.9', code('cm3', 'UCUM', 'cubic centimeter')),
          num(code('246262008', 'SCT', 'Score'), '4', code('1', 'UCUM', 'no units')),
        ]),
      ]),
    ],
    ...overrides,
  };
}
