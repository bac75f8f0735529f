import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { coerceIdentity, dicomDateTime } from './coerce';

const { DicomDict, DicomMessage, DicomMetaDictionary } = dcmjs.data;

function part10(dataset: Record<string, unknown>): ArrayBuffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
    MediaStorageSOPInstanceUID: '1.2.3.4.5',
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1096.1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return dict.write();
}

const source = {
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.2',
  SOPInstanceUID: '1.2.3.4.5',
  StudyInstanceUID: '1.2.3',
  SeriesInstanceUID: '1.2.3.4',
  PatientName: 'FAIRWEATHER^Casey',
  PatientID: 'NC242127',
  IssuerOfPatientID: 'NCC',
  Modality: 'CT',
  Rows: 2,
  Columns: 2,
  BitsAllocated: 16,
  BitsStored: 16,
  HighBit: 15,
  PixelRepresentation: 0,
  SamplesPerPixel: 1,
  PhotometricInterpretation: 'MONOCHROME2',
  _vrMap: { PixelData: 'OW' },
  PixelData: [new Uint16Array([1, 2, 3, 4]).buffer],
};

const identity = { PatientID: '5526506', IssuerOfPatientID: 'MII', nationalId: '9990764875', nationalIdIssuer: 'NHS', previousSource: 'Northgate Cancer Centre' };
const at = new Date('2026-11-23T19:06:00.123Z');

function readBack(bytes: ArrayBuffer): Record<string, unknown> {
  return DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(bytes).dict);
}

describe('coerceIdentity', () => {
  it('files the instance under the target local ID, keeps the NHS number and the replaced ID', () => {
    const back = readBack(coerceIdentity(part10(source), identity, at));
    expect(back.PatientID).toBe('5526506');
    expect(back.IssuerOfPatientID).toBe('MII');
    const others = back.OtherPatientIDsSequence as Record<string, unknown>[];
    expect(others).toEqual([expect.objectContaining({ PatientID: '9990764875', IssuerOfPatientID: 'NHS', TypeOfPatientID: 'TEXT' })]);
    const original = back.OriginalAttributesSequence as Record<string, unknown>[];
    expect(original).toHaveLength(1);
    expect(original[0]).toMatchObject({ ModifyingSystem: 'Crossview', ReasonForTheAttributeModification: 'COERCE', SourceOfPreviousValues: 'Northgate Cancer Centre', AttributeModificationDateTime: '20261123190600.123000+0000' });
    const modified = original[0]!.ModifiedAttributesSequence as Record<string, unknown>[];
    expect(modified[0]).toMatchObject({ PatientID: 'NC242127', IssuerOfPatientID: 'NCC' });
  });

  it('leaves everything else as it was, pixel data included', () => {
    const back = readBack(coerceIdentity(part10(source), identity, at));
    expect(back.PatientName).toEqual([{ Alphabetic: 'FAIRWEATHER^Casey' }]);
    expect(back.SOPInstanceUID).toBe('1.2.3.4.5');
    expect(Array.from(new Uint16Array((back.PixelData as ArrayBuffer[])[0]!))).toEqual([1, 2, 3, 4]);
  });

  it('keeps other IDs already in the sequence and does not add the NHS number twice', () => {
    const withNhs = { ...source, OtherPatientIDsSequence: [{ PatientID: '999 076 4875', IssuerOfPatientID: 'NHS' }, { PatientID: 'OLD1', IssuerOfPatientID: 'X' }] };
    const back = readBack(coerceIdentity(part10(withNhs), identity, at));
    const others = back.OtherPatientIDsSequence as Record<string, unknown>[];
    expect(others.map((o) => o.PatientID)).toEqual(['999 076 4875', 'OLD1']);
  });

  it('adds no modification record to an instance already filed under the target ID with the NHS number', () => {
    const already = { ...source, PatientID: '5526506', IssuerOfPatientID: 'MII', OtherPatientIDsSequence: [{ PatientID: '9990764875', IssuerOfPatientID: 'NHS' }] };
    const back = readBack(coerceIdentity(part10(already), identity, at));
    expect(back.OriginalAttributesSequence).toBeUndefined();
  });

  it('says clearly when the bytes are not DICOM', () => {
    expect(() => coerceIdentity(new TextEncoder().encode('not a dicom file at all, just text '.repeat(10)).buffer, identity, at)).toThrow(/coerceIdentity: not a readable DICOM file/);
  });

  it('writes DICOM DT in UTC', () => {
    expect(dicomDateTime(new Date('2001-02-03T04:05:06.007Z'))).toBe('20010203040506.007000+0000');
  });
});
