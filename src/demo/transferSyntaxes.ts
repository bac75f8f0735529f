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

/** Uncompressed syntaxes whose pixel data is plain words or bytes. */
export const NativeTransferSyntaxUIDs: ReadonlySet<string> = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

export function isTransferSyntaxName(value: string): value is TransferSyntaxName {
  return Object.hasOwn(TransferSyntaxes, value);
}
