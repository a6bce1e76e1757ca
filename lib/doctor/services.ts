/** Services: the gateway answering /health; the cron loop and the bot alive (heartbeats). */
import path from 'node:path';
import { readTextFile } from '../safe-read.js';
import { isObject } from '../validate/kind.js';
import { lines, type RepoCtx } from './context.js';
import { gatewayAddress } from './env.js';
import type { Check, Probes } from './types.js';

/** Written by heartbeat.py of cron's loop and of the bot. */
export const HEARTBEAT_FILE = 'db/heartbeat.json';

function clock(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

function heartbeat(repo: RepoCtx, probes: Probes, what: string): Check[] {
  const l = lines('services', repo.name);
  const r = readTextFile(path.join(repo.dir, HEARTBEAT_FILE));
  const start = repo.inRepo('./run');
  if (!r.ok) {
    l.add('warn', 'services.not-started', `${what} is not running (no ${HEARTBEAT_FILE}: never started here)`, start);
    return l.out;
  }
  let data: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(r.text) as unknown;
    if (isObject(parsed)) data = parsed;
  } catch {
    data = {};
  }
  const pid = Number(data['pid']);
  const at = Number(data['at']) * 1000;
  const every = Number(data['every']) > 0 ? Number(data['every']) : 30;
  const tick = Number(data['last_tick']) * 1000;
  const ago = Math.max(0, Math.round((probes.now() - at) / 1000));
  const lastTick = Number.isFinite(tick) && tick > 0 ? `; last tick ${clock(tick)}` : '';
  const alive = Number.isInteger(pid) && pid > 0 && probes.alive(pid);
  if (!Number.isFinite(at)) l.add('warn', 'services.heartbeat-unreadable', `${HEARTBEAT_FILE} is unreadable`, start);
  else if (!alive)
    l.add(
      'warn',
      'services.stopped',
      `${what} is not running (pid ${pid} is gone; last heartbeat ${clock(at)}${lastTick})`,
      start,
    );
  else if (ago > Math.max(3 * every, every + 30))
    l.add(
      'error',
      'services.stuck',
      `${what} (pid ${pid}) has not beaten for ${ago} s (due every ${every} s${lastTick}): stuck`,
      `kill ${pid}; ${start}`,
    );
  else l.add('ok', 'services.alive', `${what} is running (pid ${pid}, heartbeat ${ago} s ago${lastTick})`);
  return l.out;
}

export async function repoServices(repo: RepoCtx, probes: Probes): Promise<Check[]> {
  if (repo.kind === 'puruto-cron') return heartbeat(repo, probes, 'the scheduler loop');
  if (repo.kind === 'puruto-telegram') return heartbeat(repo, probes, 'the bot');
  if (repo.kind !== 'puruto-gateway') return [];
  const l = lines('services', repo.name);
  const { host, port } = gatewayAddress(repo);
  if (port === undefined) return l.out; // reported under env
  const probeHost = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host;
  const res = await probes.http(
    `http://${probeHost.includes(':') ? `[${probeHost}]` : probeHost}:${port}/health`,
    2000,
  );
  let service = '';
  try {
    const body = res ? (JSON.parse(res.body) as unknown) : undefined;
    if (isObject(body)) service = String(body['service'] ?? '');
  } catch {
    service = '';
  }
  if (res && res.status === 200 && service === 'puruto-gateway')
    l.add('ok', 'services.gateway', `the gateway answers /health on ${probeHost}:${port}`);
  else if (res || (await probes.listening(probeHost, port)))
    l.add(
      'error',
      'services.port-taken',
      `port ${port} on ${probeHost} is taken by something that is not this ` +
        `gateway${res ? ` (/health answered ${res.status})` : ''}`,
      `stop what listens there (e.g. ss -ltnp 'sport = :${port}'), or edit ${repo.shown}/.env: ` +
        `PURUTO_GATEWAY_PORT=<a free port>`,
    );
  else
    l.add(
      'warn',
      'services.gateway-down',
      `the gateway is not running (nothing on ${probeHost}:${port})`,
      repo.inRepo('./run'),
    );
  return l.out;
}
