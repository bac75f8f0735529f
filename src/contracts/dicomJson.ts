/**
 * DICOM JSON (PS3.18 F.2) as DICOMweb sends it: tag-keyed elements with a VR and a Value array.
 * Both the gateway (folder sites, patient index) and the browser (`sites/`) read and write it.
 */
export interface PersonNameValue {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

export interface DicomJsonElement {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}

/** `{"00100020": {vr: "LO", Value: ["X1"]}}` */
export type DicomJsonDataset = Record<string, DicomJsonElement>;
