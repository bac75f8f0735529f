/**
 * QIDO-RS matching (PS3.4 C.2.2.2, PS3.18 8.3.4) over datasets in memory. Pure functions: the
 * route layer builds one dataset per study/series/instance and asks which match and what to
 * return. Semantics follow the standard and, where it leaves room, Orthanc (names match
 * case-insensitively; unknown parameters are an error here, where Orthanc silently ignores them).
 */
import { sequenceItems, stringValues, tagForKey, Tags, vrForTag, type DicomJsonDataset, type DicomJsonElement } from './dicomJson';

export type QueryLevel = 'study' | 'series' | 'instance';

export interface QidoFilter {
  /** Tag path: one tag, or a sequence tag then a tag inside its items. */
  path: string[];
  value: string;
}

export interface QidoQuery {
  filters: QidoFilter[];
  includeFields: string[] | 'all';
  limit: number | undefined;
  offset: number;
}

export type ParsedQuery = { ok: true; query: QidoQuery } | { ok: false; error: string };

const CONTROL_PARAMS = new Set(['limit', 'offset', 'fuzzymatching', 'includefield']);

export function parseQidoQuery(params: URLSearchParams): ParsedQuery {
  const filters: QidoFilter[] = [];
  const include: string[] = [];
  let all = false;
  let limit: number | undefined;
  let offset = 0;
  for (const [key, value] of params) {
    if (key === 'includefield') {
      for (const field of value.split(',').map((f) => f.trim()).filter(Boolean)) {
        if (field === 'all') all = true;
        else {
          const tag = tagForKey(field);
          if (!tag) return { ok: false, error: `includefield: unknown attribute "${field}"` };
          include.push(tag);
        }
      }
    } else if (key === 'limit' || key === 'offset') {
      if (!/^\d+$/.test(value)) return { ok: false, error: `${key}: must be a non-negative integer` };
      if (key === 'limit') limit = Number(value);
      else offset = Number(value);
    } else if (!CONTROL_PARAMS.has(key)) {
      const path = key.split('.').map(tagForKey);
      if (path.some((tag) => tag === undefined)) return { ok: false, error: `unknown query attribute "${key}"` };
      filters.push({ path: path as string[], value });
    }
  }
  return { ok: true, query: { filters, includeFields: all ? 'all' : include, limit, offset } };
}

function wildcardRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
}

const RANGE_VRS = new Set(['DA', 'TM', 'DT']);
const NO_WILDCARD_VRS = new Set(['DA', 'TM', 'DT', 'UI', 'SL', 'SS', 'UL', 'US', 'FL', 'FD', 'IS', 'DS', 'SV', 'UV']);

/** Does one stored value satisfy a query value of this VR? */
export function matchesValue(vr: string, stored: string, query: string): boolean {
  if (RANGE_VRS.has(vr) && query.includes('-')) {
    const [from = '', to = ''] = query.split('-', 2).map((s) => s.trim());
    const comparable = stored.slice(0, Math.max(from.length, to.length) || stored.length);
    return (from === '' || comparable >= from) && (to === '' || comparable <= to);
  }
  if (vr === 'UI') return query.split(/[,\\]/).some((uid) => uid.trim() === stored);
  const caseInsensitive = vr === 'PN';
  if (!NO_WILDCARD_VRS.has(vr) && /[*?]/.test(query)) return wildcardRegExp(query, caseInsensitive).test(stored);
  return caseInsensitive ? stored.toLowerCase() === query.toLowerCase() : stored === query;
}

/** Empty query values and a lone `*` match everything (universal matching). */
export function matchesFilter(dataset: DicomJsonDataset, filter: QidoFilter): boolean {
  const query = filter.value.trim();
  if (query === '' || query === '*') return true;
  const [head, ...rest] = filter.path;
  if (!head) return true;
  if (rest.length > 0) return sequenceItems(dataset[head]).some((item) => matchesFilter(item, { path: rest, value: filter.value }));
  const element = dataset[head];
  const vr = element?.vr ?? vrForTag(head);
  // Multi-valued attributes (OtherPatientIDs, ModalitiesInStudy) match when any value does.
  return stringValues(element).some((stored) => matchesValue(vr, stored, query));
}

export function matchesQuery(dataset: DicomJsonDataset, query: QidoQuery): boolean {
  return query.filters.every((filter) => matchesFilter(dataset, filter));
}

/** PS3.18 Table 10.6.3-3: attributes returned by default at each level. */
export const DefaultAttributes: Record<QueryLevel, readonly string[]> = {
  study: [
    Tags.SpecificCharacterSet, Tags.StudyDate, Tags.StudyTime, Tags.AccessionNumber, Tags.InstanceAvailability,
    Tags.ModalitiesInStudy, Tags.ReferringPhysicianName, Tags.TimezoneOffsetFromUTC, Tags.RetrieveURL,
    Tags.PatientName, Tags.PatientID, Tags.PatientBirthDate, Tags.PatientSex, Tags.StudyInstanceUID, Tags.StudyID,
    Tags.NumberOfStudyRelatedSeries, Tags.NumberOfStudyRelatedInstances,
  ],
  series: [
    Tags.SpecificCharacterSet, Tags.Modality, Tags.TimezoneOffsetFromUTC, Tags.SeriesDescription, Tags.RetrieveURL,
    Tags.SeriesInstanceUID, Tags.SeriesNumber, Tags.NumberOfSeriesRelatedInstances,
    Tags.PerformedProcedureStepStartDate, Tags.PerformedProcedureStepStartTime, Tags.RequestAttributesSequence,
  ],
  instance: [
    Tags.SpecificCharacterSet, Tags.SOPClassUID, Tags.SOPInstanceUID, Tags.InstanceAvailability, Tags.TimezoneOffsetFromUTC,
    Tags.RetrieveURL, Tags.InstanceNumber, Tags.Rows, Tags.Columns, Tags.BitsAllocated, Tags.NumberOfFrames,
  ],
};

/**
 * Attributes for one result: the defaults of `levels`, every matching key and every includefield.
 * Attributes the dataset lacks are left out; `all` returns every non-bulk attribute.
 */
export function selectAttributes(dataset: DicomJsonDataset, levels: readonly QueryLevel[], query: QidoQuery): DicomJsonDataset {
  const wanted = new Set<string>(levels.flatMap((level) => DefaultAttributes[level]));
  for (const filter of query.filters) if (filter.path[0]) wanted.add(filter.path[0]);
  const tags = query.includeFields === 'all' ? [...wanted, ...Object.keys(dataset)] : [...wanted, ...query.includeFields];
  const out: DicomJsonDataset = {};
  for (const tag of [...new Set(tags)].sort()) {
    const element: DicomJsonElement | undefined = dataset[tag];
    if (!element || tag.startsWith('0002') || (tag === Tags.PixelData)) continue;
    if (!element.Value && !element.InlineBinary && !element.BulkDataURI && element.vr !== 'SQ' && query.includeFields !== 'all' && !wanted.has(tag)) continue;
    out[tag] = element;
  }
  return out;
}

export function page<T>(items: readonly T[], query: QidoQuery): T[] {
  const start = Math.min(query.offset, items.length);
  return items.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
