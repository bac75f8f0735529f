/**
 * Transfer syntaxes a local file may be in, and what each needs of its Pixel Data: native
 * syntaxes hold Rows × Columns × samples × bits per frame; encapsulated ones hold fragments whose
 * first bytes name the codec. The viewer decodes every syntax listed here.
 */

export interface TransferSyntaxInfo {
  name: string;
  /** Native (uncompressed) pixel data, or encapsulated fragments. */
  encoding: 'native' | 'encapsulated';
  /** How an encapsulated frame starts, to catch a file labelled with the wrong syntax. */
  frameStart?: 'jpeg' | 'j2k' | 'rle';
}

export const ImplicitVRLittleEndian = '1.2.840.10008.1.2';
export const DeflatedExplicitVRLittleEndian = '1.2.840.10008.1.2.1.99';
export const ExplicitVRBigEndian = '1.2.840.10008.1.2.2';

export const KnownTransferSyntaxes: Readonly<Record<string, TransferSyntaxInfo>> = {
  [ImplicitVRLittleEndian]: { name: 'Implicit VR Little Endian', encoding: 'native' },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', encoding: 'native' },
  [DeflatedExplicitVRLittleEndian]: { name: 'Deflated Explicit VR Little Endian', encoding: 'native' },
  [ExplicitVRBigEndian]: { name: 'Explicit VR Big Endian', encoding: 'native' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline', encoding: 'encapsulated', frameStart: 'jpeg' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended', encoding: 'encapsulated', frameStart: 'jpeg' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless', encoding: 'encapsulated', frameStart: 'jpeg' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless SV1', encoding: 'encapsulated', frameStart: 'jpeg' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', encoding: 'encapsulated', frameStart: 'jpeg' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-lossless', encoding: 'encapsulated', frameStart: 'jpeg' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', encoding: 'encapsulated', frameStart: 'j2k' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', encoding: 'encapsulated', frameStart: 'j2k' },
  '1.2.840.10008.1.2.4.201': { name: 'HTJ2K Lossless', encoding: 'encapsulated', frameStart: 'j2k' },
  '1.2.840.10008.1.2.4.202': { name: 'HTJ2K Lossless RPCL', encoding: 'encapsulated', frameStart: 'j2k' },
  '1.2.840.10008.1.2.4.203': { name: 'HTJ2K', encoding: 'encapsulated', frameStart: 'j2k' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', encoding: 'encapsulated', frameStart: 'rle' },
};

/** Syntaxes that exist but that this viewer cannot show (video, JPIP references). */
const UnsupportedTransferSyntaxes: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2.4.100': 'MPEG2 video',
  '1.2.840.10008.1.2.4.101': 'MPEG2 video',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.104': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.105': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.106': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.107': 'HEVC video',
  '1.2.840.10008.1.2.4.108': 'HEVC video',
  '1.2.840.10008.1.2.4.94': 'JPIP referenced',
  '1.2.840.10008.1.2.4.95': 'JPIP referenced deflate',
};

/** Why a syntax cannot be read, or undefined when it can. */
export function transferSyntaxProblem(uid: string): string | undefined {
  if (KnownTransferSyntaxes[uid]) return undefined;
  const unsupported = UnsupportedTransferSyntaxes[uid];
  if (unsupported) return `unsupported transfer syntax ${uid} (${unsupported})`;
  return uid ? `unknown transfer syntax ${uid}` : 'no transfer syntax in the file meta header';
}

/** Whether an encapsulated frame's first bytes fit its syntax's codec. */
export function frameStartFits(kind: TransferSyntaxInfo['frameStart'], head: Uint8Array): boolean {
  switch (kind) {
    case 'jpeg':
      return head[0] === 0xff && head[1] === 0xd8;
    case 'j2k':
      // A raw codestream (SOC marker) or a JP2 file's signature box.
      return (head[0] === 0xff && head[1] === 0x4f) || (head[4] === 0x6a && head[5] === 0x50 && head[6] === 0x20 && head[7] === 0x20);
    case 'rle': {
      // The RLE header: 16 little-endian 32-bit words, a segment count of 1 to 15, the first segment at 64.
      if (head.length < 64) return false;
      const segments = head[0]! | (head[1]! << 8) | (head[2]! << 16) | (head[3]! << 24);
      const first = head[4]! | (head[5]! << 8) | (head[6]! << 16) | (head[7]! << 24);
      return segments >= 1 && segments <= 15 && first === 64;
    }
    case undefined:
      return true;
  }
}
