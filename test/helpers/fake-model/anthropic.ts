/** Anthropic Messages API (`POST /v1/messages`, SSE when `stream: true`): Claude Code. */
import { arr, isObj, json, sse, textOf, type Protocol } from './protocol.js';

let n = 0;
const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

function message(model: string, content: unknown[], stop: string) {
  n += 1;
  return {
    id: `msg_fake_${n}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage,
  };
}

function stream(
  res: Parameters<Protocol['text']>[0],
  model: string,
  block: Record<string, unknown>,
  delta: Record<string, unknown>,
  stop: string,
) {
  const start = message(model, [], stop);
  sse(res, [
    ['message_start', { type: 'message_start', message: { ...start, stop_reason: null } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: block }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } },
    ],
    ['message_stop', { type: 'message_stop' }],
  ]);
}

export const anthropic: Protocol = {
  name: 'anthropic',
  matches: (method, url) => method === 'POST' && /\/v1\/messages(\?|$)/.test(url),
  read(body) {
    const b = isObj(body) ? body : {};
    const messages = arr(b['messages']);
    const last = messages[messages.length - 1];
    let toolResult: string | undefined;
    if (isObj(last) && last['role'] === 'user') {
      const results = arr(last['content']).filter((c) => isObj(c) && c['type'] === 'tool_result');
      if (results.length) toolResult = results.map((r) => textOf((r as Record<string, unknown>)['content'])).join('\n');
    }
    return {
      tools: arr(b['tools'])
        .map((t) => (isObj(t) ? String(t['name']) : ''))
        .filter(Boolean),
      toolResult,
      stream: b['stream'] === true,
      model: typeof b['model'] === 'string' ? b['model'] : undefined,
    };
  },
  text(res, text, view) {
    const model = view.model ?? 'claude-fake';
    if (!view.stream) return json(res, 200, message(model, [{ type: 'text', text }], 'end_turn'));
    stream(res, model, { type: 'text', text: '' }, { type: 'text_delta', text }, 'end_turn');
  },
  toolCall(res, call, view) {
    const model = view.model ?? 'claude-fake';
    const id = `toolu_${call.id}`;
    if (!view.stream)
      return json(res, 200, message(model, [{ type: 'tool_use', id, name: call.name, input: call.args }], 'tool_use'));
    stream(
      res,
      model,
      { type: 'tool_use', id, name: call.name, input: {} },
      { type: 'input_json_delta', partial_json: JSON.stringify(call.args) },
      'tool_use',
    );
  },
  error(res, status, message) {
    const type =
      status === 400
        ? 'invalid_request_error'
        : status === 401
          ? 'authentication_error'
          : status === 429
            ? 'rate_limit_error'
            : 'api_error';
    json(res, status, { type: 'error', error: { type, message } });
  },
};
