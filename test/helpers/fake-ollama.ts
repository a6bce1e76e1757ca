/**
 * A fake Ollama server on 127.0.0.1 (random free port) for the agent-tests Ollama runner,
 * answering the endpoints it uses with the shapes Ollama returns:
 * `GET /api/tags` (the pulled models) and `POST /api/chat` (non-streaming).
 * Plus a port nobody listens on, a server that accepts connections and never answers,
 * and an async Python runner: `py()` is synchronous and would block this server.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { PYTHON, type PyRun } from './python.js';

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  format?: unknown;
  options?: Record<string, unknown>;
}

/** What the fake model says: message content, or an HTTP error to send instead. */
export type Reply = string | { status: number; error: string };

export interface FakeOllama {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: { method: string; path: string; body: unknown }[];
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * Starts the fake: `models` are the pulled models (`llama3.2:latest` form), `reply` decides
 * the content of each chat answer from the request (the user's prompt is the last message).
 */
export async function startFakeOllama(opts: {
  models: string[];
  reply: (req: ChatRequest) => Reply;
}): Promise<FakeOllama> {
  const requests: FakeOllama['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', body });
      if (req.method === 'GET' && req.url === '/api/tags') {
        send(res, 200, {
          models: opts.models.map((name) => ({
            name,
            model: name,
            modified_at: '2026-01-01T00:00:00.000000000Z',
            size: 2019393189,
            digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
            details: {
              parent_model: '',
              format: 'gguf',
              family: 'llama',
              families: ['llama'],
              parameter_size: '3.2B',
              quantization_level: 'Q4_K_M',
            },
          })),
        });
        return;
      }
      if (req.method === 'POST' && req.url === '/api/chat') {
        const chat = body as ChatRequest;
        const known = opts.models.some((m) => m === chat.model || m === `${chat.model}:latest`);
        if (!known) {
          send(res, 404, { error: `model "${chat.model}" not found, try pulling it first` });
          return;
        }
        const reply = opts.reply(chat);
        if (typeof reply !== 'string') {
          send(res, reply.status, { error: reply.error });
          return;
        }
        send(res, 200, {
          model: chat.model,
          created_at: new Date().toISOString(),
          message: { role: 'assistant', content: reply },
          done_reason: 'stop',
          done: true,
          total_duration: 4883583458,
          load_duration: 1334875,
          prompt_eval_count: 26,
          prompt_eval_duration: 342546000,
          eval_count: 282,
          eval_duration: 4535599000,
        });
        return;
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port that was free a moment ago and has no listener now. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server that accepts connections and never answers (a hung Ollama). */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Like `py()`, without blocking the event loop (so servers in this process can answer). */
export function pyAsync(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<PyRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
