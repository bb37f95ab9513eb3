/**
 * Browser mode: the same contract as Electron's IPC, over a WebSocket on 127.0.0.1, guarded by a
 * random token. `npm run web` starts it; the end-to-end tests and benchmarks drive it in Chromium.
 *
 * Every request must carry the token (in the URL once, then as an HttpOnly SameSite=Strict
 * cookie), name this server in its Host header (against DNS rebinding) and, when it has an
 * Origin, come from this server's own origin (against cross-site pages reaching loopback).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  clientMessageSchema,
  tokenCookie,
  webSocketPath,
  type ServerMessage,
} from '../shared/wire.js';
import { CallRouter } from './call-router.js';
import { defaultDataDir } from './data-dir.js';
import { createHost, type Host } from './host.js';
import { contentSecurityPolicy } from './security-policy.js';

export interface WebHostOptions {
  host: Host;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const router = new CallRouter(options.host);
  const staticDir = path.resolve(options.staticDir);
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const authorised = (request: IncomingMessage): { ok: boolean; viaQuery: boolean } => {
    if (!allowedHosts().includes(request.headers.host ?? '')) return { ok: false, viaQuery: false };
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin))
      return { ok: false, viaQuery: false };
    const url = new URL(request.url ?? '/', 'http://localhost');
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null && sameSecret(fromQuery, token)) return { ok: true, viaQuery: true };
    const fromCookie = readCookie(request.headers.cookie, tokenCookie);
    return { ok: fromCookie !== undefined && sameSecret(fromCookie, token), viaQuery: false };
  };

  const server = createServer((request, response) => {
    void serveStatic(request, response);
  });

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const auth = authorised(request);
    if (!auth.ok) return refuse(response, 403, 'Forbidden: open the URL printed by `npm run web`.');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(response, 405, 'Method not allowed');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const relative =
      url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = path.resolve(staticDir, relative);
    if (!file.startsWith(staticDir + path.sep)) return refuse(response, 404, 'Not found');
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return refuse(response, 404, 'Not found');
    }
    response.setHeader(
      'Content-Type',
      contentTypes[path.extname(file)] ?? 'application/octet-stream',
    );
    response.setHeader(
      'Content-Security-Policy',
      contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
    );
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cache-Control', 'no-store');
    if (auth.viaQuery) {
      response.setHeader(
        'Set-Cookie',
        `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      );
    }
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (
      url.pathname !== webSocketPath ||
      !authorised(request).ok ||
      request.headers.origin === undefined
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  let nextClient = 1;
  function serveSocket(ws: WebSocket): void {
    const clientId = `web-${nextClient++}`;
    const send = (message: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = options.host.subscribe((event, payload) =>
      send({ type: 'event', event, payload }),
    );
    ws.on('message', (data) => {
      let parsed;
      try {
        parsed = clientMessageSchema.safeParse(JSON.parse(String(data)));
      } catch {
        return;
      }
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.type === 'cancel') return router.cancel(clientId, message.id);
      void router
        .handle(clientId, message.id, message.channel, message.input)
        .then((result) => send({ type: 'result', id: message.id, result }));
    });
    ws.on('close', () => {
      unsubscribe();
      router.dropClient(clientId);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(message);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** `npm run web`: start a host on the data directory and print the URL to open. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' } },
  });
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const host = await createHost({ dataDir });
  const staticDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));
  const web = await startWebHost({
    host,
    staticDir,
    ...(values.port ? { port: Number(values.port) } : {}),
  });
  process.stdout.write(`Strata is serving ${dataDir}\nOpen ${web.url}\n`);
  const stop = () =>
    void web
      .close()
      .then(() => host.close())
      .then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  host.demoReady.catch((error: unknown) =>
    process.stderr.write(`Demo data failed: ${String(error)}\n`),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]))
  void main();
