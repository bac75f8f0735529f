/**
 * The gateway alone in a child process, so the load test can read its resident memory apart from
 * the harness. Started by `load.ts` with an IPC channel: it receives the config, answers
 * `{ url }` once listening, then `{ rss }` every 250 ms until it is told to stop.
 */
import { parseConfig } from '../src/contracts/index';
import { startGateway } from '../src/server/index';

process.once('message', (message: { config: unknown }) => {
  const parsed = parseConfig(message.config);
  if (!parsed.ok) throw new Error(`gatewayProcess: bad config: ${parsed.errors.join('; ')}`);
  startGateway({ config: parsed.config, port: 0, staticDir: 'dist', log: () => {} }).then((gateway) => {
    process.send?.({ url: gateway.url });
    const timer = setInterval(() => process.send?.({ rss: process.memoryUsage().rss }), 250);
    process.on('message', (m: { stop?: boolean }) => {
      if (!m.stop) return;
      clearInterval(timer);
      gateway.close().finally(() => process.exit(0));
    });
  }, (error: unknown) => {
    console.error(`gatewayProcess: ${String(error)}`);
    process.exit(1);
  });
});
