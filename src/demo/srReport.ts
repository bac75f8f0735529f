/**
 * The current CT's report as a Basic Text SR following TID 2000 (Basic Diagnostic Imaging
 * Report): observer context, a Findings container and an Impressions container of TEXT items.
 * COMPLETE and VERIFIED, so the report panel shows it as final.
 */
import { code, encodePart10, type NaturalDataset } from './dicomFile';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';
import type { WrittenInstance } from './ctSeries';

export const BasicTextSRStorage = '1.2.840.10008.5.1.4.1.1.88.11';

export interface SrReportContent {
  observerName: string;
  organisation: string;
  findings: string;
  impression: string;
  /** Instances the report is about (the CT series), for the evidence sequence. */
  evidence: { SeriesInstanceUID: string; instances: WrittenInstance[] };
}

function textItem(relation: string, concept: NaturalDataset, TextValue: string): NaturalDataset {
  return { RelationshipType: relation, ValueType: 'TEXT', ConceptNameCodeSequence: [concept], TextValue };
}

function container(concept: NaturalDataset, children: NaturalDataset[]): NaturalDataset {
  return {
    RelationshipType: 'CONTAINS',
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [concept],
    ContinuityOfContent: 'SEPARATE',
    ContentSequence: children,
  };
}

export function encodeSrReport(study: StudyContext, series: SeriesContext, SOPInstanceUID: string, content: SrReportContent): Uint8Array {
  const dateTime = `${study.StudyDate}${study.StudyTime}`;
  const dataset: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: BasicTextSRStorage,
    SOPInstanceUID,
    InstanceNumber: 1,
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    ReferencedPerformedProcedureStepSequence: [],
    PerformedProcedureCodeSequence: [],
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'VERIFIED',
    VerifyingObserverSequence: [
      {
        VerifyingObserverName: content.observerName,
        VerifyingOrganization: content.organisation,
        VerificationDateTime: dateTime,
        VerifyingObserverIdentificationCodeSequence: [],
      },
    ],
    AuthorObserverSequence: [
      {
        ObserverType: 'PSN',
        PersonName: content.observerName,
        PersonIdentificationCodeSequence: [],
        InstitutionName: content.organisation,
        InstitutionCodeSequence: [],
      },
    ],
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: study.StudyInstanceUID,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: content.evidence.SeriesInstanceUID,
            ReferencedSOPSequence: content.evidence.instances.map((i) => ({
              ReferencedSOPClassUID: i.SOPClassUID,
              ReferencedSOPInstanceUID: i.SOPInstanceUID,
            })),
          },
        ],
      },
    ],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [code('18748-4', 'LN', 'Diagnostic Imaging Report')],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2000' }],
    ContentSequence: [
      {
        RelationshipType: 'HAS OBS CONTEXT',
        ValueType: 'PNAME',
        ConceptNameCodeSequence: [code('121008', 'DCM', 'Person Observer Name')],
        PersonName: content.observerName,
      },
      container(code('121070', 'DCM', 'Findings'), [
        textItem('CONTAINS', code('121071', 'DCM', 'Finding'), content.findings),
      ]),
      container(code('121072', 'DCM', 'Impressions'), [
        textItem('CONTAINS', code('121073', 'DCM', 'Impression'), content.impression),
      ]),
    ],
  };
  return encodePart10(dataset);
}
