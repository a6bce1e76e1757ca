/**
 * Gemini API (`POST /v1beta/models/<model>:generateContent`, and
 * `:streamGenerateContent?alt=sse` for SSE): Gemini CLI. Tools come as
 * `tools[].functionDeclarations`, a tool call as a `functionCall` part, its result as a
 * `functionResponse` part; errors as `{error: {code, message, status}}`.
 */
import { arr, isObj, json, sse, type Obj, type Protocol, type RequestView } from './protocol.js';

const usage = { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 };
const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

function reply(res: Parameters<Protocol['text']>[0], view: RequestView, parts: Obj[]) {
  const body = {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usage,
    modelVersion: view.model ?? 'gemini-fake',
  };
  if (view.stream) sse(res, [[null, body]]);
  else json(res, 200, body);
}

/** The text of a functionResponse's `response` (Gemini CLI sends `{output: "..."}` or `{error: "..."}`). */
function responseText(response: unknown): string {
  if (!isObj(response)) return typeof response === 'string' ? response : JSON.stringify(response ?? '');
  for (const key of ['output', 'error', 'content'])
    if (typeof response[key] === 'string') return response[key] as string;
  return JSON.stringify(response);
}

export const gemini: Protocol = {
  name: 'gemini',
  matches: (method, url) => method === 'POST' && /\/models\/[^/:?]+:(stream)?[gG]enerateContent(\?|$)/.test(url),
  read(body, url) {
    const b = isObj(body) ? body : {};
    const contents = arr(b['contents']);
    const last = contents[contents.length - 1];
    let toolResult: string | undefined;
    if (isObj(last) && last['role'] === 'user') {
      const results = arr(last['parts']).filter((p) => isObj(p) && isObj(p['functionResponse']));
      if (results.length)
        toolResult = results.map((p) => responseText(((p as Obj)['functionResponse'] as Obj)['response'])).join('\n');
    }
    const config = isObj(b['generationConfig']) ? b['generationConfig'] : {};
    return {
      tools: arr(b['tools'])
        .flatMap((t) => (isObj(t) ? arr(t['functionDeclarations']) : []))
        .map((f) => (isObj(f) ? String(f['name']) : ''))
        .filter(Boolean),
      toolResult,
      wantsJson: config['responseMimeType'] === 'application/json',
      stream: url.includes(':streamGenerateContent'),
      model: /\/models\/([^/:?]+):/.exec(url)?.[1],
    };
  },
  text(res, text, view) {
    reply(res, view, [{ text }]);
  },
  toolCall(res, call, view) {
    reply(res, view, [{ functionCall: { id: call.id, name: call.name, args: call.args } }]);
  },
  error(res, status, message) {
    json(res, status, { error: { code: status, message, status: STATUS[status] ?? 'UNKNOWN' } });
  },
};
