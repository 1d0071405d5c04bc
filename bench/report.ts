/** Formats benchmark results as a readable table, with the speed-ups and the issue-6 targets. */
import type { EngineResult, SizeReport } from './measure.js';

/** Start-up stages, ms since the process started. */
export interface StartupStages {
  readonly runtime_ms: number;
  readonly import_ms: number;
  readonly load_ms: number;
  readonly build_ms: number;
  readonly ask_ms: number;
}

export interface StartupReport {
  readonly runs: number;
  /** Median wall time from spawning `node dist/bench/startup.js` (compiled, as production runs) to its answer on stdout. */
  readonly median_ms: number;
  readonly min_ms: number;
  readonly max_ms: number;
  /** Median in-process stages (ms since the process started). */
  readonly stages: StartupStages;
  readonly facts: number;
  readonly question: string;
  readonly answered: boolean;
  /** The same through tsx (`npm start` in development), for comparison. */
  readonly tsx_median_ms: number;
}

export interface RunMeta {
  readonly seed: number;
  readonly node: string;
  readonly cpus: number;
  readonly commit: string;
  readonly date: string;
  readonly total_queries: number;
  readonly smoke: boolean;
  /** 1-minute load average before and after the run: other work on the machine skews the timings. */
  readonly load: readonly [number, number];
}

