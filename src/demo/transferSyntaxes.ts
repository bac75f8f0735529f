/**
 * The transfer syntaxes the demo can be stored in, by the short names tests and the harness use.
 * `nativeToDemo` says which ones the generator writes itself (no Debian tools needed).
 */
export const TransferSyntaxes = {
  'explicit-le': { uid: '1.2.840.10008.1.2.1', lossless: true, nativeToDemo: true },
  rle: { uid: '1.2.840.10008.1.2.5', lossless: true, nativeToDemo: false },
  'jpeg-baseline': { uid: '1.2.840.10008.1.2.4.50', lossless: false, nativeToDemo: true },
  'jpeg-lossless-sv1': { uid: '1.2.840.10008.1.2.4.70', lossless: true, nativeToDemo: false },
  'jpeg-ls-lossless': { uid: '1.2.840.10008.1.2.4.80', lossless: true, nativeToDemo: false },
  'j2k-lossless': { uid: '1.2.840.10008.1.2.4.90', lossless: true, nativeToDemo: false },
  'htj2k-lossless': { uid: '1.2.840.10008.1.2.4.201', lossless: true, nativeToDemo: false },
  deflated: { uid: '1.2.840.10008.1.2.1.99', lossless: true, nativeToDemo: false },
} as const satisfies Record<string, { uid: string; lossless: boolean; nativeToDemo: boolean }>;

export type TransferSyntaxName = keyof typeof TransferSyntaxes;

export const TransferSyntaxNames = Object.keys(TransferSyntaxes) as TransferSyntaxName[];

/**
 * Lossy targets the transcoder can also write, for codec tests that state a tolerance. Kept apart
 * from `TransferSyntaxes` so loops over every syntax the demo is stored in stay exact round trips.
 * The compression settings live in the transcoder: J2K irreversible at 20:1, HTJ2K irreversible
 * with quantisation step 0.001 (about 13:1 on the CT); on the phantom CT's landmark slice their
 * reference decoders (GDCM, OpenJPH) stay within 7 HU of every stored value.
 */
export const LossyTransferSyntaxes = {
  'j2k-lossy': { uid: '1.2.840.10008.1.2.4.91', lossless: false, nativeToDemo: false },
  'htj2k-lossy': { uid: '1.2.840.10008.1.2.4.203', lossless: false, nativeToDemo: false },
} as const satisfies Record<string, { uid: string; lossless: boolean; nativeToDemo: boolean }>;

export type LossyTransferSyntaxName = keyof typeof LossyTransferSyntaxes;

/** Uncompressed syntaxes whose pixel data is plain words or bytes. */
export const NativeTransferSyntaxUIDs: ReadonlySet<string> = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

export function isTransferSyntaxName(value: string): value is TransferSyntaxName {
  return Object.hasOwn(TransferSyntaxes, value);
}
