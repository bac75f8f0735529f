/** What an import writes into each instance: the site's ID and its own record's demographics, the files' values kept. */
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { coerceIdentity } from '../transfer/index';

const { DicomDict, DicomMessage, DicomMetaDictionary } = dcmjs.data;

function part10(dataset: Record<string, unknown>): ArrayBuffer {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    MediaStorageSOPInstanceUID: '1.2.3.4.5',
    TransferSyntaxUID: '1.2.840.10008.1.2.1',
    ImplementationClassUID: '1.2.826.0.1.3680043.10.1096.1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return dict.write();
}

const files = part10({
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
  SOPInstanceUID: '1.2.3.4.5',
  StudyInstanceUID: '1.2.3',
  PatientName: 'Fairweather^Casey',
  PatientID: 'SBGH1',
  IssuerOfPatientID: 'SBGH',
  PatientBirthDate: '19661119',
  PatientSex: 'M',
});

describe('import coercion', () => {
  it("writes the site's ID and record demographics, and keeps the files' own values in OriginalAttributesSequence", () => {
    const out = coerceIdentity(
      files,
      {
        PatientID: 'NC1',
        IssuerOfPatientID: 'NCC',
        nationalId: '',
        nationalIdIssuer: 'NHS',
        previousSource: 'Local files (SBGH)',
        demographics: { PatientName: 'FAIRWEATHER^Casey^J', PatientBirthDate: '19661119', PatientSex: 'M' },
      },
      new Date('2026-11-23T19:00:00Z'),
    );
    const dataset = DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(out).dict) as Record<string, unknown>;
    expect(dataset.PatientID).toBe('NC1');
    expect(dataset.PatientName).toEqual([{ Alphabetic: 'FAIRWEATHER^Casey^J' }]);
    // No national ID on either side: none is invented.
    expect(dataset.OtherPatientIDsSequence).toBeUndefined();
    const original = (dataset.OriginalAttributesSequence as Record<string, unknown>[]).at(-1)!;
    const modified = (original.ModifiedAttributesSequence as Record<string, unknown>[])[0]!;
    expect(modified.PatientID).toBe('SBGH1');
    expect(modified.PatientName).toEqual([{ Alphabetic: 'Fairweather^Casey' }]);
    // Unchanged values are not recorded as changed.
    expect(modified.PatientBirthDate).toBeUndefined();
    expect(original.SourceOfPreviousValues).toBe('Local files (SBGH)');
  });
});
