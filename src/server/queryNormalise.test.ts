import { describe, expect, it } from 'vitest';
import { normaliseQueryForSite, targetUrl } from './proxy';

describe('normaliseQueryForSite', () => {
  it('sends list commas, PN carets and wildcards raw, as Orthanc needs them', () => {
    expect(normaliseQueryForSite('?includefield=00081030%2C00080050&PatientName=DOE%5EJ%2A')).toBe('?includefield=00081030,00080050&PatientName=DOE^J*');
  });

  it('keeps separators, spaces and percent signs encoded so the query parses the same', () => {
    expect(normaliseQueryForSite('?StudyDescription=A%26B%3DC%2BD%20E%25&x=%23')).toBe('?StudyDescription=A%26B%3DC%2BD%20E%25&x=%23');
  });

  it('keeps non-ASCII bytes encoded', () => {
    expect(normaliseQueryForSite('?PatientName=M%C3%BCller')).toBe('?PatientName=M%C3%BCller');
  });

  it('applies to the URL the gateway forwards', () => {
    expect(targetUrl('http://127.0.0.1:8042/dicom-web/', 'studies', '?StudyInstanceUID=1.2%2C1.3')?.href).toBe('http://127.0.0.1:8042/dicom-web/studies?StudyInstanceUID=1.2,1.3');
  });
});
