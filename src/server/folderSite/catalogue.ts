/**
 * The folder's studies → series → instances tree, and the per-level datasets QIDO matches
 * against: a level's attributes come from its first instance, plus the computed counts and
 * ModalitiesInStudy, plus RetrieveURL pointing through the gateway.
 */
import { firstNumber, firstString, Tags, type DicomJsonDataset } from './dicomJson';
import type { InstanceRecord } from './indexFolder';

export interface SeriesNode {
  uid: string;
  studyUid: string;
  instances: InstanceRecord[];
}

export interface StudyNode {
  uid: string;
  series: Map<string, SeriesNode>;
  instances: InstanceRecord[];
}

export interface Catalogue {
  studies: Map<string, StudyNode>;
  instances: Map<string, InstanceRecord>;
}

function byNumber(tag: string) {
  return (a: InstanceRecord, b: InstanceRecord) =>
    (firstNumber(a.dataset, tag) ?? 0) - (firstNumber(b.dataset, tag) ?? 0) || a.SOPInstanceUID.localeCompare(b.SOPInstanceUID);
}

/** Builds the tree; a SOP Instance UID seen twice keeps its first file. */
export function buildCatalogue(records: readonly InstanceRecord[]): Catalogue {
  const studies = new Map<string, StudyNode>();
  const instances = new Map<string, InstanceRecord>();
  for (const record of records) {
    if (instances.has(record.SOPInstanceUID)) continue;
    instances.set(record.SOPInstanceUID, record);
    let study = studies.get(record.StudyInstanceUID);
    if (!study) {
      study = { uid: record.StudyInstanceUID, series: new Map(), instances: [] };
      studies.set(study.uid, study);
    }
    let series = study.series.get(record.SeriesInstanceUID);
    if (!series) {
      series = { uid: record.SeriesInstanceUID, studyUid: study.uid, instances: [] };
      study.series.set(series.uid, series);
    }
    study.instances.push(record);
    series.instances.push(record);
  }
  for (const study of studies.values()) {
    for (const series of study.series.values()) series.instances.sort(byNumber(Tags.InstanceNumber));
    study.instances.sort(byNumber(Tags.InstanceNumber));
  }
  return { studies, instances };
}

export function studyUrl(base: string, studyUid: string): string {
  return `${base}/studies/${studyUid}`;
}
export function seriesUrl(base: string, series: { studyUid: string; uid: string }): string {
  return `${studyUrl(base, series.studyUid)}/series/${series.uid}`;
}
export function instanceUrl(base: string, record: InstanceRecord): string {
  return `${base}/studies/${record.StudyInstanceUID}/series/${record.SeriesInstanceUID}/instances/${record.SOPInstanceUID}`;
}

export function studyDataset(study: StudyNode, base: string): DicomJsonDataset {
  const first = study.instances[0]?.dataset ?? {};
  const modalities = [...new Set([...study.series.values()].map((s) => firstString(s.instances[0]?.dataset ?? {}, Tags.Modality)).filter(Boolean))].sort();
  return {
    ...first,
    [Tags.ModalitiesInStudy]: { vr: 'CS', Value: modalities },
    [Tags.NumberOfStudyRelatedSeries]: { vr: 'IS', Value: [study.series.size] },
    [Tags.NumberOfStudyRelatedInstances]: { vr: 'IS', Value: [study.instances.length] },
    [Tags.RetrieveURL]: { vr: 'UR', Value: [studyUrl(base, study.uid)] },
  };
}

export function seriesDataset(study: StudyNode, series: SeriesNode, base: string): DicomJsonDataset {
  return {
    ...studyDataset(study, base),
    ...(series.instances[0]?.dataset ?? {}),
    [Tags.NumberOfSeriesRelatedInstances]: { vr: 'IS', Value: [series.instances.length] },
    [Tags.RetrieveURL]: { vr: 'UR', Value: [seriesUrl(base, series)] },
  };
}

export function instanceDataset(study: StudyNode, series: SeriesNode, record: InstanceRecord, base: string): DicomJsonDataset {
  return {
    ...seriesDataset(study, series, base),
    ...record.dataset,
    [Tags.RetrieveURL]: { vr: 'UR', Value: [instanceUrl(base, record)] },
  };
}

/** WADO-RS metadata of one instance: its own attributes, bulk values as URIs through the gateway. */
export function instanceMetadata(record: InstanceRecord, base: string): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(record.dataset)) {
    out[tag] = record.bulk.has(tag) ? { vr: element.vr, BulkDataURI: `${instanceUrl(base, record)}/bulk/${tag}` } : element;
  }
  return out;
}

/** Newest study first, then by UID, so paging is stable. */
export function sortStudies(studies: StudyNode[]): StudyNode[] {
  const key = (s: StudyNode) => `${firstString(s.instances[0]?.dataset ?? {}, Tags.StudyDate) ?? ''}${firstString(s.instances[0]?.dataset ?? {}, Tags.StudyTime) ?? ''}`;
  return studies.sort((a, b) => key(b).localeCompare(key(a)) || a.uid.localeCompare(b.uid));
}

export function sortSeries(series: SeriesNode[]): SeriesNode[] {
  const n = (s: SeriesNode) => firstNumber(s.instances[0]?.dataset ?? {}, Tags.SeriesNumber) ?? 0;
  return series.sort((a, b) => n(a) - n(b) || a.uid.localeCompare(b.uid));
}
