/**
 * A fake model API on 127.0.0.1 for the real agent CLIs (claude, codex, gemini, opencode...).
 * One HTTP server speaks every wire protocol registered in PROTOCOLS (Anthropic Messages,
 * OpenAI Responses, Gemini generateContent, OpenAI Chat Completions), logs every request,
 * and answers according to the current *scenario*:
 *   - `text`:  a final answer with that text;
 *   - `tool`:  the first request that offers a shell tool gets a call of that tool with
 *              `command`; the request that carries the tool's result gets a final answer
 *              `<text>\n<tool output>` (so a test sees the script's output in the answer);
 *   - `error`: an HTTP error with that status and message, in the protocol's error shape;
 *   - `route`: the scenario of the first route whose `match` occurs in the request body
 *              (e.g. a marker of one repo's AGENTS.md), else `fallback` — for chains.
 * Requests without tools (titles, routers, quota checks) get a short text, except under `error`.
 * Every request loop is bounded by the CLI; the server closes idle sockets on stop().
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROTOCOLS, type Protocol } from './protocols.js';

export type Scenario =
  | { kind: 'route'; routes: Array<{ match: string; scenario: Scenario }>; fallback: Scenario }
  | { kind: 'text'; text: string }
  | { kind: 'tool'; command: string; text?: string }
  | { kind: 'error'; status: number; message: string };

export interface LoggedRequest {
  protocol: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (undefined when the body was not JSON). */
  body: unknown;
  /** The raw body text, for "did X reach the model" assertions. */
  raw: string;
  /** What the server answered: text, tool, error or other. */
  answered: string;
}

export interface FakeModel {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: LoggedRequest[];
  scenario: Scenario;
  /** Requests of one protocol that offered tools (the agent's real turns, not side requests). */
  turns(protocol?: string): LoggedRequest[];
  stop(): Promise<void>;
}

/** The shell tools the CLIs offer, and how each takes a command line. */
export const SHELL_TOOLS: Record<string, (command: string) => Record<string, unknown>> = {
  Bash: (command) => ({ command, description: 'Run the skill script' }),
  bash: (command) => ({ command, description: 'Run the skill script' }),
  run_shell_command: (command) => ({ command, description: 'Run the skill script' }),
  shell: (command) => ({ command: ['bash', '-lc', command] }),
  shell_command: (command) => ({ command }),
  exec_command: (command) => ({ cmd: command }),
};

export function shellToolOf(tools: readonly string[]): string | undefined {
  return Object.keys(SHELL_TOOLS).find((t) => tools.includes(t));
}

const MAX_BODY = 32 * 1024 * 1024;

export async function startFakeModel(initial: Scenario = { kind: 'text', text: 'fake answer' }): Promise<FakeModel> {
  const requests: LoggedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const state = { scenario: initial };
  let toolCalls = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const url = req.url ?? '/';
      const protocol: Protocol | undefined = PROTOCOLS.find((p) => p.matches(req.method ?? 'GET', url));
      const entry: LoggedRequest = {
        protocol: protocol?.name ?? 'other',
        method: req.method ?? '',
        url,
        headers: req.headers,
        body,
        raw,
        answered: 'other',
      };
      requests.push(entry);
      if (!protocol) {
        // Model lists and other side calls: an empty success keeps the CLIs going.
        const models = /models/.test(url) ? { data: [], models: [], object: 'list' } : {};
        res.writeHead(url.includes('models') || req.method === 'GET' ? 200 : 404, {
          'content-type': 'application/json',
        });
        res.end(JSON.stringify(models));
        return;
      }
      let scenario = state.scenario;
      while (scenario.kind === 'route') {
        const route: { match: string; scenario: Scenario } | undefined = scenario.routes.find((r) =>
          raw.includes(r.match),
        );
        scenario = route ? route.scenario : scenario.fallback;
      }
      const view = protocol.read(body, url);
      if (scenario.kind === 'error') {
        entry.answered = 'error';
        protocol.error(res, scenario.status, scenario.message);
        return;
      }
      if (scenario.kind === 'tool' && view.tools.length > 0) {
        if (view.toolResult !== undefined) {
          entry.answered = 'text';
          protocol.text(res, `${scenario.text ?? 'Done.'}\n${view.toolResult}`, view);
          return;
        }
        const tool = shellToolOf(view.tools);
        if (tool) {
          entry.answered = 'tool';
          toolCalls += 1;
          protocol.toolCall(
            res,
            { id: `call_${toolCalls}`, name: tool, args: SHELL_TOOLS[tool]!(scenario.command) },
            view,
          );
          return;
        }
      }
      if (view.tools.length === 0 && scenario.kind !== 'text') {
        entry.answered = 'side';
        protocol.text(res, view.wantsJson ? '{"reasoning":"fake","model_choice":"flash"}' : 'ok', view);
        return;
      }
      entry.answered = 'text';
      protocol.text(res, scenario.kind === 'text' ? scenario.text : 'No shell tool was offered.', view);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get scenario() {
      return state.scenario;
    },
    set scenario(s: Scenario) {
      state.scenario = s;
    },
    turns(protocol?: string) {
      return requests.filter(
        (r) =>
          r.protocol !== 'other' &&
          (!protocol || r.protocol === protocol) &&
          PROTOCOLS.find((p) => p.name === r.protocol)!.read(r.body, r.url).tools.length > 0,
      );
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
