/**
 * PALETTE COLOR lookup tables for WADO-RS images. Sites send the tables' words (OW) out of the
 * metadata, as a BulkDataURI (Orthanc, our folder site) or InlineBinary, but the dicom-image-loader's
 * WADO-RS metadata reads only inline `Value` numbers and otherwise fails the image with "does not
 * have a complete color palette". Before such an image loads, each table is fetched once from the
 * image's own site and written into the metadata as the numbers the loader expects.
 */
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { firstPart } from './part10Frame';

const PaletteDataTags = ['00281201', '00281202', '00281203'] as const;
const BULK_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';

interface JsonElement {
  vr?: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}
type JsonDataset = Record<string, JsonElement | undefined>;

const fetched = new Map<string, Promise<number[]>>();

/** Little-endian 16-bit words (the tables are OW). */
function wordsOf(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: Math.floor(bytes.byteLength / 2) }, (_, i) => view.getUint16(2 * i, true));
}

async function fetchWords(url: string): Promise<number[]> {
  const response = await fetch(url, { headers: { Accept: BULK_ACCEPT } });
  if (!response.ok) throw new Error(`palette lookup table: bulk data answered HTTP ${response.status}`);
  return wordsOf(firstPart(new Uint8Array(await response.arrayBuffer()), response.headers.get('content-type') ?? ''));
}

function inlineWords(base64: string): number[] {
  const text = atob(base64);
  return wordsOf(Uint8Array.from(text, (c) => c.charCodeAt(0)));
}

/** `wadors:<root>/studies/…/instances/<sop>/frames/<n>` → the instance URL and the site's root. */
function urlsOf(imageId: string): { instanceUrl: string; root: string } | undefined {
  const match = /^wadors:((.+)\/studies\/[^/]+\/series\/[^/]+\/instances\/[^/]+)\/frames\/\d+$/.exec(imageId);
  return match?.[1] && match[2] ? { instanceUrl: match[1], root: match[2] } : undefined;
}

function needsTables(metadata: JsonDataset | undefined): metadata is JsonDataset {
  if (metadata?.['00280004']?.Value?.[0] !== 'PALETTE COLOR') return false;
  return PaletteDataTags.some((tag) => !Array.isArray(metadata[tag]?.Value));
}

/** True when the image is PALETTE COLOR with a table not yet inline (the only case that waits). */
export function paletteTablesMissing(imageId: string): boolean {
  return needsTables(wadors.metaDataManager.get(imageId) as JsonDataset | undefined);
}

/**
 * Puts the three palette tables of `imageId` inline in its registered metadata. A table is only
 * fetched from the image's own site root, whatever URI the metadata names.
 */
export async function inlinePaletteTables(imageId: string): Promise<void> {
  const metadata = wadors.metaDataManager.get(imageId) as JsonDataset | undefined;
  const urls = urlsOf(imageId);
  if (!needsTables(metadata) || !urls) return;
  await Promise.all(
    PaletteDataTags.map(async (tag) => {
      const element = metadata[tag];
      if (!element || Array.isArray(element.Value)) return;
      if (element.InlineBinary) {
        element.Value = inlineWords(element.InlineBinary);
        return;
      }
      const resolved = element.BulkDataURI ? new URL(element.BulkDataURI, `${urls.instanceUrl}/`).href : '';
      const url = resolved.startsWith(`${urls.root}/`) ? resolved : `${urls.instanceUrl}/bulk/${tag}`;
      let words = fetched.get(url);
      if (!words) {
        words = fetchWords(url);
        fetched.set(url, words);
        words.catch(() => fetched.delete(url));
      }
      element.Value = await words;
    }),
  );
}
