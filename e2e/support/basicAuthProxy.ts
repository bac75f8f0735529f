/**
 * A hospital whose DICOMweb needs a password, as most do: a loopback proxy in front of a real
 * Orthanc that answers 401 unless the request carries the right HTTP Basic credentials. Lets a
 * test prove the gateway adds site credentials and that they never travel back to the browser.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BasicAuthProxy {
  /** Same shape as the target's DICOMweb root. */
  dicomwebUrl: string;
  /** Requests refused for missing or wrong credentials. */
  refused(): number;
  close(): Promise<void>;
}

export async function startBasicAuthProxy(targetDicomwebUrl: string, credentials: { username: string; password: string }): Promise<BasicAuthProxy> {
  const target = new URL(targetDicomwebUrl);
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  let refused = 0;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      refused++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test hospital"', 'Content-Type': 'text/plain' }).end('Unauthorized');
      return;
    }
    const headers = { ...req.headers, host: target.host };
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dicomwebUrl: `http://127.0.0.1:${port}${target.pathname}`,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
