/**
 * What a failed image load means to a reader. Cornerstone and the DICOM image loader reject with
 * assorted shapes (an Error from a decoder worker, the XMLHttpRequest itself, an object with a
 * `status`); this turns each into a tagged value and one sentence for the viewport, so a series
 * the browser cannot decode shows why instead of a blank canvas.
 */

export type ImageLoadFailure =
  | { kind: 'unsupported-encoding'; transferSyntaxUID: string; name?: string }
  | { kind: 'http'; status: number }
  | { kind: 'other'; detail: string };

/** Names readers recognise for the syntaxes a site might store; the UID is shown when unknown. */
const TransferSyntaxNames: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (12-bit)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2 Multi-component Lossless',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 Part 2 Multi-component',
  '1.2.840.10008.1.2.4.94': 'JPIP Referenced',
  '1.2.840.10008.1.2.4.100': 'MPEG2 Main Profile',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264',
  '1.2.840.10008.1.2.4.110': 'JPEG XL Lossless',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.202': 'HTJ2K Lossless RPCL',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

export function transferSyntaxName(uid: string): string | undefined {
  return TransferSyntaxNames[uid];
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const nested = (error as { error?: unknown; message?: unknown }).error ?? (error as { message?: unknown }).message;
    if (nested !== undefined && nested !== error) return messageOf(nested);
  }
  return String(error);
}

function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const direct = (error as { status?: unknown }).status;
  if (typeof direct === 'number' && direct > 0) return direct;
  const nested = (error as { error?: unknown; response?: unknown }).error;
  return nested && nested !== error ? statusOf(nested) : undefined;
}

/** Classifies whatever a Cornerstone image load rejected with. */
export function classifyLoadError(error: unknown): ImageLoadFailure {
  const status = statusOf(error);
  if (status !== undefined && status >= 400) return { kind: 'http', status };
  const detail = messageOf(error);
  // The loader's decoders say "No decoder for transfer syntax <uid>" (main thread and worker).
  const syntax = /transfer syntax:?\s*([0-9.]+[0-9])/i.exec(detail);
  if (syntax?.[1] && /no decoder|not supported|unsupported|unknown/i.test(detail)) {
    const name = transferSyntaxName(syntax[1]);
    return { kind: 'unsupported-encoding', transferSyntaxUID: syntax[1], ...(name ? { name } : {}) };
  }
  return { kind: 'other', detail };
}

/** The sentence the viewport shows for a failure. */
export function describeLoadFailure(failure: ImageLoadFailure): string {
  switch (failure.kind) {
    case 'unsupported-encoding': {
      const label = failure.name ? `${failure.name}, ${failure.transferSyntaxUID}` : failure.transferSyntaxUID;
      return `This image's encoding (${label}) is not supported`;
    }
    case 'http':
      return `The image could not be loaded: the site answered HTTP ${failure.status}`;
    case 'other':
      return `The image could not be loaded: ${failure.detail}`;
  }
}

export function describeLoadError(error: unknown): string {
  return describeLoadFailure(classifyLoadError(error));
}
