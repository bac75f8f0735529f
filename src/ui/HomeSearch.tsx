import { useState, type FormEvent } from 'react';
import { parseCxPatientId } from '../patients/index';
import { useCrossview, useCrossviewStore } from './storeContext';

/** Start page: find a patient by NHS number or by a local ID with its issuer. */
export function HomeSearch() {
  const store = useCrossviewStore();
  const nationalIdIssuer = useCrossview((s) => s.nationalIdIssuer);
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const cx = text.includes('^') ? text : `${text}^^^${nationalIdIssuer}`;
    const parsed = parseCxPatientId(cx, nationalIdIssuer);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(undefined);
    window.history.pushState(null, '', `/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${encodeURIComponent(cx)}`);
    void store.getState().openPatient(parsed.query);
  };
  return (
    <main className="home">
      <form onSubmit={submit} className="search">
        <label htmlFor="patient-search">Find a patient at every hospital</label>
        <input id="patient-search" value={text} onChange={(e) => setText(e.target.value)} placeholder={`${nationalIdIssuer} number, or LOCALID^^^ISSUER`} autoFocus />
        <button type="submit">Search</button>
        {error && <p className="error" role="alert">{error}</p>}
      </form>
    </main>
  );
}
