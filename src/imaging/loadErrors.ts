/**
 * What a failed image load means to a reader. Cornerstone and the DICOM image loader reject with
 * assorted shapes (an Error from a decoder worker, the XMLHttpRequest itself, an object with a
 * `status`); this turns each into a tagged value and one sentence for the viewport, so a series
 * the browser cannot decode shows why instead of a blank canvas.
 */

export type ImageLoadFailure =
  | { kind: 'unsupported-encoding'; transferSyntaxUID: string; name?: string }
  | { kind: 'http'; status: number }
  /** The site's answer was not a usable multipart body (no part headers, no boundary, cut off). */
  | { kind: 'malformed-answer'; detail: string }
  /** A codec gave up on the bytes: they are not in the encoding the answer declared. */
  | { kind: 'undecodable' }
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

/** The HTTP status a load failed with, from the XMLHttpRequest or an object wrapping it. */
export function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const direct = (error as { status?: unknown }).status;
  if (typeof direct === 'number' && direct > 0) return direct;
  const nested = (error as { error?: unknown; response?: unknown }).error;
  return nested && nested !== error ? statusOf(nested) : undefined;
}

/** The innermost reason of a rejection wrapped in `{ error }` objects. */
function innermost(error: unknown): unknown {
  const nested = error && typeof error === 'object' && !(error instanceof Error) ? (error as { error?: unknown }).error : undefined;
  return nested !== undefined && nested !== error ? innermost(nested) : error;
}

/**
 * Whether a rejection is a codec's own failure: the WASM decoders (Emscripten builds of
 * libjpeg-turbo, CharLS, OpenJPEG) throw a bare number, the address of their C++ exception.
 */
export function isCodecException(error: unknown): boolean {
  return typeof innermost(error) === 'number';
}

/** Classifies whatever a Cornerstone image load rejected with. */
export function classifyLoadError(error: unknown): ImageLoadFailure {
  const status = statusOf(error);
  if (status !== undefined && status >= 400) return { kind: 'http', status };
  if (isCodecException(error)) return { kind: 'undecodable' };
  const detail = messageOf(error);
  // The WADO-RS loader's own words for a multipart body it cannot split.
  const malformed = /^invalid response - (.+)$/.exec(detail);
  if (malformed?.[1]) return { kind: 'malformed-answer', detail: malformed[1] };
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
    case 'malformed-answer':
      return `The image could not be loaded: the site's answer was malformed (${failure.detail})`;
    case 'undecodable':
      return 'The image could not be decoded: the site sent data that is not in the encoding it declared';
    case 'other':
      return `The image could not be loaded: ${failure.detail}`;
  }
}

export function describeLoadError(error: unknown): string {
  return describeLoadFailure(classifyLoadError(error));
}
