/**
 * Which media type a frame is sent as, for the transfer syntax it is stored in (PS3.18 Table
 * 8.7.3-2). The folder site never transcodes: it sends stored bytes, labelled with their syntax.
 */
export const ExplicitVRLittleEndian = '1.2.840.10008.1.2.1';
export const DeflatedExplicitVRLittleEndian = '1.2.840.10008.1.2.1.99';
const NATIVE = new Set(['1.2.840.10008.1.2', ExplicitVRLittleEndian, '1.2.840.10008.1.2.2', DeflatedExplicitVRLittleEndian]);

const COMPRESSED: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'image/jpeg',
  '1.2.840.10008.1.2.4.51': 'image/jpeg',
  '1.2.840.10008.1.2.4.57': 'image/jpeg',
  '1.2.840.10008.1.2.4.70': 'image/jpeg',
  '1.2.840.10008.1.2.4.80': 'image/jls',
  '1.2.840.10008.1.2.4.81': 'image/jls',
  '1.2.840.10008.1.2.4.90': 'image/jp2',
  '1.2.840.10008.1.2.4.91': 'image/jp2',
  '1.2.840.10008.1.2.4.201': 'image/jphc',
  '1.2.840.10008.1.2.4.202': 'image/jphc',
  '1.2.840.10008.1.2.4.203': 'image/jphc',
  '1.2.840.10008.1.2.5': 'image/dicom-rle',
};

export function isNativeSyntax(transferSyntaxUID: string): boolean {
  return NATIVE.has(transferSyntaxUID);
}

/**
 * Media type and the transfer syntax the frame bytes are in. Native frames are little-endian
 * uncompressed bytes whatever the file's syntax (a deflated file inflates to explicit VR LE);
 * implicit VR LE keeps its own UID, as Orthanc does.
 */
export function frameMediaType(transferSyntaxUID: string): { mediaType: string; transferSyntaxUID: string } {
  if (transferSyntaxUID === DeflatedExplicitVRLittleEndian) return { mediaType: 'application/octet-stream', transferSyntaxUID: ExplicitVRLittleEndian };
  if (NATIVE.has(transferSyntaxUID)) return { mediaType: 'application/octet-stream', transferSyntaxUID };
  return { mediaType: COMPRESSED[transferSyntaxUID] ?? 'application/octet-stream', transferSyntaxUID };
}

/**
 * Whether an Accept header lets us send the stored syntax. Absent, `*\/*`, `transfer-syntax=*`,
 * the stored media type without a syntax, or the exact stored syntax are all fine; anything else
 * would need transcoding, which the folder site does not do.
 */
export function acceptsStoredFrames(accept: string | undefined, stored: { mediaType: string; transferSyntaxUID: string }): boolean {
  if (!accept || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const params = new Map<string, string>();
    const [type = '', ...rest] = range.split(';').map((s) => s.trim());
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
    }
    const mediaType = type.toLowerCase() === 'multipart/related' ? (params.get('type') ?? '*/*').toLowerCase() : type.toLowerCase();
    const syntax = params.get('transfer-syntax');
    if (syntax === '*') return true;
    if (mediaType === '*/*' || mediaType === '*') return syntax === undefined || syntax === stored.transferSyntaxUID;
    if (mediaType !== stored.mediaType) return false;
    if (syntax !== undefined) return syntax === stored.transferSyntaxUID;
    // Without a syntax, octet-stream means Explicit VR Little Endian (PS3.18 8.7.3.5.2).
    return stored.mediaType !== 'application/octet-stream' || stored.transferSyntaxUID === ExplicitVRLittleEndian || stored.transferSyntaxUID === '1.2.840.10008.1.2';
  });
}
