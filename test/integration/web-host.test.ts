/**
 * Browser mode's guard: a token (then an HttpOnly cookie), this server's own Host and Origin, and
 * the contract over a WebSocket. Requests are made with node:http so headers and paths go out
 * exactly as written, the way an attacker's would.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHost, type Host } from '../../electron/host.js';
import { startWebHost, type WebHost } from '../../electron/web-host.js';
import {
  serverMessageSchema,
  tokenCookie,
  webSocketPath,
  type ServerMessage,
} from '../../shared/wire.js';

let root: string;
let host: Host;
let web: WebHost;
let origin: string;

const indexHtml = '<!doctype html><title>Strata test</title>';
const secret = 'top secret, outside the static folder';

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-web-'));
  const dataDir = path.join(root, 'data');
  const staticDir = path.join(root, 'static');
  await fs.mkdir(dataDir);
  await fs.mkdir(staticDir);
  await fs.writeFile(path.join(dataDir, 'connections.json'), '{"version":1,"connections":[]}');
  await fs.writeFile(path.join(staticDir, 'index.html'), indexHtml);
  await fs.writeFile(path.join(root, 'secret.txt'), secret);
  host = await createHost({ dataDir });
  web = await startWebHost({ host, staticDir });
  origin = `http://127.0.0.1:${web.port}`;
});

afterAll(async () => {
  await web?.close();
  await host?.close();
  await fs.rm(root, { recursive: true, force: true });
});

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: web.port, path: pathAndQuery, headers, method: 'GET' },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => `${tokenCookie}=${web.token}`;

describe('HTTP', () => {
  it('refuses a request without the token', async () => {
    const res = await get('/');
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('Strata test');
  });

  it('refuses a wrong token', async () => {
    expect((await get(`/?token=${web.token.slice(1)}x`)).status).toBe(403);
    expect((await get('/', { Cookie: `${tokenCookie}=nope` })).status).toBe(403);
  });

  it('serves the page with the token and sets an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await get(`/?token=${web.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toBe(indexHtml);
    const setCookie = res.headers['set-cookie']?.join('\n') ?? '';
    expect(setCookie).toContain(`${tokenCookie}=${web.token}`);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('serves the page with the cookie alone', async () => {
    const res = await get('/index.html', { Cookie: cookie() });
    expect(res.status).toBe(200);
    expect(res.body).toBe(indexHtml);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const res = await get(`/?token=${web.token}`, { Host: `evil.example:${web.port}` });
    expect(res.status).toBe(403);
  });

  it('refuses a foreign Origin, even with the cookie', async () => {
    expect((await get('/', { Cookie: cookie(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/', { Cookie: cookie(), Origin: origin })).status).toBe(200);
  });

  it.each(['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/..%5csecret.txt'])(
    'refuses path traversal %s',
    async (traversal) => {
      const res = await get(traversal, { Cookie: cookie() });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain(secret);
    },
  );
});

/** Opens a socket; answers it once open, or the HTTP status it was refused with. */
function connect(headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}${webSocketPath}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (error) => {
      // A refusal without a parsable response ends as a socket error.
      const status = /Unexpected server response: (\d+)/.exec(error.message)?.[1];
      if (status) resolve(Number(status));
      else reject(error);
    });
  });
}

function callOver(
  ws: WebSocket,
  id: number,
  channel: string,
  input: unknown,
): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = serverMessageSchema.parse(JSON.parse(String(data)));
      if (message.type === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, channel, input }));
  });
}

describe('WebSocket', () => {
  it('refuses an upgrade without the token', async () => {
    expect(await connect({ Origin: origin })).toBe(403);
  });

  it('refuses an upgrade from a foreign origin, or with no origin', async () => {
    expect(await connect({ Origin: 'http://evil.example', Cookie: cookie() })).toBe(403);
    expect(await connect({ Cookie: cookie() })).toBe(403);
  });

  it('answers contract calls, and invalid input as a typed error', async () => {
    const ws = await connect({ Origin: origin, Cookie: cookie() });
    if (typeof ws === 'number') throw new Error(`upgrade refused with ${ws}`);
    try {
      expect(await callOver(ws, 1, 'listConnections', {})).toEqual({
        type: 'result',
        id: 1,
        result: { ok: true, value: [] },
      });
      const invalid = await callOver(ws, 2, 'getTree', { connectionId: 42 });
      expect(invalid).toMatchObject({
        id: 2,
        result: { ok: false, error: { code: 'invalid-input' } },
      });
      const unknown = await callOver(ws, 3, 'dropEverything', {});
      expect(unknown).toMatchObject({
        id: 3,
        result: { ok: false, error: { code: 'invalid-input' } },
      });
      const missing = await callOver(ws, 4, 'getTree', { connectionId: 'no-such-id' });
      expect(missing).toMatchObject({ id: 4, result: { ok: false, error: { code: 'not-found' } } });
    } finally {
      ws.close();
    }
  });
});
