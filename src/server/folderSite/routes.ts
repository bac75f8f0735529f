/**
 * The folder site's DICOMweb surface: QIDO-RS, WADO-RS metadata, frames, bulk data and
 * instance retrieve. Bytes are read from disk per request (frames by offset), and multi-part
 * answers stream one part at a time.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../httpUtil';
import {
  instanceDataset,
  instanceMetadata,
  seriesDataset,
  sortSeries,
  sortStudies,
  studyDataset,
  type Catalogue,
  type SeriesNode,
  type StudyNode,
} from './catalogue';
import { type DicomJsonDataset } from './dicomJson';
import { readInstanceBytes, type InstanceRecord } from './indexFolder';
import { frameBoundary, requestedInterval, segmentLength, sliceSegments, type Segment } from './byteRange';
import { closeDelimiter, multipartContentType, newBoundary, partHeader, writeMultipart, type Part } from './multipart';
import { parseFrameList, type ByteRange } from './pixelData';
import { matchesQuery, page, parseQidoQuery, selectAttributes, type QidoQuery, type QueryLevel } from './qido';
import { acceptsStoredFrames, frameMediaType } from './transferSyntax';

export interface FolderRequest {
  subPath: string;
  search: string;
  /** `<gateway origin>/sites/:siteId/dicom-web`. */
  base: string;
  siteId: string;
  siteName: string;
}

type Failure = { status: number; error: string };
const DICOM_JSON = 'application/dicom+json';

export async function handleFolderRequest(catalogue: Catalogue, req: IncomingMessage, res: ServerResponse, request: FolderRequest): Promise<void> {
  const fail = (failure: Failure) => sendJson(res, failure.status, { error: failure.error, siteId: request.siteId, siteName: request.siteName });
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    fail({ status: 405, error: 'This site is read-only (folder of files)' });
    return;
  }
  const segments = request.subPath.split('/').filter(Boolean).map(decodeURIComponent);
  const [s0, study, s2, series, s4, instance, s6, s7] = segments;
  const params = new URLSearchParams(request.search);
  const resolved = resolveTarget(catalogue, study, series, instance);
  if ('status' in resolved) {
    // A search inside a study or series this site does not hold matches nothing (200 []), as
    // Orthanc answers; only retrieval of something missing is a 404.
    const isSearch = (segments.length === 3 && (s2 === 'series' || s2 === 'instances')) || (segments.length === 5 && s4 === 'instances');
    if (isSearch && s0 === 'studies') {
      sendJson(res, 200, []);
      return;
    }
    fail(resolved);
    return;
  }
  const { studyNode, seriesNode, record } = resolved;
  const n = segments.length;

  // QIDO-RS
  if (n === 1 && s0 === 'studies') return qido(res, fail, catalogue, 'study', params, request.base);
  if (n === 1 && s0 === 'series') return qido(res, fail, catalogue, 'series', params, request.base);
  if (n === 1 && s0 === 'instances') return qido(res, fail, catalogue, 'instance', params, request.base);
  if (s0 !== 'studies' || !studyNode) return fail({ status: 404, error: 'Unknown DICOMweb resource' });
  if (n === 3 && s2 === 'series') return qido(res, fail, catalogue, 'series', params, request.base, studyNode);
  if (n === 3 && s2 === 'instances') return qido(res, fail, catalogue, 'instance', params, request.base, studyNode);
  if (n === 5 && s4 === 'instances' && seriesNode) return qido(res, fail, catalogue, 'instance', params, request.base, studyNode, seriesNode);

  // WADO-RS metadata
  if (n === 3 && s2 === 'metadata') return metadata(res, studyNode.instances, request.base);
  if (n === 5 && s4 === 'metadata' && seriesNode) return metadata(res, seriesNode.instances, request.base);
  if (n === 7 && s6 === 'metadata' && record) return metadata(res, [record], request.base);

  // WADO-RS retrieve, frames, bulk data
  if (n === 2) return retrieveFiles(res, studyNode.instances);
  if (n === 4 && s2 === 'series' && seriesNode) return retrieveFiles(res, seriesNode.instances);
  if (n === 6 && s4 === 'instances' && record) return retrieveFiles(res, [record]);
  if (n === 8 && s6 === 'frames' && record && s7) return frames(res, fail, record, s7, req.headers.accept, req.headers.range);
  if (n === 8 && s6 === 'bulk' && record && s7) return bulk(res, fail, record, s7.toUpperCase());
  return fail({ status: 404, error: 'Unknown DICOMweb resource' });
}

