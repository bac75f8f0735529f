import { mkdtemp, open, readFile, rm, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../contracts/index';
import { createAuditLog } from './auditLog';
import { createFileSink } from './fileSink';
import { parseAuditQuery } from './query';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crossview-audit-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const event = (n: number, over: Partial<AuditEvent> = {}): AuditEvent => ({
  time: new Date(Date.UTC(2026, 10, 23, 10, 0, n)).toISOString(),
  user: n % 2 ? 'reader' : 'clinician',
  site: 'site-a',
  action: 'retrieve',
  patientIds: [`P-${n}`],
  studyUid: `1.2.${n}`,
  outcome: 'ok',
  ...over,
});

const q = (search: string) => {
  const parsed = parseAuditQuery(search);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.query;
};

describe('audit file', () => {
  it('creates its folder and appends one JSON line per event, each on disk and fsync\'d before the append resolves', async () => {
    const path = join(dir, 'nested', 'audit.jsonl');
    const sink = createFileSink(path);
    const probe = await open(join(dir, 'probe'), 'w');
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync(): Promise<void> }, 'sync');
    await probe.close();
    await sink.append(event(1));
    expect(sync).toHaveBeenCalledTimes(1);
    expect((await readFile(path, 'utf8')).split('\n')).toEqual([JSON.stringify(event(1)), '']);
    await sink.append(event(2));
    expect(sync).toHaveBeenCalledTimes(2);
    expect((await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([event(1), event(2)]);
    await sink.close();
  });

  it('serialises concurrent appends: every line whole, none lost, in the order they were made', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = createFileSink(path);
    await Promise.all(Array.from({ length: 200 }, (_, n) => sink.append(event(n % 60, { detail: 'x'.repeat(n * 50) }))));
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(200);
    expect(lines.map((line) => (JSON.parse(line) as AuditEvent).detail?.length)).toEqual(Array.from({ length: 200 }, (_, n) => n * 50));
    await sink.close();
  });

  it('keeps what was written before and after a reopen (append, never truncate)', async () => {
    const path = join(dir, 'audit.jsonl');
    const first = createFileSink(path);
    await first.append(event(1));
    await first.close();
    const second = createFileSink(path);
    await second.append(event(2));
    expect((await second.query(q(''))).events.map((e) => e.studyUid)).toEqual(['1.2.2', '1.2.1']);
    await second.close();
  });

  it('answers newest first, filtered, limited, saying when more matched, and skips lines that are not events', async () => {
    const path = join(dir, 'audit.jsonl');
    const sink = createFileSink(path);
    for (let n = 0; n < 10; n++) await sink.append(event(n));
    const handle = await open(path, 'a');
    await handle.write('not json\n{"time":"bad"}\n');
    await handle.close();
    const all = await sink.query(q(''));
    expect(all.events.map((e) => e.patientIds[0])).toEqual(['P-9', 'P-8', 'P-7', 'P-6', 'P-5', 'P-4', 'P-3', 'P-2', 'P-1', 'P-0']);
    expect(all.truncated).toBe(false);
    expect((await sink.query(q('user=reader'))).events.map((e) => e.patientIds[0])).toEqual(['P-9', 'P-7', 'P-5', 'P-3', 'P-1']);
    expect((await sink.query(q('patientId=P-4'))).events.map((e) => e.studyUid)).toEqual(['1.2.4']);
    const limited = await sink.query(q('limit=3&user=clinician'));
    expect(limited.events.map((e) => e.patientIds[0])).toEqual(['P-8', 'P-6', 'P-4']);
    expect(limited.truncated).toBe(true);
    expect((await sink.query(q('from=2026-11-23T10:00:03Z&to=2026-11-23T10:00:05Z'))).events.map((e) => e.patientIds[0])).toEqual(['P-5', 'P-4', 'P-3']);
    await sink.close();
  });
});

describe('audit log over a file that cannot be written', () => {
  it('logs the failure without patient data, refuses until the folder is writable, then writes what it held', async () => {
    if (process.getuid?.() === 0) {
      // Root ignores folder permissions: make the path a folder instead, which no one can append to.
      await mkdir(join(dir, 'locked', 'audit.jsonl'), { recursive: true });
    } else {
      await mkdir(join(dir, 'locked'));
      await chmod(join(dir, 'locked'), 0o500);
    }
    const path = join(dir, 'locked', 'audit.jsonl');
    const lines: string[] = [];
    const log = createAuditLog(createFileSink(path), { log: (line) => lines.push(line), gatewayId: 'gw-test' });
    await log.append({ user: 'reader', site: 'site-a', action: 'study-open', patientIds: ['9990764875'], studyUid: '1.2.840.99', outcome: 'ok' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/audit: ERROR could not write a "study-open" event to the file audit trail \((EACCES|EISDIR)\)/);
    expect(lines[0]).not.toContain('9990764875');
    expect(lines[0]).not.toContain('1.2.840.99');
    expect(await log.writable()).toBe(false);
    await log.append({ user: 'reader', site: 'site-a', action: 'retrieve', patientIds: ['9990764875'], studyUid: '1.2.840.99', outcome: 'ok' });
    expect(lines).toHaveLength(1);

    if (process.getuid?.() === 0) await rm(join(dir, 'locked', 'audit.jsonl'), { recursive: true });
    else await chmod(join(dir, 'locked'), 0o700);
    // Probes are spaced a second apart: wait for the next one rather than assert a time.
    await vi.waitFor(async () => expect(await log.writable()).toBe(true), { timeout: 5000, interval: 200 });
    expect(lines[1]).toMatch(/writable again/);
    const held = (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as AuditEvent);
    expect(held.map((e) => [e.action, e.gateway])).toEqual([
      ['study-open', 'gw-test'],
      ['retrieve', 'gw-test'],
    ]);
    await log.close();
  });
});
