/** Window presets radiologists expect on number keys, in HU (CT) terms. */
export interface WindowPreset {
  id: 'soft-tissue' | 'lung' | 'bone' | 'brain';
  label: string;
  /** Key that applies it (PACS convention: number row). */
  key: string;
  windowWidth: number;
  windowCenter: number;
}

export const CtWindowPresets: readonly WindowPreset[] = [
  { id: 'soft-tissue', label: 'Soft tissue', key: '1', windowWidth: 400, windowCenter: 40 },
  { id: 'lung', label: 'Lung', key: '2', windowWidth: 1500, windowCenter: -600 },
  { id: 'bone', label: 'Bone', key: '3', windowWidth: 2000, windowCenter: 300 },
  { id: 'brain', label: 'Brain', key: '4', windowWidth: 80, windowCenter: 40 },
];

export function presetForKey(key: string): WindowPreset | undefined {
  return CtWindowPresets.find((preset) => preset.key === key);
}

/**
 * The grey level (0–255) the DICOM linear VOI function (PS3.3 C.11.2.1.2.1) gives a value.
 * Used to state what a window should show, e.g. in pixel-truth tests.
 */
export function greyLevelFor(value: number, windowWidth: number, windowCenter: number): number {
  const lower = windowCenter - 0.5 - (windowWidth - 1) / 2;
  const upper = windowCenter - 0.5 + (windowWidth - 1) / 2;
  if (value <= lower) return 0;
  if (value > upper) return 255;
  return ((value - (windowCenter - 0.5)) / (windowWidth - 1) + 0.5) * 255;
}
