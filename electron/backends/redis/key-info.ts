/**
 * Type, TTL, memory use and length for a page of keys. One read-only Lua script answers a whole
 * page in one command: a page of 1,000 keys as 4,000 pipelined commands costs the client far
 * more (a command object and reply each) than the server's ~2 ms of script time. Where scripts
 * are not allowed (an ACL without @scripting, a server without EVAL) it falls back to two
 * pipelined round trips, and remembers the choice per client.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DbRun } from './connection.js';
import { execPipeline, integerOrNull } from './replies.js';

export interface KeyInfo {
  type: string | null;
  /** Seconds; null when the key has no expiry (or is gone). */
  ttl: number | null;
  memory: number | null;
  length: number | null;
}

export const lengthCommand: Record<string, string> = {
  string: 'STRLEN',
  hash: 'HLEN',
  list: 'LLEN',
  set: 'SCARD',
  zset: 'ZCARD',
  stream: 'XLEN',
};

const body = `
local lengths = { string = 'STRLEN', hash = 'HLEN', list = 'LLEN', set = 'SCARD', zset = 'ZCARD', stream = 'XLEN' }
local out = {}
for _, key in ipairs(KEYS) do
  local t = redis.call('TYPE', key)['ok']
  local memory = redis.pcall('MEMORY', 'USAGE', key)
  if type(memory) ~= 'number' then memory = false end
  local length = false
  if lengths[t] then length = redis.call(lengths[t], key) end
  out[#out + 1] = t
  out[#out + 1] = redis.call('TTL', key)
  out[#out + 1] = memory
  out[#out + 1] = length
end
return out`;

/** Redis 7 needs the flag to run a script on a read-only replica; older servers reject it. */
const scripts = [`#!lua flags=no-writes\n${body}`, body].map((lua) => ({
  lua,
  sha: createHash('sha1').update(lua).digest('hex'),
}));

/** Which script each client accepts: an index into `scripts`, or -1 for pipelines only. */
const accepted = new WeakMap<Redis, number>();

export function keyInfo(
  run: DbRun,
  keys: readonly Buffer[],
  signal?: AbortSignal,
): Promise<KeyInfo[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return run(async (redis) => {
    for (let i = accepted.get(redis) ?? 0; i >= 0 && i < scripts.length; i++) {
      const reply = await runScript(redis, scripts[i]!, keys).catch((error: unknown) => error);
      if (!(reply instanceof Error)) {
        accepted.set(redis, i);
        return fromScript(reply, keys.length);
      }
      // A dropped connection is not a reason to give up on scripts.
      if (!/^(ERR|NOPERM|NOSCRIPT)|unknown command|shebang|flags/i.test(reply.message)) throw reply;
    }
    accepted.set(redis, -1);
    return byPipelines(redis, keys);
  }, signal);
}

async function runScript(
  redis: Redis,
  script: { lua: string; sha: string },
  keys: readonly Buffer[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys);
  } catch (error) {
    if (!(error instanceof Error) || !/^NOSCRIPT/.test(error.message)) throw error;
    return redis.eval(script.lua, keys.length, ...keys);
  }
}

function fromScript(reply: unknown, count: number): KeyInfo[] {
  if (!Array.isArray(reply) || reply.length !== count * 4) {
    throw new Error('ERR unexpected reply from the key info script');
  }
  return Array.from({ length: count }, (_, i) =>
    info(reply[i * 4], reply[i * 4 + 1], reply[i * 4 + 2], reply[i * 4 + 3]),
  );
}

async function byPipelines(redis: Redis, keys: readonly Buffer[]): Promise<KeyInfo[]> {
  const first = redis.pipeline();
  for (const key of keys) {
    first.type(key);
    first.ttl(key);
    first.call('MEMORY', 'USAGE', key);
  }
  const replies = await execPipeline(first);
  const types = keys.map((_, i) => replies[i * 3]);
  const second = redis.pipeline();
  for (const [i, key] of keys.entries()) {
    const command = lengthCommand[String(types[i])];
    // Module types (JSON, time series…) have no common length command; PING keeps the slot.
    if (command) second.call(command, key);
    else second.ping();
  }
  const lengths = await execPipeline(second);
  return keys.map((_, i) =>
    info(
      types[i],
      replies[i * 3 + 1],
      replies[i * 3 + 2],
      lengthCommand[String(types[i])] ? lengths[i] : null,
    ),
  );
}

function info(type: unknown, ttl: unknown, memory: unknown, length: unknown): KeyInfo {
  const seconds = integerOrNull(ttl);
  return {
    type: typeof type === 'string' ? type : null,
    // -1: no expiry; -2: the key went away since SCAN saw it.
    ttl: seconds !== null && seconds >= 0 ? seconds : null,
    memory: integerOrNull(memory),
    length: integerOrNull(length),
  };
}
