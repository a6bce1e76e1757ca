/** Every wire protocol the fake model API speaks; the first that matches a request answers it. */
import { anthropic } from './anthropic.js';
import { gemini } from './gemini.js';
import { openaiResponses } from './openai-responses.js';
import type { Protocol } from './protocol.js';

export type { Protocol } from './protocol.js';

export const PROTOCOLS: Protocol[] = [anthropic, gemini, openaiResponses];
