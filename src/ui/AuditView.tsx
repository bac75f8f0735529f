/**
 * The admin's audit log: a filter form and the matching events, newest first. Thin: the request
 * and its checking live in `sites/auditClient`; the gateway refuses anyone who is not an admin.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { AuditActionValues, type AuditAction } from '../contracts/index';
import { fetchAuditEvents, NoAuditFilters, type AuditAnswer, type AuditFilters } from '../sites/index';

export function AuditView() {
  const [filters, setFilters] = useState<AuditFilters>(NoAuditFilters);
  const [answer, setAnswer] = useState<AuditAnswer | undefined>();
  const load = (wanted: AuditFilters) => {
    setAnswer(undefined);
    void fetchAuditEvents(window.location.origin, wanted).then(setAnswer);
  };
  useEffect(() => {
    // The first answer arrives asynchronously; the initial state already says "loading".
    void fetchAuditEvents(window.location.origin, NoAuditFilters).then(setAnswer);
  }, []);
  const field = (key: keyof AuditFilters) => ({ name: key, value: filters[key], onChange: (e: { target: { value: string } }) => setFilters({ ...filters, [key]: e.target.value }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    load(filters);
  };
  return (
    <main className="audit-view" data-audit-view="">
      <header className="audit-header">
        <h1>Audit log</h1>
        <a href="/">Back to the viewer</a>
      </header>
      <form className="audit-filters" onSubmit={submit} aria-label="Filter the audit log">
        <label>
          User
          <input {...field('user')} autoComplete="off" />
        </label>
        <label>
          Patient ID
          <input {...field('patientId')} autoComplete="off" />
        </label>
        <label>
          From
          <input type="date" {...field('from')} />
        </label>
        <label>
          To
          <input type="date" {...field('to')} />
        </label>
        <label>
          Action
          <select {...field('action')} onChange={(e) => setFilters({ ...filters, action: e.target.value as AuditAction | '' })}>
            <option value="">any</option>
            {AuditActionValues.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      {answer === undefined && <p role="status">Loading the audit log…</p>}
      {answer && answer.kind !== 'ok' && (
        <p className="launch-error" role="alert" data-audit-error={answer.kind}>
          {answer.message}
        </p>
      )}
      {answer?.kind === 'ok' && (
        <>
          <p data-audit-count={answer.events.length}>
            {answer.events.length} event(s){answer.truncated ? ', the newest only: narrow the filters to see older ones' : ''}
          </p>
          <table className="audit-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>User</th>
                <th>Site</th>
                <th>Action</th>
                <th>Patient IDs</th>
                <th>Study</th>
                <th>Outcome</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {answer.events.map((event, i) => (
                <tr key={`${event.time}-${i}`} data-audit-row="" data-audit-action={event.action} data-audit-outcome={event.outcome}>
                  <td>{event.time.replace('T', ' ').replace('Z', '')}</td>
                  <td>{event.user}</td>
                  <td>{event.site ?? '—'}</td>
                  <td>{event.action}</td>
                  <td>{event.patientIds.join(', ')}</td>
                  <td>{event.studyUid ?? '—'}</td>
                  <td>{event.outcome}</td>
                  <td>{event.detail ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
