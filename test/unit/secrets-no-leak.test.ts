/**
 * No channel ever answers a secret. Saves connections with known secrets (password, SSH password,
 * pasted key, passphrase), then calls every channel of the contract, including ones added later
 * (with `{}` when this file has no better input), and looks for each secret in what came back,
 * answer or error alike. Also checks the secrets are not on disk in plain text.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, type Channel } from '../../shared/contract.js';
import { toAppError } from '../../electron/monitor/errors.js';
import { connectionsFileName } from '../../electron/connections/connection-store.js';
import { createHost, type Host } from '../../electron/host.js';

const secrets = {
  password: 'pw-7f3a9c-NEVER-SHOWN',
  sshPassword: 'sshpw-51be-NEVER-SHOWN',
  sshPrivateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nKEY-99d1-NEVER-SHOWN\n-----END',
  sshPassphrase: 'phrase-0c2e-NEVER-SHOWN',
};
const markers = ['pw-7f3a9c', 'sshpw-51be', 'KEY-99d1', 'phrase-0c2e'];

let dir: string;
let host: Host;
let ids: string[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'strata-leak-'));
  await fs.writeFile(path.join(dir, connectionsFileName), '{"version":2,"connections":[]}');
  host = await createHost({ dataDir: dir });
  const config = {
    kind: 'postgres',
    host: '127.0.0.1',
    port: 1,
    user: 'u',
    database: 'd',
  } as const;
  const plain = await host.call('saveConnection', { name: 'Plain', config, secrets });
  const tunnelled = await host.call('saveConnection', {
    name: 'Tunnelled',
    config,
    secrets,
    tunnel: { host: '127.0.0.1', port: 1, user: 'me' },
  });
  ids = [plain.id, tunnelled.id];
});
afterAll(async () => {
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

function inputsFor(channel: Channel, id: string): unknown[] {
  const ref = { connectionId: id, path: ['public', 't'] };
  const view = { sort: [], filters: [] };
  switch (channel) {
    case 'getTree':
    case 'removeConnection':
    case 'duplicateConnection':
    case 'reconnect':
      return [{ connectionId: id }];
    case 'describeDataset':
      return [{ ref }];
    case 'getPage':
      return [{ ref, offset: 0, limit: 10, view }];
    case 'countRows':
      return [{ ref, view }];
    case 'getCell':
      return [{ ref, view, row: 0, column: 'x' }];
    case 'testConnection':
      return [
        {
          draft: {
            id,
            config: { kind: 'postgres', host: '127.0.0.1', port: 1, user: 'u', database: 'd' },
          },
        },
      ];
    case 'parseConnectionUrl':
      return [{ url: `postgres://u:${secrets.password}@h/d` }];
    case 'saveConnection':
      return [
        {
          id,
          name: 'Renamed',
          config: { kind: 'postgres', host: 'h', port: 1, user: 'u', database: 'd' },
        },
      ];
    default:
      return [{}];
  }
}

describe('secrets never leave the main process', () => {
  it('are not in connections.json in plain text', async () => {
    const text = await fs.readFile(path.join(dir, connectionsFileName), 'utf8');
    for (const marker of markers) expect(text).not.toContain(marker);
  });
  it('are absent from every channel’s answer and error', async () => {
    const seen: string[] = [];
    // removeConnection last: it would take the connections away from the others.
    const order = [...channelNames].sort(
      (a, b) => Number(a === 'removeConnection') - Number(b === 'removeConnection'),
    );
    for (const channel of order) {
      for (const id of ids) {
        for (const input of inputsFor(channel, id)) {
          const outcome = await host.call(channel, input).then(
            (value) => JSON.stringify(value),
            (error: unknown) => JSON.stringify(toAppError(error).toJSON()),
          );
          seen.push(channel);
          for (const marker of markers) {
            expect(outcome, `${channel} answered a secret`).not.toContain(marker);
          }
        }
      }
    }
    expect(new Set(seen)).toEqual(new Set(channelNames));
  });
});
