/**
 * A department's own protocols: every *.json file in a configured folder, read on each call so
 * a file dropped in is used without a rebuild or restart. A bad file is reported by name and
 * field and skipped; the good ones still load. The file system is passed in (the gateway hands
 * over `node:fs/promises`) so this module stays free of Node imports and the browser bundle
 * that shares hanging/ never pulls them in.
 */
import { parseHangingProtocol, type HangingProtocol, type HangingProtocolList } from '../contracts/index';

/** The two calls of `node:fs/promises` this needs. */
export interface ProtocolFileSystem {
  readdir(path: string): Promise<string[]>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
}

export interface ProtocolFileError {
  file: string;
  /** Each reads `<file>: <field path>: <reason>`. */
  errors: string[];
}

/** The gateway's answer at `HangingProtocolsPath` is exactly this. */
export type ProtocolFolder = HangingProtocolList;

/** Parses one file's text; errors name the file and the field. */
export function parseProtocolFile(file: string, text: string): { ok: true; protocol: HangingProtocol } | { ok: false; error: ProtocolFileError } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: { file, errors: [`${file}: not valid JSON (${(error as Error).message})`] } };
  }
  const result = parseHangingProtocol(document);
  if (result.ok) return result;
  return { ok: false, error: { file, errors: result.errors.map((message) => `${file}: ${message}`) } };
}

/**
 * Loads every *.json in `folder`, in name order. A missing folder is one error, not a throw.
 * @example await loadProtocolFolder('/etc/crossview/protocols', await import('node:fs/promises'))
 */
export async function loadProtocolFolder(folder: string, fs: ProtocolFileSystem): Promise<ProtocolFolder> {
  let names: string[];
  try {
    names = (await fs.readdir(folder)).filter((name) => name.toLowerCase().endsWith('.json')).sort();
  } catch (error) {
    return { protocols: [], errors: [{ file: folder, errors: [`${folder}: cannot read the protocol folder (${reasonOf(error)})`] }] };
  }
  const protocols: HangingProtocol[] = [];
  const errors: ProtocolFileError[] = [];
  const fileOf = new Map<string, string>();
  for (const name of names) {
    let text: string;
    try {
      text = await fs.readFile(`${folder.replace(/[\\/]+$/, '')}/${name}`, 'utf8');
    } catch (error) {
      errors.push({ file: name, errors: [`${name}: cannot be read (${reasonOf(error)})`] });
      continue;
    }
    const parsed = parseProtocolFile(name, text);
    if (!parsed.ok) {
      errors.push(parsed.error);
      continue;
    }
    const earlier = fileOf.get(parsed.protocol.id);
    if (earlier) {
      errors.push({ file: name, errors: [`${name}: id: duplicate protocol id "${parsed.protocol.id}" (also in ${earlier})`] });
      continue;
    }
    fileOf.set(parsed.protocol.id, name);
    protocols.push(parsed.protocol);
  }
  return { protocols, errors };
}

/** `ENOENT` and friends when the file system gave a code; the message otherwise. */
function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message ?? error);
}
