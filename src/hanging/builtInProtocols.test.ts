import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHangingProtocol } from '../contracts/index';
import { BuiltInProtocols } from './builtInProtocols';

const builtInFolder = join(import.meta.dirname, 'protocols');

describe('built-in protocols', () => {
  it('every JSON file in protocols/ validates and is one of the built-ins, the fallback last', async () => {
    const names = (await readdir(builtInFolder)).filter((name) => name.endsWith('.json'));
    const ids = [];
    for (const name of names) {
      const result = parseHangingProtocol(JSON.parse(await readFile(join(builtInFolder, name), 'utf8')));
      expect(result.ok ? [] : result.errors, name).toEqual([]);
      if (result.ok) ids.push(result.protocol.id);
    }
    expect(ids.length).toBeGreaterThanOrEqual(6);
    expect(ids.sort()).toEqual(BuiltInProtocols.map((p) => p.id).sort());
    expect(BuiltInProtocols.map((p) => p.id)).toEqual(['ct-compare', 'mr-brain', 'xr-compare', 'mg-4up', 'rt-planning', 'single-series']);
  });
});
