import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

export interface HttpResult {
  status: number;
  body: string;
  /** Milliseconds from issuing the request to the end of the response body (as received, before decoding). */
  ms: number;
  /** Bytes of the body as transferred (`body` is decoded from gzip, as a browser would). */
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A minimal keep-alive HTTP/1.1 client on `node:http`: cheaper on CPU than
 * `fetch`, which matters when the client shares two cores with the server and
 * PostgreSQL.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    return this.send('GET', path, undefined, headers);
  }

  post(path: string, body: unknown): Promise<HttpResult> {
    return this.send('POST', path, Buffer.from(JSON.stringify(body)));
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: 'GET' | 'POST', path: string, payload?: Buffer, extra: Record<string, string> = {}): Promise<HttpResult> {
    const headers: Record<string, string | number> = { accept: 'application/json', ...extra };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise<HttpResult>((resolve, reject) => {
      const started = performance.now();
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const ms = performance.now() - started;
          const body = Buffer.concat(chunks);
          const decoded = res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
          resolve({ status: res.statusCode ?? 0, body: decoded.toString('utf8'), ms, bytes: body.length, headers: res.headers });
        });
      });
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out after 30 s`)));
      req.end(payload);
    });
  }
}
