import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

const validSite = {
  id: 'site-a',
  name: 'Northgate Cancer Centre',
  dicomweb: { url: 'http://127.0.0.1:8042/dicom-web' },
  patientIdIssuer: 'NCC',
};

describe('parseConfig', () => {
  it('accepts a minimal config and fills defaults', () => {
    const result = parseConfig({ sites: [validSite] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sites[0]?.auth).toEqual({ type: 'none' });
    expect(result.config.sites[0]?.timeoutMs).toBe(30_000);
    expect(result.config.identity.nationalIdIssuer).toBe('NHS');
  });

  it('accepts a folder-backed site with basic auth omitted', () => {
    const result = parseConfig({ sites: [{ id: 'cd', name: 'CD import', folder: { path: '/tmp/x' }, patientIdIssuer: 'CD' }] });
    expect(result.ok).toBe(true);
  });

  it('reports one error per bad field, each with its path', () => {
    const result = parseConfig({
      sites: [
        validSite,
        { id: 'Bad Id', name: '', dicomweb: { url: 'not a url' }, patientIdIssuer: 'X', auth: { type: 'basic', username: 'u' } },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const joined = result.errors.join('\n');
    expect(joined).toMatch(/^sites\[1\]\.id: must be lower-case/m);
    expect(joined).toMatch(/^sites\[1\]\.name: must name the hospital/m);
    expect(joined).toMatch(/^sites\[1\]\.dicomweb\.url: must be an absolute/m);
    expect(joined).toMatch(/^sites\[1\]\.auth\.password:/m);
  });

  it('rejects a site with neither or both of dicomweb and folder', () => {
    const neither = parseConfig({ sites: [{ id: 'x', name: 'X', patientIdIssuer: 'X' }] });
    const both = parseConfig({ sites: [{ ...validSite, folder: { path: '/tmp' } }] });
    for (const result of [neither, both]) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toContain('sites[0]: needs exactly one of "dicomweb" or "folder"');
    }
  });

  it('rejects duplicate site ids and unknown fields', () => {
    const result = parseConfig({ sites: [validSite, { ...validSite }], extra: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain('sites[1].id: duplicate site id "site-a"');
    expect(result.errors.some((e) => e.startsWith('(config): Unrecognized key') || e.includes('extra'))).toBe(true);
  });

  it('rejects an empty site list', () => {
    const result = parseConfig({ sites: [] });
    expect(result).toEqual({ ok: false, errors: ['sites: must list at least one site'] });
  });
});

describe('parseConfig: patient index settings', () => {
  it('fills indexer and patient index defaults, so older configs stay valid', () => {
    const result = parseConfig({ sites: [validSite] });
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.config.indexer).toEqual({ enabled: true, intervalMs: 900_000, lookbackYears: 10, concurrencyPerSite: 2 });
    expect(result.config.patientIndex.path).toBe('.cache/patient-index/index.jsonl');
    expect(result.config.database).toBeUndefined();
  });

  it('rejects a database URL that is not postgres and an interval under a second', () => {
    const result = parseConfig({ sites: [validSite], database: { url: 'mysql://x' }, indexer: { intervalMs: 10 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContain('database.url: must be a postgres:// URL');
    expect(result.errors.some((e) => e.startsWith('indexer.intervalMs:'))).toBe(true);
  });

  it('gives the viewer a 1 GiB image memory budget unless configured, and refuses a tiny one', () => {
    const result = parseConfig({ sites: [validSite] });
    expect(result.ok && result.config.viewer.cacheBudgetMiB).toBe(1024);
    const small = parseConfig({ sites: [validSite], viewer: { cacheBudgetMiB: 200 } });
    expect(small.ok && small.config.viewer.cacheBudgetMiB).toBe(200);
    expect(parseConfig({ sites: [validSite], viewer: { cacheBudgetMiB: 10 } })).toEqual({ ok: false, errors: ['viewer.cacheBudgetMiB: Too small: expected number to be >=64'] });
  });
});

describe('parseConfig: hanging protocols', () => {
  it('needs no protocol folder, so older configs and the demo stay valid', () => {
    const result = parseConfig({ sites: [validSite] });
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.config.hanging?.protocolFolder).toBeUndefined();
  });

  it('takes a department protocol folder and names a bad or unknown field', () => {
    const good = parseConfig({ sites: [validSite], hanging: { protocolFolder: '/etc/crossview/protocols' } });
    expect(good.ok && good.config.hanging?.protocolFolder).toBe('/etc/crossview/protocols');
    const empty = parseConfig({ sites: [validSite], hanging: { protocolFolder: '' } });
    expect(empty).toEqual({ ok: false, errors: ['hanging.protocolFolder: must name a folder (leave "protocolFolder" out for none)'] });
    const unknown = parseConfig({ sites: [validSite], hanging: { folder: '/x' } });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors.some((e) => e.startsWith('hanging: Unrecognized key') && e.includes('folder'))).toBe(true);
  });
});
