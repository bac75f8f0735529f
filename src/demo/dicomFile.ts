/**
 * Part-10 encoding through dcmjs. Datasets are dcmjs "natural" records keyed by DICOM keyword;
 * this is the one place that adds the file meta header and turns them into bytes.
 */
import dcmjs from 'dcmjs';
import { ImplementationClassUID, ImplementationVersionName } from './uids';

export type NaturalDataset = Record<string, unknown>;

export const ExplicitVRLittleEndian = '1.2.840.10008.1.2.1';
export const JPEGBaselineProcess1 = '1.2.840.10008.1.2.4.50';

const { DicomDict, DicomMetaDictionary } = dcmjs.data;

/**
 * Encodes a dataset as a Part-10 file. For encapsulated transfer syntaxes, `PixelData` must be
 * an array of compressed frames; each frame goes into one fragment after a basic offset table.
 */
export function encodePart10(dataset: NaturalDataset, transferSyntaxUID = ExplicitVRLittleEndian): Uint8Array {
  const SOPClassUID = dataset.SOPClassUID;
  const SOPInstanceUID = dataset.SOPInstanceUID;
  if (typeof SOPClassUID !== 'string' || typeof SOPInstanceUID !== 'string') {
    throw new Error('encodePart10: dataset needs SOPClassUID and SOPInstanceUID');
  }
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: SOPClassUID,
    MediaStorageSOPInstanceUID: SOPInstanceUID,
    TransferSyntaxUID: transferSyntaxUID,
    ImplementationClassUID,
    ImplementationVersionName,
  };
  const dicomDict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dicomDict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dicomDict.write({ fragmentMultiframe: false }));
}

/** Reads a Part-10 file into a natural dataset plus its transfer syntax. */
export function decodePart10(bytes: Uint8Array): { dataset: NaturalDataset; transferSyntaxUID: string } {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const dicomDict = dcmjs.data.DicomMessage.readFile(buffer);
  const ts = dicomDict.meta['00020010']?.Value?.[0];
  return {
    dataset: DicomMetaDictionary.naturalizeDataset(dicomDict.dict),
    transferSyntaxUID: typeof ts === 'string' ? ts : '',
  };
}

/** A code sequence item (CodeValue, CodingSchemeDesignator, CodeMeaning). */
export function code(CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): NaturalDataset {
  return { CodeValue, CodingSchemeDesignator, CodeMeaning };
}
