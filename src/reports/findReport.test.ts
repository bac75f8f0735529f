import { describe, expect, it } from 'vitest';
import type { Site } from '../sites/index';
import { findStudyReport } from './findReport';
import { loadPdfBytes } from './pdfReport';
import type { PdfReport, ReportStudy } from './studyReport';
import { asDicomJson, basicTextSr } from './testFixtures';

const site = (id: string): Site => ({ id, name: `Hospital ${id}`, patientIdIssuer: id.toUpperCase(), dicomwebRoot: `http://gw/sites/${id}/dicom-web`, state: 'ok' });
const sites = { a: site('a'), b: site('b'), c: site('c') };

const study: ReportStudy = {
  StudyInstanceUID: '2.25.1',
  PatientName: 'FAIRWEATHER^Casey',
  PatientBirthDate: '19661119',
  locations: [
    { siteId: 'a', PatientID: 'NC242127', IssuerOfPatientID: 'NCC' },
    { siteId: 'b', PatientID: 'RD1', IssuerOfPatientID: 'RDH' },
  ],
};

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/dicom+json' } });

/** A fake gateway: `routes` maps a URL prefix to a response factory; anything else is a 404. */
function fakeFetch(routes: Record<string, () => Response | Promise<Response>>, seen: string[] = []): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = String(input);
    seen.push(url);
    const key = Object.keys(routes).sort((x, y) => y.length - x.length).find((prefix) => url.startsWith(prefix));
    return key ? routes[key]!() : new Response('not found', { status: 404 });
  }) as typeof fetch;
}

const pdfDataset = (overrides: Record<string, unknown> = {}) => ({
  ...asDicomJson({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.104.1',
    SOPInstanceUID: '2.25.3001',
    StudyInstanceUID: '2.25.1',
    SeriesInstanceUID: '2.25.300',
    PatientID: 'RD1',
    IssuerOfPatientID: 'RDH',
    DocumentTitle: 'CT Thorax report',
    ContentDate: '20240110',
    ContentTime: '1030',
    EncapsulatedDocumentLength: 9,
  }),
  '00420011': { vr: 'OB', BulkDataURI: 'http://gw/sites/b/dicom-web/studies/2.25.1/series/2.25.300/instances/2.25.3001/bulk/00420011' },
  ...overrides,
});

