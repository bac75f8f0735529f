import { describe, expect, it } from 'vitest';
import { readSrDocument } from './srDocument';
import type { SrItem } from './srContent';
import { basicTextSr, code, throughDicomJson, tid1500MeasurementReport } from './testFixtures';

const texts = (items: SrItem[]) => items.map((item) => (item.kind === 'text' ? item.text : ''));

describe('readSrDocument: Basic Text SR (TID 2000)', () => {
  const document = readSrDocument(throughDicomJson(basicTextSr()));

  it('reads the findings and impression as sections in document order', () => {
    expect(document.title).toBe('Diagnostic Imaging Report');
    expect(document.TemplateIdentifier).toBe('2000');
    expect(document.sections.map((s) => s.heading)).toEqual(['Findings', 'Impressions']);
    expect(document.sections[0]!.items).toEqual([
      { kind: 'text', name: 'Finding', relationship: 'CONTAINS', text: 'Right lower lobe: a round solid nodule measuring 18 mm.', children: [] },
    ]);
    expect(texts(document.sections[1]!.items)).toEqual(['Enlarging 18 mm right lower lobe nodule. For MDT discussion.']);
  });

  it('names the verifying radiologist once, with organisation and time, and calls a complete verified report final', () => {
    expect(document.people).toEqual([{ role: 'verifier', name: 'Dr Hannah WHITFIELD', organisation: 'Northgate Cancer Centre', dateTime: '20250603170224' }]);
    expect(document.state).toBe('final');
    expect(document.ContentDate).toBe('20250603');
    expect(document.VerificationDateTime).toBe('20250603170224');
    expect(document.context.map((c) => c.name)).toEqual(['Person Observer Name']);
  });

  it('calls an unverified report preliminary', () => {
    expect(readSrDocument(throughDicomJson(basicTextSr({ VerificationFlag: 'UNVERIFIED', VerifyingObserverSequence: [] }))).state).toBe('preliminary');
    expect(readSrDocument(throughDicomJson(basicTextSr({ CompletionFlag: 'PARTIAL' }))).state).toBe('preliminary');
  });

  it('keeps markup in report text as text', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const doc = readSrDocument(throughDicomJson(basicTextSr({
      ContentSequence: [{ RelationshipType: 'CONTAINS', ValueType: 'TEXT', ConceptNameCodeSequence: [code('121071', 'DCM', 'Finding')], TextValue: hostile }],
    })));
    expect(doc.sections).toEqual([{ heading: '', depth: 0, items: [expect.objectContaining({ kind: 'text', text: hostile })] }]);
  });
});

describe('readSrDocument: TID 1500 measurement report (Comprehensive SR)', () => {
  const document = readSrDocument(throughDicomJson(tid1500MeasurementReport()));

  it('flattens nested containers into sections headed by their path', () => {
    expect(document.title).toBe('Imaging Measurement Report');
    expect(document.sections.map((s) => [s.heading, s.depth])).toEqual([
      ['Image Library', 0],
      ['Image Library › Image Library Group', 1],
      ['Imaging Measurements', 0],
      ['Imaging Measurements › Measurement Group', 1],
    ]);
  });

  it('reads NUM items as value and unit, UCUM codes shown as written and unity left out', () => {
    const group = document.sections[3]!.items;
    const measurements = group.filter((item) => item.kind === 'measurement');
    expect(measurements.map((m) => m.kind === 'measurement' && [m.name, m.value, m.unit])).toEqual([
      ['Long Axis', '18.2', 'mm'],
      ['Volume', '2.9', 'cm3'],
      ['Score', '4', ''],
    ]);
  });

  it('keeps tracking identifiers, finding site codes and the region a measurement was inferred from', () => {
    const group = document.sections[3]!.items;
    expect(group[0]).toMatchObject({ kind: 'text', name: 'Tracking Identifier', text: 'Nodule 1' });
    expect(group[1]).toMatchObject({ kind: 'text', name: 'Tracking Unique Identifier', text: '2.25.777' });
    expect(group[2]).toMatchObject({ kind: 'code', name: 'Finding Site', value: 'Right lower lobe of lung', relationship: 'HAS CONCEPT MOD' });
    const longAxis = group[3]!;
    expect(longAxis.children).toHaveLength(1);
    expect(longAxis.children[0]).toMatchObject({ kind: 'text', relationship: 'INFERRED FROM', text: 'polyline of 2 points' });
    expect(longAxis.children[0]!.children[0]).toMatchObject({ kind: 'image-reference', ReferencedSOPInstanceUID: '2.25.555', ReferencedFrameNumber: [1] });
  });

  it('lists the image library references and the device that wrote the report; partial means preliminary', () => {
    expect(document.sections[1]!.items[0]).toMatchObject({ kind: 'image-reference', ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2' });
    expect(document.people).toEqual([{ role: 'author', name: 'Nodule CAD 2.1' }]);
    expect(document.state).toBe('preliminary');
    expect(document.context.map((c) => c.name)).toEqual(['Language of Content Item and Descendants', 'Device Observer UID']);
  });

  it('says "no value" for a NUM without a measured value, and stops at a hostile depth', () => {
    let deep: Record<string, unknown> = { RelationshipType: 'CONTAINS', ValueType: 'NUM', ConceptNameCodeSequence: [code('1', 'X', 'Empty')] };
    const empty = readSrDocument(throughDicomJson(basicTextSr({ ContentSequence: [deep] })));
    expect(empty.sections[0]!.items[0]).toMatchObject({ kind: 'measurement', value: 'no value', unit: '' });
    for (let i = 0; i < 60; i++) deep = { RelationshipType: 'HAS PROPERTIES', ValueType: 'TEXT', TextValue: `level ${i}`, ContentSequence: [deep] };
    const truncated = readSrDocument(basicTextSr({ ContentSequence: [deep] }));
    expect(truncated.truncated).toBe(true);
  });
});
