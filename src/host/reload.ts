import { watch, type FSWatcher } from 'node:fs';
import { KnowledgeError } from '../knowledge/errors.js';
import type { Logger } from '../bot/log.js';

/**
 * Hot reload of the fact base: a change under KNOWLEDGE_DIR (or SIGHUP) reloads and validates it. A
 * valid fact base replaces the serving one; an invalid one is logged and the previous one keeps serving.
 */

/**
 * Quiet time after the last file event before reloading. Editors save in bursts (write a temp file,
 * rename it over the original, touch the directory) and `git checkout` changes several files: one
 * reload after the burst instead of one per event, and never of a half-written file set.
 */
export const RELOAD_DEBOUNCE_MS = 200;

export interface ReloaderOptions<T> {
  readonly dir: string;
  /** Loads and validates the fact base; throws (a KnowledgeError) when it is invalid. */
  readonly load: (dir: string) => Promise<T>;
  /** Called with each valid fact base loaded, and how long loading took. */
  readonly onLoaded: (value: T, elapsedMs: number) => void;
  /** Called with each rejected load; the caller keeps serving the previous fact base. */
  readonly onFailed: (error: unknown) => void;
  /** Watch `dir` for changes (WATCH_KNOWLEDGE); SIGHUP reloads either way. */
  readonly watch: boolean;
  readonly logger: Logger;
  readonly debounceMs?: number;
}

export interface Reloader {
  /**
   * Reloads now. Reloads never overlap: one asked for while another runs starts when it ends, so the
   * last change is always the one that serves. Resolves true when the fact base was replaced.
   */
  reload(reason: string): Promise<boolean>;
  /** Stops watching; a reload in progress still finishes. */
  close(): void;
}

/** Starts watching `dir` (when asked to) and returns the reload control. */
export function createReloader<T>(options: ReloaderOptions<T>): Reloader {
  const { logger } = options;
  const debounceMs = options.debounceMs ?? RELOAD_DEBOUNCE_MS;
  let running: Promise<boolean> | undefined;
  let queued: Promise<boolean> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;

  const loadOnce = async (reason: string): Promise<boolean> => {
    const started = performance.now();
    try {
      const value = await options.load(options.dir);
      const elapsedMs = performance.now() - started;
      options.onLoaded(value, elapsedMs);
      logger.info({ reason, dir: options.dir, elapsedMs: Math.round(elapsedMs) }, 'knowledge: reloaded');
      return true;
    } catch (error) {
      // A KnowledgeError's message lists every problem with its file, path inside the file, line and what is
      // wrong; `issues` carries the same as data for log search.
      const detail = error instanceof KnowledgeError ? { issues: error.issues } : { err: error };
      logger.error({ reason, dir: options.dir, ...detail }, `knowledge: reload rejected, the previous fact base keeps serving. ${(error as Error).message}`);
      options.onFailed(error);
      return false;
    }
  };

  const reload = (reason: string): Promise<boolean> => {
    if (!running) {
      running = loadOnce(reason).finally(() => {
        running = undefined;
      });
      return running;
    }
    // A change arrived during a load: that load may have read the old files, so load once more after it.
    queued ??= running.then(() => {
      queued = undefined;
      return reload(reason);
    });
    return queued;
  };

  if (options.watch) {
    try {
      // The loader reads only the folder's top-level *.yaml files, so a non-recursive watch sees every
      // relevant change; watching the folder (not the files) also catches editors' rename-over saves.
      // Every event counts, not only *.yaml names: a Kubernetes ConfigMap update swaps a `..data`
      // symlink and touches no .yaml name. A reload that finds nothing changed costs a few ms.
      watcher = watch(options.dir, { persistent: false }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void reload('file change'), debounceMs);
      });
      watcher.on('error', (error) => logger.error({ err: error, dir: options.dir }, 'knowledge: watching the fact base folder failed; SIGHUP still reloads'));
      logger.info({ dir: options.dir, debounceMs }, 'knowledge: watching for changes');
    } catch (error) {
      logger.error({ err: error, dir: options.dir }, 'knowledge: cannot watch the fact base folder; SIGHUP still reloads');
    }
  }

  return {
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
