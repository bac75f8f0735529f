import { describe, expect, it } from 'vitest';
import { cornerTextFor } from './cornerText';
import { formatPersonName } from '../patients/index';

describe('corner text', () => {
  it('names the patient, local ID and hospital together, and the slice with its position', () => {
    const text = cornerTextFor(
      {
        PatientName: 'Hargreaves^Margaret', PatientID: 'NCC1', siteName: 'Northgate Cancer Centre', StudyDate: '20261101',
        StudyDescription: 'CT chest', SeriesDescription: 'Axial 1.5mm', Modality: 'CT', index: 109, total: 220, position: -3.25,
        window: { windowWidth: 1500, windowCenter: -600 },
      },
      (d) => `date:${d}`,
    );
    expect(text.topLeft).toEqual(['HARGREAVES, Margaret', 'NCC1 · Northgate Cancer Centre']);
    expect(text.topRight).toEqual(['date:20261101', 'CT chest', 'CT Axial 1.5mm']);
    expect(text.bottomLeft).toEqual(['Im 110/220', 'Pos -3.3 mm']);
    expect(text.bottomRight).toEqual(['W 1500 L -600']);
  });

  it('formats DICOM person names and survives missing parts', () => {
    expect(formatPersonName('DOE^JOHN^Q^DR')).toBe('DOE, DR JOHN Q');
    expect(formatPersonName('')).toBe('Name unknown');
    expect(formatPersonName('Smith')).toBe('SMITH');
  });
});
