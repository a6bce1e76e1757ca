/**
 * OpenAI Responses API (`POST /v1/responses`, SSE when `stream: true`): Codex.
 * A streamed answer is `response.created`, the output item (`message` with `output_text`, or
 * a `function_call` with JSON `arguments`) added and done, then `response.completed`; Codex
 * needs that last event, or it treats the stream as broken and retries. A tool result comes
 * back as a `function_call_output` input item (its `output` a string or content parts).
 */
import { arr, isObj, json, sse, textOf, type Obj, type Protocol, type RequestView } from './protocol.js';

let n = 0;
const usage = {
  input_tokens: 10,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 5,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 15,
};

function response(model: string, output: unknown[], status: string): Obj {
  return {
    id: `resp_fake_${n}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model,
    output,
    usage: status === 'completed' ? usage : null,
  };
}

function answer(res: Parameters<Protocol['text']>[0], view: RequestView, item: Obj): void {
  n += 1;
  const model = view.model ?? 'gpt-fake';
  if (!view.stream) return json(res, 200, response(model, [item], 'completed'));
  const events: Array<[string, unknown]> = [
    [
      'response.created',
      { type: 'response.created', sequence_number: 0, response: response(model, [], 'in_progress') },
    ],
    ['response.output_item.added', { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item }],
  ];
  if (item['type'] === 'message') {
    const text = String((arr(item['content'])[0] as Obj)['text']);
    events.push([
      'response.output_text.delta',
      {
        type: 'response.output_text.delta',
        sequence_number: 2,
        item_id: item['id'],
        output_index: 0,
        content_index: 0,
        delta: text,
      },
    ]);
  }
  events.push(
    ['response.output_item.done', { type: 'response.output_item.done', sequence_number: 3, output_index: 0, item }],
    [
      'response.completed',
      { type: 'response.completed', sequence_number: 4, response: response(model, [item], 'completed') },
    ],
  );
  sse(res, events);
}

/** The text of a `function_call_output` item's `output`: a string, or content parts. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (isObj(output) && typeof output['content'] === 'string') return output['content'];
  return textOf(output);
}

export const openaiResponses: Protocol = {
  name: 'openai-responses',
  matches: (method, url) => method === 'POST' && /\/v1\/responses(\?|$)/.test(url),
  read(body) {
    const b = isObj(body) ? body : {};
    const input = arr(b['input']);
    const last = input[input.length - 1];
    const toolResult = isObj(last) && last['type'] === 'function_call_output' ? outputText(last['output']) : undefined;
    return {
      tools: arr(b['tools'])
        .map((t) => (isObj(t) ? String(t['name'] ?? t['type'] ?? '') : ''))
        .filter(Boolean),
      toolResult,
      stream: b['stream'] === true,
      model: typeof b['model'] === 'string' ? b['model'] : undefined,
    };
  },
  text(res, text, view) {
    answer(res, view, {
      type: 'message',
      id: `msg_fake_${n + 1}`,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [] }],
    });
  },
  toolCall(res, call, view) {
    answer(res, view, {
      type: 'function_call',
      id: `fc_${call.id}`,
      status: 'completed',
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.args),
    });
  },
  error(res, status, message) {
    const type =
      status === 400
        ? 'invalid_request_error'
        : status === 401
          ? 'authentication_error'
          : status === 429
            ? 'rate_limit_exceeded'
            : 'server_error';
    json(res, status, { error: { message, type, param: null, code: null } });
  },
};
