/**
 * The merged list of a person's studies across sites, newest first. A study is one
 * StudyInstanceUID: held at two sites it appears once, with both locations kept for provenance.
 */
import type { LinkBasis } from '../contracts/index';
import { numberOf, textOf, textsOf, type DicomRecord } from '../sites/index';

export interface StudyLocation {
  siteId: string;
  /** The local identity the site files the study under. */
  PatientID: string;
  IssuerOfPatientID: string;
  linkBasis: LinkBasis;
}

export interface TimelineStudy {
  StudyInstanceUID: string;
  StudyDate: string;
  StudyTime: string;
  StudyDescription: string;
  AccessionNumber: string;
  ModalitiesInStudy: string[];
  NumberOfStudyRelatedSeries?: number;
  NumberOfStudyRelatedInstances?: number;
  PatientName: string;
  PatientBirthDate: string;
  locations: StudyLocation[];
}

export interface SiteStudy {
  siteId: string;
  siteIssuer: string;
  record: DicomRecord;
  linkBasis: LinkBasis;
}

function toTimelineStudy({ siteId, siteIssuer, record, linkBasis }: SiteStudy): TimelineStudy {
  const count = (keyword: string) => numberOf(record, keyword);
  const series = count('NumberOfStudyRelatedSeries');
  const instances = count('NumberOfStudyRelatedInstances');
  return {
    StudyInstanceUID: textOf(record, 'StudyInstanceUID') ?? '',
    StudyDate: textOf(record, 'StudyDate') ?? '',
    StudyTime: textOf(record, 'StudyTime') ?? '',
    StudyDescription: textOf(record, 'StudyDescription') ?? '',
    AccessionNumber: textOf(record, 'AccessionNumber') ?? '',
    ModalitiesInStudy: textsOf(record, 'ModalitiesInStudy'),
    ...(series !== undefined ? { NumberOfStudyRelatedSeries: series } : {}),
    ...(instances !== undefined ? { NumberOfStudyRelatedInstances: instances } : {}),
    PatientName: textOf(record, 'PatientName') ?? '',
    PatientBirthDate: textOf(record, 'PatientBirthDate') ?? '',
    locations: [{ siteId, PatientID: textOf(record, 'PatientID') ?? '', IssuerOfPatientID: textOf(record, 'IssuerOfPatientID') ?? siteIssuer, linkBasis }],
  };
}

/** Newest first; studies without a date sink to the end rather than being hidden. */
export function buildTimeline(studies: readonly SiteStudy[]): TimelineStudy[] {
  const byUid = new Map<string, TimelineStudy>();
  for (const entry of studies) {
    const study = toTimelineStudy(entry);
    if (!study.StudyInstanceUID) continue;
    const existing = byUid.get(study.StudyInstanceUID);
    if (!existing) {
      byUid.set(study.StudyInstanceUID, study);
    } else if (!existing.locations.some((l) => l.siteId === entry.siteId)) {
      existing.locations.push(...study.locations);
    }
  }
  const key = (s: TimelineStudy) => `${s.StudyDate || '00000000'}${s.StudyTime.padEnd(6, '0')}`;
  return [...byUid.values()].sort((a, b) => key(b).localeCompare(key(a)));
}

/** `20260314` → `14 Mar 2026`, the unambiguous form UK clinicians read. */
export function formatDicomDate(date: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!match) return date || 'date unknown';
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(match[3])} ${months[Number(match[2]) - 1] ?? '?'} ${match[1]}`;
}
