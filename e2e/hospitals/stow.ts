/**
 * Loads a folder of DICOM files into a DICOMweb server through STOW-RS, the way a modality or a
 * PACS migration would: `POST <dicomweb>/studies` with `multipart/related; type="application/dicom"`.
 * Files go in batches (one request per batch, a few requests in flight) so a 200-slice CT does
 * not become 200 round trips nor one 100 MB body.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILURE_REASON = '00081197';

export interface StowOptions {
  /** Used in error messages so a failure names the hospital. */
  siteName: string;
  batchSize?: number;
  parallel?: number;
}

/** The `.dcm` files under a folder (any depth), sorted so uploads are reproducible. */
export async function listDicomFiles(folder: string): Promise<string[]> {
  const names = await readdir(folder, { recursive: true });
  return names.filter((name) => name.toLowerCase().endsWith('.dcm')).sort().map((name) => join(folder, name));
}

function multipartBody(parts: Buffer[], boundary: string): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`));
    chunks.push(part);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  // A plain ArrayBuffer-backed copy: fetch's body type does not accept Node's pooled Buffers.
  const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

type DicomJsonElement = { Value?: unknown[] };

async function storeBatch(dicomwebUrl: string, files: string[], siteName: string): Promise<void> {
  const boundary = `crossview-${randomUUID()}`;
  const body = multipartBody(await Promise.all(files.map((file) => readFile(file))), boundary);
  const response = await fetch(`${dicomwebUrl}/studies`, {
    method: 'POST',
    headers: {
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      Accept: 'application/dicom+json',
    },
    body,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`stowFolder: ${siteName} answered HTTP ${response.status} to STOW-RS of ${files.length} files: ${text.slice(0, 300)}`);
  }
  const result = JSON.parse(text) as Record<string, DicomJsonElement | undefined>;
  const failed = result[FAILED_SOP_SEQUENCE]?.Value ?? [];
  const stored = result[REFERENCED_SOP_SEQUENCE]?.Value ?? [];
  if (failed.length > 0 || stored.length !== files.length) {
    const reasons = (failed as Record<string, DicomJsonElement | undefined>[])
      .map((item) => item[FAILURE_REASON]?.Value?.[0])
      .join(', ');
    throw new Error(
      `stowFolder: ${siteName} stored ${stored.length} of ${files.length} instances (${failed.length} failed, reasons: ${reasons || 'none given'}); first file ${files[0]}`,
    );
  }
}

/**
 * Stores every `.dcm` file of `folder` at `dicomwebUrl` and returns how many were stored.
 * Throws, naming the site, when the server rejects any instance.
 */
export async function stowFolder(dicomwebUrl: string, folder: string, options: StowOptions): Promise<number> {
  const { siteName, batchSize = 20, parallel = 3 } = options;
  const files = await listDicomFiles(folder);
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += batchSize) batches.push(files.slice(i, i + batchSize));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await storeBatch(dicomwebUrl, batch, siteName);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
  return files.length;
}
