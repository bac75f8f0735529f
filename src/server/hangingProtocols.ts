/**
 * `GET /api/hanging-protocols`: a department's own hanging protocols, every `*.json` file directly
 * in the configured folder (config `hanging.protocolFolder`). The folder is read on every request,
 * never cached, so a file dropped in is used by the next study hung, with no rebuild or restart.
 * A bad file is reported by name and field (`<file>: <field path>: <reason>`) and skipped; the
 * good ones are still served. The answer always has the `HangingProtocolListSchema` shape and
 * status 200: a missing or unreadable folder is an error in the list, not a failed request.
 *
 * Only plain files named `*.json` directly in the folder are read (no links, no subfolders, no
 * paths from the request), each at most `MaxProtocolFileBytes`, so the endpoint cannot be used to
 * read other files on the gateway's machine.
 */
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { parseHangingProtocol, type HangingProtocol, type HangingProtocolList } from '../contracts/index';
import { sendError, sendJson } from './httpUtil';

/** A protocol is a few kB; anything far bigger is not one. */
export const MaxProtocolFileBytes = 256 * 1024;

/** What the answer names the folder by: the config field, not the gateway's file system path. */
export const ProtocolFolderName = 'hanging.protocolFolder';

type FileResult = { ok: true; protocol: HangingProtocol } | { ok: false; errors: string[] };

/**
 * Reads and validates every `*.json` in `folder`, in name order. Never throws for what is in the
 * folder; a folder that cannot be listed is one error with `reason` set, for the caller to log.
 * @example await readProtocolFolder('/etc/crossview/protocols')
 */
export async function readProtocolFolder(folder: string, maxFileBytes = MaxProtocolFileBytes): Promise<HangingProtocolList & { unreadable?: string }> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const reason = reasonOf(error);
    return { protocols: [], errors: [{ file: ProtocolFolderName, errors: [`${ProtocolFolderName}: cannot read the protocol folder (${reason})`] }], unreadable: reason };
  }
  const names = entries
    .filter((entry) => entry.name.toLowerCase().endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  const list: HangingProtocolList = { protocols: [], errors: [] };
  const fileOf = new Map<string, string>();
  for (const name of names) {
    const result = await readProtocolFile(join(folder, name), name, maxFileBytes);
    if (!result.ok) {
      list.errors.push({ file: name, errors: result.errors });
      continue;
    }
    const earlier = fileOf.get(result.protocol.id);
    if (earlier) {
      list.errors.push({ file: name, errors: [`${name}: id: duplicate protocol id "${result.protocol.id}" (also in ${earlier})`] });
      continue;
    }
    fileOf.set(result.protocol.id, name);
    list.protocols.push(result.protocol);
  }
  return list;
}

/** Parses one file's text; every error starts with the file's name. */
export function parseProtocolFile(name: string, text: string): FileResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${name}: not valid JSON (${(error as Error).message})`] };
  }
  const result = parseHangingProtocol(document);
  if (result.ok) return result;
  return { ok: false, errors: result.errors.map((message) => `${name}: ${message}`) };
}

async function readProtocolFile(path: string, name: string, maxFileBytes: number): Promise<FileResult> {
  let handle;
  try {
    // O_NOFOLLOW: a link named *.json is refused at open, even one swapped in after the listing.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const reason = reasonOf(error);
    return { ok: false, errors: [`${name}: ${reason === 'ELOOP' ? 'is a link; only plain files in the folder are read' : `cannot be read (${reason})`}`] };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, errors: [`${name}: not a plain file; only plain files in the folder are read`] };
    if (stat.size > maxFileBytes) {
      return { ok: false, errors: [`${name}: ${stat.size} bytes, over the ${Math.round(maxFileBytes / 1024)} kB limit for a protocol file`] };
    }
    // Read at most the limit, whatever the file grew to since the stat.
    const buffer = Buffer.alloc(maxFileBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxFileBytes) return { ok: false, errors: [`${name}: over the ${Math.round(maxFileBytes / 1024)} kB limit for a protocol file`] };
    return parseProtocolFile(name, buffer.subarray(0, bytesRead).toString('utf8'));
  } catch (error) {
    return { ok: false, errors: [`${name}: cannot be read (${reasonOf(error)})`] };
  } finally {
    await handle.close();
  }
}

/**
 * The route. No folder configured: an empty list. A folder that cannot be read is logged once
 * per new reason (the path and an error code, nothing about patients), not on every request.
 * @example const route = createHangingProtocolsRoute(config.hanging?.protocolFolder, log); await route(req, res);
 */
export function createHangingProtocolsRoute(folder: string | undefined, log: (line: string) => void): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  // Resolved once, so a relative path means the working directory the gateway started in.
  const path = folder === undefined ? undefined : resolve(folder);
  let lastProblem: string | undefined;
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendError(res, 405, { error: 'Method not allowed' });
      return;
    }
    if (path === undefined) {
      sendJson(res, 200, { protocols: [], errors: [] } satisfies HangingProtocolList);
      return;
    }
    const { unreadable, ...list } = await readProtocolFolder(path);
    if (unreadable !== lastProblem && unreadable !== undefined) log(`gateway: hanging protocols: cannot read the protocol folder ${path} (${unreadable})`);
    lastProblem = unreadable;
    sendJson(res, 200, list satisfies HangingProtocolList);
  };
}

/** `ENOENT` and friends when the file system gave a code; the message otherwise. */
function reasonOf(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message ?? error);
}
