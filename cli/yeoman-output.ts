/**
 * The stream `puruto new` / `puruto init` give Yeoman for its log: paths lose the
 * temporary staging segment (lib/staging.ts), and Yeoman's "✖ An error occured while
 * running puruto:app#initializing" line is dropped — the command prints the refusal
 * itself, once. Each Yeoman log line arrives as one write.
 */
import { Writable } from 'node:stream';
import { STAGING_SEGMENT } from '../lib/staging.js';

const YEOMAN_ERROR_WRAPPER = /An error occured while running \S+#\S+/;

export function yeomanStream(
  out: NodeJS.WriteStream,
  write: (text: string, done: () => void) => void = (t, d) => out.write(t, d),
): NodeJS.WriteStream {
  const w = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      const text = String(chunk);
      if (YEOMAN_ERROR_WRAPPER.test(text)) return done();
      write(text.replace(STAGING_SEGMENT, ''), () => done());
    },
  });
  // Prompts end their output stream when they close (e.g. on Ctrl-C) while Yeoman may
  // still log: this stream stays open for the whole run and is simply dropped after it.
  w.end = (() => w) as typeof w.end;
  // Yeoman's adapter asks the stream about the terminal (colours, width, prompts).
  return Object.assign(w, {
    isTTY: out.isTTY,
    columns: out.columns,
    rows: out.rows,
    getColorDepth: out.getColorDepth?.bind(out),
    hasColors: out.hasColors?.bind(out),
  }) as unknown as NodeJS.WriteStream;
}