function resolveTarget(
  catalogue: Catalogue,
  study: string | undefined,
  series: string | undefined,
  instance: string | undefined,
): Failure | { studyNode?: StudyNode; seriesNode?: SeriesNode; record?: InstanceRecord } {
  if (study === undefined) return {};
  const studyNode = catalogue.studies.get(study);
  if (!studyNode) return { status: 404, error: 'Unknown study' };
  if (series === undefined) return { studyNode };
  const seriesNode = studyNode.series.get(series);
  if (!seriesNode) return { status: 404, error: 'Unknown series' };
  if (instance === undefined) return { studyNode, seriesNode };
  const record = seriesNode.instances.find((r) => r.SOPInstanceUID === instance);
  if (!record) return { status: 404, error: 'Unknown instance' };
  return { studyNode, seriesNode, record };
}

function qido(
  res: ServerResponse,
  fail: (f: Failure) => void,
  catalogue: Catalogue,
  level: QueryLevel,
  params: URLSearchParams,
  base: string,
  inStudy?: StudyNode,
  inSeries?: SeriesNode,
): void {
  const parsed = parseQidoQuery(params);
  if (!parsed.ok) return fail({ status: 400, error: parsed.error });
  const query: QidoQuery = parsed.query;
  const studies = inStudy ? [inStudy] : sortStudies([...catalogue.studies.values()]);
  let candidates: DicomJsonDataset[];
  // Like Orthanc, every level also returns its parents' default attributes, scoped or not.
  let levels: QueryLevel[];
  if (level === 'study') {
    candidates = studies.map((study) => studyDataset(study, base));
    levels = ['study'];
  } else if (level === 'series') {
    candidates = studies.flatMap((study) => sortSeries([...study.series.values()]).map((series) => seriesDataset(study, series, base)));
    levels = ['study', 'series'];
  } else {
    candidates = studies.flatMap((study) =>
      sortSeries([...study.series.values()])
        .filter((series) => !inSeries || series === inSeries)
        .flatMap((series) => series.instances.map((record) => instanceDataset(study, series, record, base))),
    );
    levels = ['study', 'series', 'instance'];
  }
  const matches = page(candidates.filter((dataset) => matchesQuery(dataset, query)), query);
  // Orthanc answers an empty match with 200 and `[]`; clients see the same from us.
  sendJson(res, 200, matches.map((dataset) => selectAttributes(dataset, levels, query)), DICOM_JSON);
}

/** Streams a JSON array instance by instance: series metadata can be megabytes. */
async function metadata(res: ServerResponse, records: readonly InstanceRecord[], base: string): Promise<void> {
  res.writeHead(200, { 'Content-Type': `${DICOM_JSON}; charset=utf-8`, 'Cache-Control': 'no-store' });
  function* chunks(): Generator<string> {
    yield '[';
    for (const [i, record] of records.entries()) yield `${i ? ',' : ''}${JSON.stringify(instanceMetadata(record, base))}`;
    yield ']';
  }
  await pipeline(Readable.from(chunks()), res).catch(() => res.destroy());
}

function readRanges(record: InstanceRecord, ranges: readonly ByteRange[]): Readable {
  if (record.deflated) {
    return Readable.from(
      (async function* () {
        const bytes = await readInstanceBytes(record);
        for (const range of ranges) yield Buffer.from(bytes.subarray(range.offset, range.offset + range.length));
      })(),
    );
  }
  return Readable.from(
    (async function* () {
      for (const range of ranges) {
        if (range.length === 0) continue;
        yield* createReadStream(record.path, { start: range.offset, end: range.offset + range.length - 1 });
      }
    })(),
  );
}

async function sendMultipart(res: ServerResponse, partType: string, parts: Iterable<Part>): Promise<void> {
  const boundary = newBoundary();
  res.writeHead(200, { 'Content-Type': multipartContentType(boundary, partType), 'Cache-Control': 'no-store' });
  try {
    await writeMultipart(res, boundary, parts);
    res.end();
  } catch {
    res.destroy();
  }
}

