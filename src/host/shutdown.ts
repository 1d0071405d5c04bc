import type { Logger } from '../bot/log.js';

/**
 * Signal handling of the bot process: SIGTERM and SIGINT stop it gracefully (exit 0), a second one
 * exits at once, SIGHUP reloads the fact base.
 */

/**
 * If a graceful stop has not finished after this long, exit with 1 anyway. Above the drain (10 s) and
 * the disconnect grace (2 s); keep the orchestrator's kill timeout above it (docker stop -t 15,
 * Kubernetes' default terminationGracePeriodSeconds is 30).
 */
export const SHUTDOWN_HARD_TIMEOUT_MS = 15_000;

/** Exit code after a second signal: the shell convention 128 + the signal number. */
const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalHandlerOptions {
  /** The graceful stop; the process exits 0 when it resolves. */
  readonly stop: () => Promise<void>;
  /** SIGHUP: reload the fact base. Omitted in terminal mode, where SIGHUP means the terminal went away. */
  readonly reload?: () => Promise<unknown>;
  readonly logger: Logger;
  /** process.exit; injectable so the wiring can be tested. */
  readonly exit: (code: number) => void;
  /** Where to listen; the process by default. */
  readonly target?: Pick<NodeJS.Process, 'on'>;
}

/** Installs the handlers on the process. */
export function installSignalHandlers(options: SignalHandlerOptions): void {
  const { logger, exit } = options;
  const target = options.target ?? process;
  let stopping = false;
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'shutdown: second signal, exiting now');
      exit(SIGNAL_EXIT_CODES[signal] ?? 1);
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutdown: signal received');
    const hard = setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_HARD_TIMEOUT_MS }, 'shutdown: graceful stop took too long, exiting');
      exit(1);
    }, SHUTDOWN_HARD_TIMEOUT_MS);
    // The timer must not be what keeps a finished process alive.
    hard.unref();
    options.stop().then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown: failed');
        exit(1);
      },
    );
  };
  target.on('SIGTERM', onStop);
  target.on('SIGINT', onStop);
  const { reload } = options;
  if (reload) {
    target.on('SIGHUP', () => {
      logger.info({ signal: 'SIGHUP' }, 'knowledge: reload requested');
      void reload();
    });
  }
}
