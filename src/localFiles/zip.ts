/**
 * Unpacks .zip files among the inputs in the browser (fflate), within bounds: an archive that
 * declares more entries or more bytes than a viewer should hold in memory is refused whole, with
 * the reason, before anything is inflated. Entries keep the archive's name in their path.
 */
import { unzipSync } from 'fflate';
import type { LocalFileInput, RejectedFile } from './types';

export interface ZipLimits {
  maxEntries: number;
  /** Sum of the entries' declared uncompressed sizes. */
  maxTotalBytes: number;
  maxEntryBytes: number;
}

export const DefaultZipLimits: ZipLimits = { maxEntries: 20_000, maxTotalBytes: 2 * 1024 ** 3, maxEntryBytes: 1024 ** 3 };

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

export function isZip(file: LocalFileInput): boolean {
  const bytes = file.bytes instanceof Uint8Array ? file.bytes : new Uint8Array(file.bytes);
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The entries of one archive, or why it was refused. */
export function unpackZip(file: LocalFileInput, limits: ZipLimits = DefaultZipLimits): { files: LocalFileInput[] } | { rejected: RejectedFile } {
  const bytes = file.bytes instanceof Uint8Array ? file.bytes : new Uint8Array(file.bytes);
  let entries = 0;
  let total = 0;
  let refusal: string | undefined;
  try {
    const unpacked = unzipSync(bytes, {
      filter: (entry) => {
        if (entry.name.endsWith('/')) return false;
        entries += 1;
        total += entry.originalSize;
        if (entries > limits.maxEntries) refusal ??= `zip: more than ${limits.maxEntries} entries; unpack it first`;
        else if (entry.originalSize > limits.maxEntryBytes) refusal ??= `zip: an entry declares ${formatBytes(entry.originalSize)}, more than the ${formatBytes(limits.maxEntryBytes)} a file may have here`;
        else if (total > limits.maxTotalBytes) refusal ??= `zip: declares more than ${formatBytes(limits.maxTotalBytes)} uncompressed, more than this viewer unpacks`;
        // Nothing is inflated once the archive is refused.
        return refusal === undefined;
      },
    });
    if (refusal) return { rejected: { path: file.path, reason: refusal } };
    const base = file.path.replace(/\/+$/, '');
    return { files: Object.entries(unpacked).map(([name, content]) => ({ path: `${base}/${name}`, bytes: content })) };
  } catch (error) {
    if (refusal) return { rejected: { path: file.path, reason: refusal } };
    return { rejected: { path: file.path, reason: `zip: cannot be unpacked (${error instanceof Error ? error.message : 'corrupt archive'})` } };
  }
}
