/**
 * The URLs Crossview answers (DESIGN.md "Launch"): IHE Invoke Image Display from an EHR or RIS,
 * and the app's own routes. Parsing only; what to open is decided by the store.
 */
export type Route =
  | { kind: 'home' }
  | { kind: 'launch-patient'; patientID: string }
  | { kind: 'launch-study'; StudyInstanceUIDs: string[] }
  | { kind: 'patient'; linkId: string }
  | { kind: 'audit' }
  | { kind: 'invalid'; message: string };

export function parseRoute(pathname: string, search: string): Route {
  const params = new URLSearchParams(search);
  if (pathname === '/IHEInvokeImageDisplay') {
    const requestType = (params.get('requestType') ?? '').toUpperCase();
    if (requestType === 'PATIENT') {
      const patientID = params.get('patientID');
      return patientID ? { kind: 'launch-patient', patientID } : { kind: 'invalid', message: 'The launch link asks for a patient but names no patientID' };
    }
    if (requestType === 'STUDY') {
      const uids = (params.get('studyUID') ?? '').split(',').map((uid) => uid.trim()).filter(Boolean);
      if (uids.length === 0) return { kind: 'invalid', message: 'The launch link asks for a study but names no studyUID' };
      if (uids.some((uid) => !/^[0-9.]{1,64}$/.test(uid))) return { kind: 'invalid', message: 'The launch link names a study UID that is not a valid DICOM UID' };
      return { kind: 'launch-study', StudyInstanceUIDs: uids };
    }
    return { kind: 'invalid', message: `Unsupported requestType "${requestType}" (Crossview opens PATIENT and STUDY)` };
  }
  if (pathname === '/audit') return { kind: 'audit' };
  const patient = /^\/patient\/([^/]+)$/.exec(pathname);
  if (patient?.[1]) return { kind: 'patient', linkId: decodeURIComponent(patient[1]) };
  return { kind: 'home' };
}
