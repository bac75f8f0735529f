/**
 * The prior CT's report as an Encapsulated PDF. The PDF is written by hand: one page, one
 * Helvetica text line per report line, with a cross-reference table whose byte offsets are
 * computed as the objects are laid out, so any PDF reader opens it.
 */
import { code, encodePart10, type NaturalDataset } from './dicomFile';
import { commonAttributes, type SeriesContext, type StudyContext } from './studyContext';

export const EncapsulatedPDFStorage = '1.2.840.10008.5.1.4.1.1.104.1';

/** PDF string literal escaping for the characters that have meaning inside `( … )`. */
function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')})`;
}

export function buildPdf(lines: readonly string[]): Uint8Array {
  const stream = ['BT', '/F1 12 Tf', '16 TL', '56 780 Td', ...lines.map((line) => `${pdfString(line)} '`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefOffset = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  // Every character is ASCII, so string length equals byte length and the offsets hold.
  return new TextEncoder().encode(body);
}

export function encodePdfReport(study: StudyContext, series: SeriesContext, SOPInstanceUID: string, options: { DocumentTitle: string; lines: string[] }): Uint8Array {
  const pdf = buildPdf(options.lines);
  // OB values need even length; the pad byte sits after %%EOF and readers ignore it.
  const padded = new Uint8Array(pdf.length + (pdf.length % 2));
  padded.set(pdf);
  const dataset: NaturalDataset = {
    ...commonAttributes(study, series),
    SOPClassUID: EncapsulatedPDFStorage,
    SOPInstanceUID,
    InstanceNumber: 1,
    ContentDate: study.StudyDate,
    ContentTime: study.StudyTime,
    AcquisitionDateTime: `${study.StudyDate}${study.StudyTime}`,
    ConversionType: 'WSD',
    BurnedInAnnotation: 'YES',
    DocumentTitle: options.DocumentTitle,
    ConceptNameCodeSequence: [code('18748-4', 'LN', 'Diagnostic Imaging Report')],
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocumentLength: pdf.length,
    EncapsulatedDocument: padded.buffer,
    _vrMap: { EncapsulatedDocument: 'OB' },
  };
  return encodePart10(dataset);
}
