/**
 * Image IDs of local files (a CD opened in the browser): the `cvlocal:` scheme in the WADO-RS
 * path shape, so multi-frame metadata is found per frame the same way. No Cornerstone here.
 */
export const LocalImageScheme = 'cvlocal';

/** `cvlocal:local/studies/<st>/series/<se>/instances/<sop>/frames/<n>` */
export function localImageId(StudyInstanceUID: string, SeriesInstanceUID: string, SOPInstanceUID: string, frame: number): string {
  return `${LocalImageScheme}:local/studies/${StudyInstanceUID}/series/${SeriesInstanceUID}/instances/${SOPInstanceUID}/frames/${frame}`;
}
