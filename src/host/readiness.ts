/**
 * What `/readyz` reports: ready only once the fact base is loaded and every configured platform is
 * connected, and no longer once shutdown has begun (so a load balancer stops sending work first).
 */

/** The state of one thing readiness waits for. */
export type CheckState = 'pending' | 'ok' | 'down' | 'degraded';

export interface ReadinessReport {
  readonly ready: boolean;
  /** Each check by name (`knowledge`, `slack`, `discord`, `shutdown`) with its state. */
  readonly checks: Readonly<Record<string, CheckState>>;
  /** Why the process is not ready, one short sentence per failing check; empty when ready. */
  readonly reasons: readonly string[];
  /** What works worse than it should while the process still answers (e.g. the shared store is away). */
  readonly degraded: readonly string[];
}

export interface Readiness {
  /** Registers a check in the `pending` state (before anything has started). */
  add(name: string, pendingReason: string): void;
  /** Marks a check as passing. */
  pass(name: string): void;
  /** Marks a check as failing, with the reason `/readyz` shows. */
  fail(name: string, reason: string): void;
  /** A live probe (e.g. "is the gateway connected now?"), consulted on every report once the check passed. */
  probe(name: string, isUp: () => boolean, downReason: string): void;
  /**
   * A live probe of something the process can answer without (the shared store): while `isUp()` is
   * false the check reads `degraded` and `/readyz` says so, but the process stays ready, so a load
   * balancer keeps sending it work.
   */
  advise(name: string, isUp: () => boolean, degradedReason: string): void;
  /** From now on the process is not ready: it is shutting down. */
  shuttingDown(): void;
  report(): ReadinessReport;
}

interface Check {
  state: CheckState;
  reason: string;
  probe?: { isUp: () => boolean; downReason: string };
}

/** Creates the readiness state of the process. */
export function createReadiness(): Readiness {
  const checks = new Map<string, Check>();
  const advisories = new Map<string, { isUp: () => boolean; reason: string }>();
  let stopping = false;
  const get = (name: string): Check => {
    const check = checks.get(name);
    if (!check) throw new Error(`readiness: unknown check "${name}"`);
    return check;
  };
  return {
    add(name, pendingReason) {
      checks.set(name, { state: 'pending', reason: pendingReason });
    },
    pass(name) {
      get(name).state = 'ok';
    },
    fail(name, reason) {
      Object.assign(get(name), { state: 'down', reason });
    },
    probe(name, isUp, downReason) {
      get(name).probe = { isUp, downReason };
    },
    advise(name, isUp, degradedReason) {
      advisories.set(name, { isUp, reason: degradedReason });
    },
    shuttingDown() {
      stopping = true;
    },
    report() {
      const states: Record<string, CheckState> = {};
      const reasons: string[] = [];
      for (const [name, check] of checks) {
        let state = check.state;
        let reason = check.reason;
        if (state === 'ok' && check.probe && !check.probe.isUp()) {
          state = 'down';
          reason = check.probe.downReason;
        }
        states[name] = state;
        if (state !== 'ok') reasons.push(`${name}: ${reason}`);
      }
      const degraded: string[] = [];
      for (const [name, advisory] of advisories) {
        const up = advisory.isUp();
        states[name] = up ? 'ok' : 'degraded';
        if (!up) degraded.push(`${name}: ${advisory.reason}`);
      }
      if (stopping) {
        states['shutdown'] = 'down';
        reasons.push('shutdown: the process is shutting down');
      }
      return { ready: reasons.length === 0, checks: states, reasons, degraded };
    },
  };
}
