/**
 * The reserved IPC action for free text (SPEC §11): a request with this action names no
 * skill; the target's agent gets the text without a slash command and picks the skill by
 * the target's rules. invoker.py's MESSAGE_ACTION is the same word (a test checks both).
 * No skill may take this name.
 */
export const MESSAGE_ACTION = 'message';
