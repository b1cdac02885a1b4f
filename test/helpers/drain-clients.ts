// HTTP clients for the graceful-restart tests (test/ops/graceful-shutdown.test.ts, rolling-restart.test.ts):
// one request per connection, a request held in flight (its last bytes sent later), and a load balancer
// stand-in that routes by /readyz and fails over only when a connection is refused: it never sends a request
// again once any byte of it may have reached a server, so a request the server drops shows up as an error.
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface PlainRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

function answerOf(req: http.ClientRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function open(base: string, r: PlainRequest, payload: Buffer | null): http.ClientRequest {
  // agent: false — a connection of its own, closed after the answer (Connection: close).
  return http.request(`${base}${r.path}`, {
    method: r.method,
    agent: false,
    headers: { ...r.headers, ...(payload ? { 'content-length': payload.length } : {}) },
  });
}

/** Sends one request on a new connection; rejects with the socket error (code ECONNREFUSED, ECONNRESET…). */
export function requestOnce(base: string, r: PlainRequest): Promise<HttpAnswer> {
  const payload = r.body === undefined ? null : Buffer.from(r.body);
  const req = open(base, r, payload);
  const answer = answerOf(req);
  req.end(payload ?? undefined);
  return answer;
}

/** A request whose headers and all but the last bytes of its body are sent now; `finish()` sends the rest. */
export function heldRequest(base: string, r: PlainRequest & { body: string }) {
  const payload = Buffer.from(r.body);
  const req = open(base, r, payload);
  const answer = answerOf(req);
  req.write(payload.subarray(0, payload.length - 4));
  return { answer, finish: () => req.end(payload.subarray(payload.length - 4)) };
}

const isRefused = (err: unknown) => (err as { code?: string }).code === 'ECONNREFUSED';

/**
 * Routes each request to the next instance whose /readyz said 200 at the last check (every `checkEveryMs`),
 * on a connection of its own. A refused connection (nothing was sent) is tried on the next instance; any
 * other failure rejects that request.
 */
export class FailoverClient {
  readonly upstreams: { base: string; ready: boolean }[];
  /** Connections refused and sent elsewhere. */
  refused = 0;
  private next = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    bases: string[],
    private opts: { checkEveryMs?: number; giveUpMs?: number } = {},
  ) {
    this.upstreams = bases.map((base) => ({ base, ready: false }));
  }

  async check(): Promise<void> {
    await Promise.all(
      this.upstreams.map(async (u) => {
        const status = await requestOnce(u.base, { method: 'GET', path: '/readyz' }).then(
          (a) => a.status,
          () => 0,
        );
        u.ready = status === 200;
      }),
    );
  }

  /** Checks now, then every `checkEveryMs` (default 100) until stop(). */
  async start(): Promise<void> {
    await this.check();
    const loop = () => {
      this.timer = setTimeout(
        () => void this.check().finally(() => this.timer && loop()),
        this.opts.checkEveryMs ?? 100,
      );
    };
    loop();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  async send(r: PlainRequest): Promise<HttpAnswer & { base: string }> {
    const until = Date.now() + (this.opts.giveUpMs ?? 30_000);
    for (;;) {
      const ready = this.upstreams.filter((u) => u.ready);
      if (ready.length === 0) {
        if (Date.now() > until) throw new Error('no instance ready');
        await new Promise((res) => setTimeout(res, 20));
        continue;
      }
      const u = ready[this.next++ % ready.length]!;
      try {
        return { ...(await requestOnce(u.base, r)), base: u.base };
      } catch (err) {
        if (!isRefused(err)) throw err;
        this.refused++;
        u.ready = false; // until its next successful check
      }
    }
  }
}
