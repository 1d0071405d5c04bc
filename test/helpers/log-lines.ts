import { Writable } from 'node:stream';

/** A stream that keeps every non-empty line written to it: a logger's output, one JSON record a line. */
export function lineSink(): { readonly sink: Writable; readonly lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { sink, lines };
}