const pct = (value: number | null): string => (value === null ? '–' : (value * 100).toFixed(1));
const num = (value: number, digits = 1): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const COLUMNS: readonly {
  title: string;
  width: number;
  cell: (r: EngineResult) => string;
  left?: boolean;
}[] = [
  { title: 'facts', width: 7, cell: (r) => r.facts.toLocaleString('en-US') },
  { title: 'engine', width: 21, cell: (r) => r.engine, left: true }, // haidian-bot-unguarded
  { title: 'queries', width: 7, cell: (r) => String(r.queries) },
  { title: 'build ms', width: 9, cell: (r) => num(r.build_ms) },
  { title: 'p50 µs', width: 13, cell: (r) => num(r.p50_us) },
  { title: 'p99 µs', width: 13, cell: (r) => num(r.p99_us) },
  { title: 'RSS MB', width: 7, cell: (r) => num(r.rss_mb) },
  { title: 'heap MB', width: 7, cell: (r) => num(r.heap_mb) },
  { title: 'exact', width: 5, cell: (r) => pct(r.accuracy.exact) },
  { title: 'para.', width: 5, cell: (r) => pct(r.accuracy.paraphrase) },
  { title: 'typo', width: 5, cell: (r) => pct(r.accuracy.typo) },
  { title: 'unseen', width: 6, cell: (r) => pct(r.accuracy.unseen) },
  { title: 'in-scope', width: 8, cell: (r) => pct(r.accuracy.in_scope) },
  { title: 'OOS decl.', width: 9, cell: (r) => pct(r.oos_declined) },
];

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell, i) => (COLUMNS[i]?.left ? cell.padEnd(COLUMNS[i].width) : cell.padStart(COLUMNS[i]?.width ?? 0))).join(' | ')} |`;
}

/** The results as a Markdown table (readable in a terminal and pasteable into docs). */
export function formatTable(sizes: readonly SizeReport[]): string {
  const lines = [
    row(COLUMNS.map((c) => c.title)),
    `|${COLUMNS.map((c) => `${c.left ? ':' : '-'}${'-'.repeat(c.width)}${c.left ? '-' : ':'}`).join('|')}|`,
  ];
  for (const size of sizes)
    for (const result of size.results) lines.push(row(COLUMNS.map((c) => c.cell(result))));
  return lines.join('\n');
}

/** p50 of haidian-bot against plain fuse.js at each size where both ran. */
export function speedUps(sizes: readonly SizeReport[]): { facts: number; factor: number }[] {
  return sizes.flatMap((size) => {
    const ours = size.results.find((r) => r.engine === 'haidian-bot');
    const fuse = size.results.find((r) => r.engine === 'fuse.js');
    return ours && fuse && ours.p50_us > 0
      ? [{ facts: size.facts, factor: fuse.p50_us / ours.p50_us }]
      : [];
  });
}

/** What the subject guard adds to haidian-bot's p50 and p99 (a fraction: 0.1 is 10 % slower), at each size where haidian-bot-unguarded ran too. */
export function guardCosts(sizes: readonly SizeReport[]): { facts: number; p50: number; p99: number }[] {
  return sizes.flatMap((size) => {
    const guarded = size.results.find((r) => r.engine === 'haidian-bot');
    const unguarded = size.results.find((r) => r.engine === 'haidian-bot-unguarded');
    return guarded && unguarded && unguarded.p50_us > 0 && unguarded.p99_us > 0
      ? [{ facts: size.facts, p50: guarded.p50_us / unguarded.p50_us - 1, p99: guarded.p99_us / unguarded.p99_us - 1 }]
      : [];
  });
}

/** The subject guard may make the p50 and p99 at most this much slower (issue 18). */
export const GUARD_COST_MAX = 0.1;
/** 44 µs against 40 µs is 10 % exactly, though the division says 10.000000000000009 %. */
const ROUNDING = 1e-9;
const signedPct = (fraction: number): string => `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(0)} %`;

interface Check {
  readonly label: string;
  readonly pass: boolean;
  readonly detail: string;
}

/** The targets of issue 6 that the sizes run can check. */
export function targetChecks(
  sizes: readonly SizeReport[],
  startup: StartupReport | undefined,
): Check[] {
  const checks: Check[] = [];
  const at = (facts: number): SizeReport | undefined => sizes.find((s) => s.facts === facts);
  const ten = at(10_000);
  const ours10 = ten?.results.find((r) => r.engine === 'haidian-bot');
  if (ten && ours10) {
    checks.push({
      label: '10k: p50 ≤ 50 µs',
      pass: ours10.p50_us <= 50,
      detail: `${num(ours10.p50_us)} µs`,
    });
    checks.push({
      label: '10k: p99 ≤ 250 µs',
      pass: ours10.p99_us <= 250,
      detail: `${num(ours10.p99_us)} µs`,
    });
    const fuse = speedUps([ten])[0];
    if (fuse)
      checks.push({
        label: '10k: ≥ 1000× faster than fuse.js',
        pass: fuse.factor >= 1000,
        detail: `${num(fuse.factor, 0)}×`,
      });
    const inScope = ours10.accuracy.in_scope ?? 0;
    const oos = ours10.oos_declined ?? 0;
    checks.push({
      label: '10k: in-scope top-1 ≥ 95 %',
      pass: inScope >= 0.95,
      detail: `${pct(inScope)} %`,
    });
    checks.push({
      label: '10k: out-of-scope declined ≥ 95 %',
      pass: oos >= 0.95,
      detail: `${pct(oos)} %`,
    });
    // Without peers in the run (--engines haidian-bot) there is nothing to be ahead of: no check, not a PASS.
    const peers = ten.results.filter((r) => r.engine !== 'haidian-bot' && r.engine !== 'haidian-bot-unguarded');
    if (peers.length > 0) {
      const bestPeerIn = Math.max(...peers.map((r) => r.accuracy.in_scope ?? 0));
      const bestPeerOos = Math.max(...peers.map((r) => r.oos_declined ?? 0));
      checks.push({
        label: '10k: in-scope ahead of every peer',
        pass: inScope > bestPeerIn,
        detail: `${pct(inScope)} vs best peer ${pct(bestPeerIn)}`,
      });
      checks.push({
        label: '10k: OOS declined ahead of every peer',
        pass: oos > bestPeerOos,
        detail: `${pct(oos)} vs best peer ${pct(bestPeerOos)}`,
      });
    }
  }
  const hundred = at(100_000)?.results.find((r) => r.engine === 'haidian-bot');
  if (hundred) {
    checks.push({
      label: '100k: p50 ≤ 150 µs',
      pass: hundred.p50_us <= 150,
      detail: `${num(hundred.p50_us)} µs`,
    });
    checks.push({
      label: '100k: p99 ≤ 1 ms',
      pass: hundred.p99_us <= 1000,
      detail: `${num(hundred.p99_us)} µs`,
    });
    checks.push({
      label: '100k: build ≤ 5 s',
      pass: hundred.build_ms <= 5000,
      detail: `${num(hundred.build_ms, 0)} ms`,
    });
    checks.push({
      label: '100k: RSS ≤ 500 MB',
      pass: hundred.rss_mb <= 500,
      detail: `${num(hundred.rss_mb)} MB`,
    });
  }
  for (const cost of guardCosts(sizes)) {
    const facts = cost.facts.toLocaleString('en-US');
    checks.push({
      label: `${facts}: subject guard p50 cost ≤ ${GUARD_COST_MAX * 100} %`,
      pass: cost.p50 <= GUARD_COST_MAX + ROUNDING,
      detail: signedPct(cost.p50),
    });
    checks.push({
      label: `${facts}: subject guard p99 cost ≤ ${GUARD_COST_MAX * 100} %`,
      pass: cost.p99 <= GUARD_COST_MAX + ROUNDING,
      detail: signedPct(cost.p99),
    });
  }
  if (startup)
    checks.push({
      label: 'Haidian bot ready to answer ≤ 500 ms',
      pass: startup.median_ms <= 500 && startup.answered,
      detail: `${num(startup.median_ms, 0)} ms median`,
    });
  return checks;
}

export function formatReport(
  sizes: readonly SizeReport[],
  startup: StartupReport | undefined,
  meta: RunMeta,
): string {
  const out: string[] = [];
  out.push(
    `haidian-bot benchmark: synthetic city FAQ (seed ${meta.seed}), ${meta.total_queries} queries per size (20 % out of scope)${meta.smoke ? ', SMOKE' : ''}; node ${meta.node}, ${meta.cpus} CPUs (load ${meta.load[0].toFixed(1)} → ${meta.load[1].toFixed(1)}), ${meta.commit}, ${meta.date}`,
    '',
    formatTable(sizes),
    '',
    `queries below ${meta.total_queries}: a stratified sample (equal per category) for engines too slow to answer them all at that size.`,
    'RSS/heap: after build and a full GC, with the corpus loaded; corpus alone: ' +
      sizes
        .map(
          (s) =>
            `${s.facts.toLocaleString('en-US')} facts ${num(s.baseline.rss_mb)}/${num(s.baseline.heap_mb)} MB`,
        )
        .join(', ') +
      '. Engines run in one process per size, haidian-bot first; later rows can inherit RSS the allocator kept.',
  );
  const ups = speedUps(sizes);
  if (ups.length > 0)
    out.push(
      `speed-up of haidian-bot vs fuse.js (p50): ${ups.map((u) => `${u.facts.toLocaleString('en-US')} facts ${num(u.factor, 0)}×`).join(', ')}`,
    );
  const costs = guardCosts(sizes);
  if (costs.length > 0)
    out.push(
      `subject guard's cost (haidian-bot against haidian-bot-unguarded, p50 / p99): ${costs.map((c) => `${c.facts.toLocaleString('en-US')} facts ${signedPct(c.p50)} / ${signedPct(c.p99)}`).join(', ')}`,
    );
  if (startup) {
    const s = startup.stages;
    out.push(
      `startup (compiled, node dist/bench/startup.js, as the Dockerfile runs the bot: load knowledge/ (${startup.facts} facts), createEngine, first ask), median of ${startup.runs}: ` +
        `${num(startup.median_ms, 0)} ms wall (min ${num(startup.min_ms, 0)}, max ${num(startup.max_ms, 0)}); in process: node ${num(s.runtime_ms, 0)}, ` +
        `imports ${num(s.import_ms, 0)}, load ${num(s.load_ms, 0)}, createEngine ${num(s.build_ms, 0)}, ask ${num(s.ask_ms, 1)} ms; ` +
        `through tsx (npm start in development): ${num(startup.tsx_median_ms, 0)} ms median` +
        (startup.answered ? '' : ' — WARNING: the first question was not answered'),
    );
  }
  const checks = targetChecks(sizes, startup);
  if (checks.length > 0) {
    out.push('', 'targets for haidian-bot (issue 6; the subject guard\'s cost, issue 18):');
    for (const check of checks)
      out.push(`  ${check.pass ? 'PASS' : 'MISS'}  ${check.label.padEnd(38)} ${check.detail}`);
  }
  return out.join('\n');
}
