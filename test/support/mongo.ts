/**
 * The MongoDB server integration tests use: `MONGODB_URL` when set, else a `mongod` found on
 * PATH, started on a free loopback port with a temporary --dbpath and stopped afterwards. No
 * MongoDB server can be installed on the project's machines, so without either the tests are
 * skipped, loudly, with the reason. Each test file gets a database of its own, dropped afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { MongoConfig } from '../../electron/backends/mongodb/mongodb-backend.js';
import { connectionString, parseMongoUrl } from '../../electron/backends/mongodb/url.js';
import { configFromUrl } from '../../electron/backends/registry.js';

export const noMongoReason = 'no MongoDB server (set MONGODB_URL or put mongod on PATH)';

export interface MongoServer {
  /** Connection URL, with its password if MONGODB_URL had one. */
  url: string;
  stop(): Promise<void>;
}

export interface TestMongoDatabase {
  name: string;
  /** The config a Strata connection to this database would save (plus its password). */
  config: MongoConfig;
  client: MongoClient;
  db: Db;
  drop(): Promise<void>;
}

/** A running server, or why the MongoDB tests are skipped. */
export async function startMongo(): Promise<MongoServer | string> {
  const given = process.env.MONGODB_URL;
  if (given) {
    const reason = await unreachable(given);
    return reason
      ? `MONGODB_URL is unreachable (${reason})`
      : { url: given, stop: async () => undefined };
  }
  const mongod = findOnPath('mongod');
  return mongod ? startMongod(mongod) : noMongoReason;
}

export function warnSkipped(suite: string, reason: string | undefined): void {
  if (reason) console.warn(`⚠ SKIPPED ${suite}: ${reason}`);
}

async function unreachable(url: string): Promise<string | undefined> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3_000 });
  try {
    await client.db('admin').command({ ping: 1 });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A mongod that is on PATH but does not start is a failure, not a skip. */
async function startMongod(binary: string): Promise<MongoServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'strata-mongod-'));
  const port = await freePort();
  const log = path.join(dir, 'mongod.log');
  const child: ChildProcess = spawn(
    binary,
    ['--dbpath', dir, '--bind_ip', '127.0.0.1', '--port', String(port), '--logpath', log],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const url = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  const stop = async () => {
    if (!exited) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exited) {
    if ((await unreachable(url)) === undefined) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tail = (await readFile(log, 'utf8').catch(() => '')).slice(-2_000);
  await stop();
  throw new Error(`${binary} did not start on port ${port}:\n${tail}`);
}

/** A fresh, uniquely named database on the server (created by the first write into it). */
export async function createMongoDatabase(server: MongoServer): Promise<TestMongoDatabase> {
  const name = `strata_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const parsed = configFromUrl(server.url, process.env);
  if (parsed?.kind !== 'mongodb') throw new Error(`Not a MongoDB URL: ${server.url}`);
  const config: MongoConfig = { ...parsed, database: name };
  const client = new MongoClient(connectionString(config.url, config.password));
  await client.connect();
  const db = client.db(name);
  return {
    name,
    config,
    client,
    db,
    drop: async () => {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

/** The server's URL naming `user` instead of its own (the password goes in the config). */
export function urlAsUser(url: string, user: string): string {
  const parts = parseMongoUrl(url);
  if (!parts) throw new Error(`Not a MongoDB URL: ${url}`);
  return `${parts.scheme}://${encodeURIComponent(user)}@${parts.hosts}${parts.rest}`;
}