describe('findStudyReport', () => {
  it('finds the SR at the site that holds it, reads it, and checks it against that location', async () => {
    const sr = asDicomJson(basicTextSr({ StudyInstanceUID: '2.25.1' }));
    const seen: string[] = [];
    const fetchFn = fakeFetch({
      'http://gw/sites/a/dicom-web/studies/2.25.1/instances?': () => json([sr]),
      'http://gw/sites/a/dicom-web/studies/2.25.1/series/2.25.100/instances/2.25.1001/metadata': () => json([sr]),
      'http://gw/sites/b/dicom-web/studies/2.25.1/instances?': () => new Response(null, { status: 204 }),
    }, seen);
    const report = await findStudyReport(study, sites, { fetchFn, nationalIds: ['9990764875'] });
    expect(report).toMatchObject({ state: 'final', kind: 'sr', siteId: 'a', SOPInstanceUID: '2.25.1001', identity: { matches: true }, failedSites: [], otherDocuments: [] });
    expect(report.state !== 'missing' && report.kind === 'sr' && report.document.sections.map((s) => s.heading)).toEqual(['Findings', 'Impressions']);
    expect(seen[0]).toContain('SOPClassUID=1.2.840.10008.5.1.4.1.1.88.11,');
  });

  it('finds a PDF and only ever points its bytes at the site root through the gateway', async () => {
    const foreign = pdfDataset({ '00420011': { vr: 'OB', BulkDataURI: 'http://evil.example/steal' } });
    const fetchFn = fakeFetch({
      'http://gw/sites/a/dicom-web/studies/2.25.1/instances?': () => json([]),
      'http://gw/sites/b/dicom-web/studies/2.25.1/instances?': () => json([foreign]),
      'http://gw/sites/b/dicom-web/studies/2.25.1/series/2.25.300/instances/2.25.3001/metadata': () => json([foreign]),
    });
    const report = await findStudyReport(study, sites, { fetchFn });
    expect(report).toMatchObject({ kind: 'pdf', siteId: 'b', title: 'CT Thorax report', state: 'preliminary', EncapsulatedDocumentLength: 9 });
    expect(report.state !== 'missing' && report.kind === 'pdf' && report.bulkDataUri).toBe(
      'http://gw/sites/b/dicom-web/studies/2.25.1/series/2.25.300/instances/2.25.3001/bulk/00420011',
    );
  });

  it('says missing, naming the sites it checked and the site that could not be asked', async () => {
    const fetchFn = fakeFetch({
      'http://gw/sites/a/dicom-web/studies/2.25.1/instances?': () => json([]),
      'http://gw/sites/b/': () => new Response('bad gateway', { status: 502 }),
    });
    const report = await findStudyReport(study, sites, { fetchFn });
    expect(report).toEqual({ state: 'missing', checkedSites: ['a'], failedSites: [{ siteId: 'b', kind: 'down', message: 'Hospital b is not reachable (502)' }] });
  });

  it('does not take an image for a report when a site ignores the SOP class filter', async () => {
    const ct = asDicomJson({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.2', SOPInstanceUID: '2.25.9', StudyInstanceUID: '2.25.1', SeriesInstanceUID: '2.25.8' });
    const otherStudySr = asDicomJson(basicTextSr({ StudyInstanceUID: '2.25.777' }));
    const seen: string[] = [];
    const fetchFn = fakeFetch({ 'http://gw/sites/': () => json([ct, otherStudySr]) }, seen);
    const report = await findStudyReport(study, sites, { fetchFn });
    expect(report).toEqual({ state: 'missing', checkedSites: ['a', 'b'], failedSites: [] });
    expect(seen.some((url) => url.includes('/metadata'))).toBe(false);
  });

  it('prefers a final report whose patient matches, and lists the other documents', async () => {
    const preliminary = asDicomJson(basicTextSr({ SOPInstanceUID: '2.25.1002', VerificationFlag: 'UNVERIFIED', ContentDate: '20260101' }));
    const final = asDicomJson(basicTextSr());
    const fetchFn = fakeFetch({
      'http://gw/sites/a/dicom-web/studies/2.25.1/instances?': () => json([preliminary, final]),
      'http://gw/sites/a/dicom-web/studies/2.25.1/series/2.25.100/instances/2.25.1002/metadata': () => json([preliminary]),
      'http://gw/sites/a/dicom-web/studies/2.25.1/series/2.25.100/instances/2.25.1001/metadata': () => json([final]),
      'http://gw/sites/b/dicom-web/studies/2.25.1/instances?': () => json([]),
    });
    const report = await findStudyReport(study, sites, { fetchFn });
    expect(report).toMatchObject({ state: 'final', SOPInstanceUID: '2.25.1001', otherDocuments: [{ SOPInstanceUID: '2.25.1002', state: 'preliminary', siteId: 'a' }] });
  });

  it('flags a report filed under another patient at the same site', async () => {
    const wrong = asDicomJson(basicTextSr({ PatientName: 'HOLLOWAY^Brian' }));
    const fetchFn = fakeFetch({
      'http://gw/sites/a/dicom-web/studies/2.25.1/instances?': () => json([wrong]),
      'http://gw/sites/a/dicom-web/studies/2.25.1/series/': () => json([wrong]),
      'http://gw/sites/b/': () => json([]),
    });
    const report = await findStudyReport(study, sites, { fetchFn });
    expect(report.state !== 'missing' && report.identity).toEqual({ matches: false, differences: [{ attribute: 'PatientName', report: 'HOLLOWAY^Brian', study: 'FAIRWEATHER^Casey' }] });
  });
});

describe('loadPdfBytes', () => {
  const report: PdfReport = {
    kind: 'pdf', state: 'final', siteId: 'b', StudyInstanceUID: '2.25.1', SeriesInstanceUID: '2.25.300', SOPInstanceUID: '2.25.3001',
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.104.1', identity: { matches: true }, title: 'CT Thorax report', EncapsulatedDocumentLength: 9,
    bulkDataUri: 'http://gw/sites/b/dicom-web/bulk',
  };
  const multipart = (payload: string) => {
    const body = `--xyz\r\nContent-Type: application/octet-stream\r\n\r\n${payload}\r\n--xyz--\r\n`;
    return () => new Response(body, { status: 200, headers: { 'Content-Type': 'multipart/related; type="application/octet-stream"; boundary=xyz' } });
  };

  it('takes the PDF out of a multipart answer and trims the OB pad byte', async () => {
    const result = await loadPdfBytes(report, site('b'), { fetchFn: fakeFetch({ 'http://gw/sites/b/dicom-web/bulk': multipart('%PDF-1.4\n\0') }) });
    expect(result.kind === 'ok' && new TextDecoder().decode(result.bytes)).toBe('%PDF-1.4\n');
  });

  it('refuses bytes that are not a PDF', async () => {
    const result = await loadPdfBytes(report, site('b'), { fetchFn: fakeFetch({ 'http://gw/sites/b/dicom-web/bulk': multipart('<html>x</html>') }) });
    expect(result).toEqual({ kind: 'failed', message: 'The document from Hospital b is not a PDF, so it is not shown' });
  });

  it('reads an inline PDF and says when the site is down', async () => {
    const inline = await loadPdfBytes({ ...report, bulkDataUri: undefined, inlineBinary: btoa('%PDF-1.7 x') }, site('b'));
    expect(inline.kind === 'ok' && new TextDecoder().decode(inline.bytes)).toBe('%PDF-1.7 ');
    const down = await loadPdfBytes(report, site('b'), { fetchFn: fakeFetch({ 'http://gw/': () => new Response('', { status: 504 }) }) });
    expect(down).toEqual({ kind: 'failed', message: 'Hospital b is not reachable (504)' });
  });
});
