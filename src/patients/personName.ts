/** DICOM PN (`FAMILY^Given^Middle^Prefix`) as UK clinical screens write a name: `FAMILY, Prefix Given Middle`. */
export function formatPersonName(name: string): string {
  const [family = '', given = '', middle = '', prefix = ''] = name.split('^');
  const givenNames = [prefix, given, middle].filter(Boolean).join(' ');
  if (!family) return givenNames || 'Name unknown';
  return givenNames ? `${family.toUpperCase()}, ${givenNames}` : family.toUpperCase();
}
