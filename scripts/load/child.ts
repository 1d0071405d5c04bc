import type { ChildProcess } from 'node:child_process';

/** What a started bot process left to read: the tail of its stderr (for error messages) and its exit. */
export interface WatchedChild {
  /** The last 4,000 characters it wrote to stderr. */
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

export function watchChild(child: ChildProcess): WatchedChild {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { stderr: () => stderr, exited };
}
