/**
 * The bytes of an encapsulated PDF report, fetched through the gateway when the reader opens it.
 * Bytes are accepted only when they are a PDF (`%PDF-` first); what is shown is then up to the
 * browser's sandboxed viewer, and nothing in the document is run by this app.
 */
import type { Site } from '../sites/index';
import { retrieveBulkData, type ReportRequestOptions } from './reportRequests';
import type { PdfReport } from './studyReport';

export type PdfBytesResult = { kind: 'ok'; bytes: Uint8Array } | { kind: 'failed'; message: string };

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

export function isPdf(bytes: Uint8Array): boolean {
  return PDF_MAGIC.every((byte, i) => bytes[i] === byte);
}

function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** OB values are padded to even length; EncapsulatedDocumentLength says where the PDF really ends. */
function trimmed(bytes: Uint8Array, length: number | undefined): Uint8Array {
  if (length !== undefined && length <= bytes.length) return bytes.subarray(0, length);
  return bytes.length > 0 && bytes[bytes.length - 1] === 0 ? bytes.subarray(0, bytes.length - 1) : bytes;
}

export async function loadPdfBytes(report: PdfReport, site: Site, options: ReportRequestOptions = {}): Promise<PdfBytesResult> {
  let bytes: Uint8Array;
  if (report.inlineBinary) {
    try {
      bytes = base64Bytes(report.inlineBinary);
    } catch {
      return { kind: 'failed', message: `${site.name} sent the PDF in a form this viewer cannot read` };
    }
  } else if (report.bulkDataUri) {
    const answer = await retrieveBulkData(site, report.bulkDataUri, options);
    if (answer.kind !== 'ok') return { kind: 'failed', message: answer.message };
    bytes = answer.value;
  } else {
    return { kind: 'failed', message: `${site.name} gave no way to fetch this PDF` };
  }
  const pdf = trimmed(bytes, report.EncapsulatedDocumentLength);
  if (!isPdf(pdf)) return { kind: 'failed', message: `The document from ${site.name} is not a PDF, so it is not shown` };
  return { kind: 'ok', bytes: pdf };
}
