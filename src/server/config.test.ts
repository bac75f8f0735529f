import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, resolveConfigPath } from './config';

const dir = mkdtempSync(join(tmpdir(), 'cv-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('loads a valid file and fills defaults', () => {
    const path = write('ok.json', JSON.stringify({ sites: [{ id: 'a', name: 'A', dicomweb: { url: 'http://127.0.0.1:1/dicom-web' }, patientIdIssuer: 'A' }] }));
    const result = loadConfig(path);
    expect(result.ok && result.config.sites[0]?.timeoutMs).toBe(30_000);
  });

  it('gives one line per bad field, each with its path', () => {
    const path = write('bad.json', JSON.stringify({
      sites: [
        { id: 'a', name: 'A', dicomweb: { url: 'http://127.0.0.1:1' }, patientIdIssuer: 'A' },
        { id: 'b', name: 'B', dicomweb: { url: 'nope' }, patientIdIssuer: 'B', timeoutMs: -5 },
      ],
    }));
    const result = loadConfig(path);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatch(/^sites\[1\]\.dicomweb\.url: must be an absolute http\(s\) URL/);
    expect(result.errors[1]).toMatch(/^sites\[1\]\.timeoutMs: /);
  });

  it('names the file when it is not JSON or cannot be read', () => {
    const broken = write('broken.json', '{ "sites": [ ');
    const notJson = loadConfig(broken);
    expect(!notJson.ok && notJson.errors[0]).toMatch(/broken\.json: not valid JSON/);
    const missing = loadConfig(join(dir, 'missing.json'));
    expect(!missing.ok && missing.errors[0]).toMatch(/missing\.json: cannot read \(ENOENT\)/);
  });
});

describe('resolveConfigPath', () => {
  it('prefers CROSSVIEW_CONFIG, then ./crossview.config.json, else none (the demo)', () => {
    expect(resolveConfigPath({ CROSSVIEW_CONFIG: 'x.json' }, dir)).toBe(join(dir, 'x.json'));
    expect(resolveConfigPath({}, dir)).toBeUndefined();
    write('crossview.config.json', '{}');
    expect(resolveConfigPath({}, dir)).toBe(join(dir, 'crossview.config.json'));
  });
});
