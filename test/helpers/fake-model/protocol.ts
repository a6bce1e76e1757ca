/** The shape every wire protocol of the fake model API implements (see server.ts). */
import type { ServerResponse } from 'node:http';

export interface RequestView {
  /** Names of the tools the request offers (empty for side requests). */
  tools: string[];
  /** The text of the tool result the request carries, when its last turn is one. */
  toolResult?: string | undefined;
  /** The request asks for a JSON answer (e.g. Gemini's model router). */
  wantsJson?: boolean;
  /** The request wants a streamed (SSE) answer. */
  stream: boolean;
  model?: string | undefined;
}

export interface ToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}

export interface Protocol {
  name: string;
  matches(method: string, url: string): boolean;
  read(body: unknown, url: string): RequestView;
  text(res: ServerResponse, text: string, view: RequestView): void;
  toolCall(res: ServerResponse, call: ToolCall, view: RequestView): void;
  error(res: ServerResponse, status: number, message: string): void;
}

/** Writes Server-Sent Events: each item is [event name or null, data object]. */
export function sse(res: ServerResponse, events: Array<[string | null, unknown]>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const [event, data] of events) {
    res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  }
  res.end();
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The text inside a content value: a string, or text blocks. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((b) =>
      isObj(b)
        ? typeof b['text'] === 'string'
          ? b['text']
          : typeof b['content'] === 'string'
            ? b['content']
            : textOf(b['content'])
        : '',
    )
    .join('\n');
}