function frames(
  res: ServerResponse,
  fail: (f: Failure) => void,
  record: InstanceRecord,
  list: string,
  accept: string | undefined,
  range: string | undefined,
): Promise<void> | void {
  if (!record.frames) return fail({ status: 404, error: 'Instance has no frames that can be served' });
  const numbers = parseFrameList(list, record.frames.length);
  if (!numbers) return fail({ status: 400, error: `Frame list must be numbers 1..${record.frames.length}` });
  const stored = frameMediaType(record.transferSyntaxUID);
  if (!acceptsStoredFrames(accept, stored)) {
    return fail({ status: 406, error: `Frames are stored as ${stored.transferSyntaxUID}; ask with transfer-syntax=* (this site does not transcode)` });
  }
  const frameRanges = record.frames;
  const partType = `${stored.mediaType}; transfer-syntax=${stored.transferSyntaxUID}`;
  if (numbers.length === 1) return oneFrame(res, record, numbers[0]!, frameRanges[numbers[0]! - 1] ?? [], stored.mediaType, partType, range);
  return sendMultipart(
    res,
    stored.mediaType,
    numbers.map((n) => ({ headers: { 'Content-Type': partType }, open: () => readRanges(record, frameRanges[n - 1] ?? []) })),
  );
}

/**
 * One frame, as a multipart body of known length with a stable boundary, whole or the byte range
 * asked for (see byteRange.ts: progressive HTJ2K fetches the start of a frame, then the rest).
 */
async function oneFrame(
  res: ServerResponse,
  record: InstanceRecord,
  frameNumber: number,
  ranges: readonly ByteRange[],
  mediaType: string,
  partType: string,
  rangeHeader: string | undefined,
): Promise<void> {
  const boundary = frameBoundary(record.SOPInstanceUID, frameNumber);
  const inflated = record.deflated ? await readInstanceBytes(record) : undefined;
  const segments: Segment[] = [
    { kind: 'bytes', bytes: partHeader(boundary, { 'Content-Type': partType }) },
    ...ranges.map((r): Segment => (inflated ? { kind: 'bytes', bytes: Buffer.from(inflated.subarray(r.offset, r.offset + r.length)) } : { kind: 'file', offset: r.offset, length: r.length })),
    { kind: 'bytes', bytes: Buffer.concat([Buffer.from('\r\n'), closeDelimiter(boundary)]) },
  ];
  const total = segments.reduce((sum, segment) => sum + segmentLength(segment), 0);
  const interval = requestedInterval(rangeHeader, total);
  const headers: Record<string, string> = {
    'Content-Type': multipartContentType(boundary, mediaType),
    'Cache-Control': 'no-store',
    'Accept-Ranges': 'bytes',
  };
  const body = interval ? sliceSegments(segments, interval) : segments;
  if (interval) headers['Content-Range'] = `bytes ${interval.start}-${interval.end}/${total}`;
  headers['Content-Length'] = String(body.reduce((sum, segment) => sum + segmentLength(segment), 0));
  res.writeHead(interval ? 206 : 200, headers);
  const stream = Readable.from(
    (async function* () {
      for (const segment of body) {
        if (segment.kind === 'bytes') yield segment.bytes;
        else if (segment.length > 0) yield* createReadStream(record.path, { start: segment.offset, end: segment.offset + segment.length - 1 });
      }
    })(),
  );
  await pipeline(stream, res).catch(() => res.destroy());
}

function bulk(res: ServerResponse, fail: (f: Failure) => void, record: InstanceRecord, tag: string): Promise<void> | void {
  const location = record.bulk.get(tag);
  if (!location) return fail({ status: 404, error: 'Unknown bulk data' });
  const syntax = frameMediaType(record.transferSyntaxUID).transferSyntaxUID;
  return sendMultipart(res, 'application/octet-stream', [
    { headers: { 'Content-Type': `application/octet-stream; transfer-syntax=${syntax}` }, open: () => readRanges(record, [location]) },
  ]);
}

function retrieveFiles(res: ServerResponse, records: readonly InstanceRecord[]): Promise<void> {
  return sendMultipart(
    res,
    'application/dicom',
    records.map((record) => ({
      headers: { 'Content-Type': `application/dicom; transfer-syntax=${record.transferSyntaxUID}` },
      open: () => createReadStream(record.path),
    })),
  );
}
