import { useState, type FormEvent } from 'react';
import { linkIdFor, parseCxPatientId, parseDemographicSearch, type PatientQueryResult } from '../patients/index';
import { useCrossview, useCrossviewStore } from './storeContext';

type Mode = 'national' | 'local' | 'demographics';

/** Start page: find a patient by NHS number, by a hospital's local ID, or by name and birth date. */
export function HomeSearch() {
  const store = useCrossviewStore();
  const nationalIdIssuer = useCrossview((s) => s.nationalIdIssuer);
  const siteOrder = useCrossview((s) => s.siteOrder);
  const sites = useCrossview((s) => s.sites);
  const [mode, setMode] = useState<Mode>('national');
  const [id, setId] = useState('');
  const [siteId, setSiteId] = useState('');
  const [name, setName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [error, setError] = useState<string>();

  const parse = (): PatientQueryResult => {
    if (mode === 'national') return parseCxPatientId(`${id}^^^${nationalIdIssuer}`, nationalIdIssuer);
    if (mode === 'local') {
      const site = sites[siteId || siteOrder[0] || ''];
      if (!site) return { ok: false, message: 'Choose the hospital that issued this ID' };
      return parseCxPatientId(`${id}^^^${site.patientIdIssuer}`, nationalIdIssuer);
    }
    return parseDemographicSearch(name, birthDate);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parse();
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(undefined);
    window.history.pushState(null, '', `/patient/${encodeURIComponent(linkIdFor(parsed.query))}`);
    void store.getState().openPatient(parsed.query);
  };
  const modes: [Mode, string][] = [
    ['national', `${nationalIdIssuer} number`],
    ['local', 'Hospital ID'],
    ['demographics', 'Name + birth date'],
  ];
  return (
    <main className="home">
      <form onSubmit={submit} className="search" aria-label="Find a patient">
        <h1>Find a patient at every hospital</h1>
        <div role="tablist" className="search-modes">
          {modes.map(([value, label]) => (
            <button key={value} type="button" role="tab" aria-selected={mode === value} onClick={() => setMode(value)}>
              {label}
            </button>
          ))}
        </div>
        {mode === 'national' && (
          <input aria-label={`${nationalIdIssuer} number`} value={id} onChange={(e) => setId(e.target.value)} placeholder="e.g. 943 476 5919" autoFocus />
        )}
        {mode === 'local' && (
          <>
            <select aria-label="Hospital" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
              {siteOrder.map((sid) => (
                <option key={sid} value={sid}>
                  {sites[sid]?.name} ({sites[sid]?.patientIdIssuer})
                </option>
              ))}
            </select>
            <input aria-label="Local patient ID" value={id} onChange={(e) => setId(e.target.value)} placeholder="ID at that hospital" />
          </>
        )}
        {mode === 'demographics' && (
          <>
            <input aria-label="Family and given name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Family name, given name" />
            <input aria-label="Birth date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} placeholder="DD/MM/YYYY" />
            <p className="muted">A name and birth date find possible matches only: you confirm each one.</p>
          </>
        )}
        <button type="submit">Search</button>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
