/** Counts work in progress (replies being produced and delivered) so a graceful shutdown can wait for it. */
export interface InFlight {
  /** Runs `work`, counted as in flight until it settles; returns its result. */
  track<T>(work: () => Promise<T>): Promise<T>;
  /** Work running now. */
  readonly count: number;
  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean>;
}

/** Creates an in-flight counter. */
export function createInFlight(): InFlight {
  let count = 0;
  const waiters = new Set<() => void>();
  const settle = (): void => {
    count -= 1;
    if (count === 0) for (const wake of waiters) wake();
  };
  return {
    async track(work) {
      count += 1;
      try {
        return await work();
      } finally {
        settle();
      }
    },
    get count() {
      return count;
    },
    idle(timeoutMs) {
      if (count === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (drained: boolean): void => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(drained);
        };
        const wake = (): void => done(true);
        const timer = setTimeout(() => done(false), timeoutMs);
        waiters.add(wake);
      });
    },
  };
}
