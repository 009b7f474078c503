import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fault-injecting HTTP proxy on loopback, between an SDK client and the emulator.
 * For a chosen fraction of requests it resets the connection, or answers 500
 * InternalError or 503 SlowDown, before the request reaches the emulator (so a retry is
 * always safe). The choice is a seeded pseudo-random sequence: the same seed gives the
 * same sequence of decisions. `failFromNow` makes every matching request fail from then on.
 */
export type FaultKind = 'reset' | 'internal-error' | 'slow-down';

export interface FaultProxyOptions {
  /** Where requests go: the emulator's base URL. */
  target: string;
  /** Fraction of requests to fail, 0 to 1. */
  rate?: number;
  seed?: number;
  kinds?: readonly FaultKind[];
}

export interface RequestInfo {
  method: string;
  url: string;
  /** The request's headers, lower-case names (as Node gives them). */
  headers: Record<string, string | string[] | undefined>;
}

export interface FaultProxy {
  readonly url: string;
  /** Requests and client connections seen, and faults injected, by kind. */
  readonly stats: { requests: number; connections: number; faults: Record<FaultKind, number> };
  /** Fail every request matching `match` (default: all) with `kind` from now on. */
  failFromNow(kind: FaultKind, match?: (request: RequestInfo) => boolean): void;
  /** Run `hook` on every request before deciding (e.g. to flip failFromNow after the n-th part). */
  onRequest(hook: (request: RequestInfo) => void): void;
  /** Stop injecting faults (random and permanent). */
  heal(): void;
  stop(): Promise<void>;
}

/** mulberry32: a small, fast, seedable PRNG; plenty for choosing faults. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const S3_ERRORS: Record<Exclude<FaultKind, 'reset'>, { status: number; code: string; message: string }> = {
  'internal-error': { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
  'slow-down': { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
};

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = seededRandom(options.seed ?? 1);
  const kinds = options.kinds ?? ['reset', 'internal-error', 'slow-down'];
  let rate = options.rate ?? 0;
  let permanent: { kind: FaultKind; match: (r: RequestInfo) => boolean } | undefined;
  const hooks: ((r: RequestInfo) => void)[] = [];
  const stats = { requests: 0, connections: 0, faults: { reset: 0, 'internal-error': 0, 'slow-down': 0 } as Record<FaultKind, number> };

  const decide = (info: RequestInfo): FaultKind | undefined => {
    if (permanent?.match(info)) return permanent.kind;
    // Draw twice per request whatever the outcome, so the sequence depends only on the request count.
    const roll = random();
    const pick = random();
    if (roll >= rate) return undefined;
    return kinds[Math.floor(pick * kinds.length)] ?? 'internal-error';
  };

  const inject = async (kind: FaultKind, req: IncomingMessage, res: ServerResponse) => {
    stats.faults[kind] += 1;
    if (kind === 'reset') {
      req.socket.destroy();
      return;
    }
    // Read the body first, as S3 does, so the client sees the answer rather than a broken pipe.
    req.resume();
    await once(req, 'end').catch(() => undefined);
    const e = S3_ERRORS[kind];
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${e.message}</Message><RequestId>FAULTPROXY</RequestId></Error>`;
    res.writeHead(e.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        // Connection and Keep-Alive are hop-by-hop (RFC 9110, 7.6.1): the emulator closes
        // every connection, which says nothing about the client's connection to the proxy.
        const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = answer.headers;
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    stats.requests += 1;
    const info = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
    for (const hook of hooks) hook(info);
    const kind = decide(info);
    if (kind) void inject(kind, req, res);
    else forward(req, res);
  });
  server.on('connection', () => {
    stats.connections += 1;
  });
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    failFromNow(kind, match = () => true) {
      permanent = { kind, match };
    },
    onRequest(hook) {
      hooks.push(hook);
    },
    heal() {
      permanent = undefined;
      rate = 0;
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
