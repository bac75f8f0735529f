/**
 * The Image Pixel module (PS3.3 C.7.6.3) every demo greyscale image shares: 12 bits stored in
 * 16, unsigned, MONOCHROME2, as CT, MR and CR scanners commonly write.
 */
export function monochrome12(rows: number, columns: number) {
  return {
    Rows: rows,
    Columns: columns,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
  } as const;
}
