/**
 * Reading crossview.config.json. Validation lives in src/contracts (shared with the browser);
 * here we only turn "file missing / not JSON / invalid" into one clear line per problem, so
 * `main.ts` can print them and exit without a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig, type CrossviewConfig } from '../contracts/index';

export type ConfigLoadResult = { ok: true; config: CrossviewConfig; path: string } | { ok: false; errors: string[] };

/** Reads and validates one config file; every error line starts with the file or field it is about. */
export function loadConfig(path: string): ConfigLoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${path}: not valid JSON (${(error as Error).message})`] };
  }
  const parsed = parseConfig(json);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  return { ok: true, config: parsed.config, path };
}

/**
 * Which config file applies: `CROSSVIEW_CONFIG` when set (it must exist), else
 * `./crossview.config.json` when present, else none (the embedded demo runs).
 */
export function resolveConfigPath(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const fromEnv = env.CROSSVIEW_CONFIG;
  if (fromEnv) return resolve(cwd, fromEnv);
  const local = resolve(cwd, 'crossview.config.json');
  return existsSync(local) ? local : undefined;
}
