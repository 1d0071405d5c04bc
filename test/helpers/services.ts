import { spawnSync } from 'node:child_process';

/**
 * Whether a real service binary (redis-server, chromium: Debian's packages) can run here. Tests that
 * need one skip and say why when it is missing; in CI (HAIDIAN_REQUIRE_SERVICES=1, set by .ci/run,
 * which installs the packages) a missing binary fails them instead.
 */
export type ServiceCheck = { available: true } | { available: false; reason: string };

export function serviceAvailable(options: { binary: string; args: readonly string[]; packageName: string; tests: string }): ServiceCheck {
  const probe = spawnSync(options.binary, options.args, { encoding: 'utf8', timeout: 30_000 });
  if (probe.status === 0) return { available: true };
  const reason = `${options.binary} not found (apt-get install -y ${options.packageName}): ${options.tests} are skipped`;
  if (process.env['HAIDIAN_REQUIRE_SERVICES'] === '1') throw new Error(`${reason}, but HAIDIAN_REQUIRE_SERVICES=1 requires them`);
  return { available: false, reason };
}
