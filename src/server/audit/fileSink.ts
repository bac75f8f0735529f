/**
 * The default audit sink: an append-only JSON-lines file, one event per line. The file is
 * opened for appending only (`a`: every write lands at the end, whatever else holds it open);
 * writes are serialised and each batch is fsync'd before its appends resolve, so an event the
 * gateway counts as written survives a crash. Events waiting while a write is under way go out
 * together in the next batch (one fsync for many lines under load).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { AuditEventSchema, type AuditEvent, type AuditQuery, type AuditResponse } from '../../contracts/index';
import { matchesAuditQuery, newestFirst } from './query';
import type { AuditSink } from './sink';

interface Pending {
  line: string;
  done: (error?: Error) => void;
}

export function createFileSink(path: string): AuditSink {
  let handle: FileHandle | undefined;
  let queue: Pending[] = [];
  let writing: Promise<void> | undefined;

  async function ensureOpen(): Promise<FileHandle> {
    if (handle) return handle;
    await mkdir(dirname(path), { recursive: true });
    handle = await open(path, 'a', 0o600);
    return handle;
  }

  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue;
      queue = [];
      try {
        const file = await ensureOpen();
        await file.write(batch.map((p) => p.line).join(''));
        await file.sync();
        for (const p of batch) p.done();
      } catch (error) {
        // Reopen next time: the folder may have been recreated or the disk freed.
        const broken = handle;
        handle = undefined;
        await broken?.close().catch(() => undefined);
        for (const p of batch) p.done(error as Error);
      }
    }
  }

  function kick(): Promise<void> {
    writing ??= drain().finally(() => {
      writing = undefined;
      // An append made while the last batch was settling found `writing` still set.
      if (queue.length) void kick();
    });
    return writing;
  }

  return {
    kind: 'file',
    append(event: AuditEvent) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ line: `${JSON.stringify(event)}\n`, done: (error) => (error ? reject(error) : resolve()) });
        void kick();
      });
    },
    async probe() {
      await kick();
      const file = await ensureOpen();
      await file.sync();
    },
    async query(query: AuditQuery): Promise<AuditResponse> {
      if (writing) await writing;
      // Keep only the newest `limit + 1` matches while streaming: the file may be large.
      const kept: AuditEvent[] = [];
      let matched = 0;
      let stream;
      try {
        await ensureOpen();
        stream = createReadStream(path, { encoding: 'utf8' });
      } catch (error) {
        throw new Error(`audit file: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      }
      for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
        if (!line.trim()) continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          continue;
        }
        const parsed = AuditEventSchema.safeParse(json);
        if (!parsed.success || !matchesAuditQuery(parsed.data, query)) continue;
        matched++;
        kept.push(parsed.data);
        if (kept.length > query.limit * 2) kept.splice(0, kept.length - query.limit - 1);
      }
      // Reversed first, so events of the same millisecond stay newest first (the sort is stable).
      const events = kept.reverse().sort(newestFirst).slice(0, query.limit);
      return { events, truncated: matched > query.limit };
    },
    async close() {
      if (writing) await writing;
      await handle?.close().catch(() => undefined);
      handle = undefined;
    },
  };
}
