import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An endpoint that only records what it receives and answers 500: a command pointed at it
 * that sends any AWS request leaves a trace, so "checked before any AWS call" is provable.
 */
export interface CountingEndpoint {
  url: string;
  /** `METHOD /path` of each request received since the last `reset()`. */
  readonly requests: string[];
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingEndpoint(): Promise<CountingEndpoint> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reset: () => void requests.splice(0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
