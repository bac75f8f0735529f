/**
 * Load: `viewers` simulated viewers, each fetching CT frames one after another (random slice each
 * time) through the gateway, which proxies them from the Orthanc, for `durationMs`. The gateway
 * runs in its own process so its resident set size is its own; it is sampled every 250 ms.
 */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { CrossviewConfig } from '../src/contracts/index';
import { FrameAccept } from './floor';
import { signInForFetch } from '../e2e/hospitals/testAccounts';

export interface LoadResult {
  viewers: number;
  durationMs: number;
  requests: number;
  errors: number;
  bytes: number;
  latenciesMs: number[];
  rssStartBytes: number;
  rssMaxBytes: number;
  rssEndBytes: number;
}

export async function runLoad(config: CrossviewConfig, framePaths: string[], viewers: number, durationMs: number): Promise<LoadResult> {
  const child = fork(resolve('bench/gatewayProcess.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const rss: number[] = [];
  try {
    const url = await new Promise<string>((done, fail) => {
      child.on('message', (m: { url?: string; rss?: number }) => {
        if (m.url) done(m.url);
        if (m.rss) rss.push(m.rss);
      });
      child.once('exit', (code) => fail(new Error(`runLoad: the gateway process exited (${code})`)));
      child.send({ config });
    });
    // Settle, then one warm-up pass so the start RSS is the gateway at work, not at rest.
    await new Promise((r) => setTimeout(r, 500));
    const rssStartBytes = rss[rss.length - 1] ?? NaN;
    // Every simulated viewer is signed in: the load includes checking its session on each request.
    const { cookie } = await signInForFetch(url);
    const latenciesMs: number[] = [];
    let errors = 0;
    let bytes = 0;
    const deadline = performance.now() + durationMs;
    const started = performance.now();
    const viewer = async () => {
      while (performance.now() < deadline) {
        const path = framePaths[Math.floor(Math.random() * framePaths.length)]!;
        const t = performance.now();
        try {
          const res = await fetch(`${url}${path}`, { headers: { accept: FrameAccept, cookie } });
          const body = await res.arrayBuffer();
          if (res.status !== 200) errors++;
          else bytes += body.byteLength;
        } catch {
          errors++;
        }
        latenciesMs.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: viewers }, viewer));
    const elapsed = performance.now() - started;
    await new Promise((r) => setTimeout(r, 300));
    return {
      viewers,
      durationMs: elapsed,
      requests: latenciesMs.length,
      errors,
      bytes,
      latenciesMs,
      rssStartBytes,
      rssMaxBytes: Math.max(...rss),
      rssEndBytes: rss[rss.length - 1] ?? NaN,
    };
  } finally {
    child.send({ stop: true });
    await new Promise((r) => {
      const timer = setTimeout(() => (child.kill(), r(undefined)), 5_000);
      child.once('exit', () => (clearTimeout(timer), r(undefined)));
    });
  }
}
