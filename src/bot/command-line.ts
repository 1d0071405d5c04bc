/**
 * The one way a command of this project declares its options and usage (every `npm run` command:
 * src/cli.ts, the curator's report, bench/, scripts/, the Discord registration). Built on Node's
 * `parseArgs` tokens, so that a user's mistake becomes one line naming the option and what it allows
 * (exit 2), `--help`/`-h` prints the usage (exit 0), and adding an option is one line in `options`.
 * Here in src/bot because every caller may import this layer (adapters, curator, entry points,
 * bench/ and scripts/); it imports nothing but node:util.
 */
import { parseArgs } from 'node:util';

/** A flag: false unless given. */
export interface BooleanOption {
  readonly type: 'boolean';
  readonly description: string;
  readonly short?: string;
  /** Left out of the usage (an option the command passes to itself). */
  readonly hidden?: boolean;
}

/** An option with a value: the text, or what `parse` makes of it (the default goes through `parse` too). */
export interface StringOption<T = unknown> {
  readonly type: 'string';
  readonly description: string;
  /** The value's placeholder in the usage: `--top N`. */
  readonly value: string;
  readonly default?: string;
  /** Turns the text into the value; throws a ValueError saying what is allowed. */
  readonly parse?: (text: string) => T;
  readonly short?: string;
  readonly hidden?: boolean;
}

export type OptionSpec = BooleanOption | StringOption;

export interface PositionalSpec {
  /** The placeholder in the usage: `FILE`, `QUESTION`. */
  readonly name: string;
  readonly description: string;
  /** Default 0. */
  readonly min?: number;
  /** Default unbounded. */
  readonly max?: number;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** How a user runs it, without arguments: `npm run report`. */
  readonly command: string;
  /** What it does, in a sentence or two. */
  readonly summary: string;
  readonly options: O;
  /** Without this, any positional argument is a usage error. */
  readonly positionals?: PositionalSpec;
  /** One full example command line. */
  readonly example: string;
  /** Exit codes and other notes printed after the options. */
  readonly notes?: string;
}

type OptionValue<S> = S extends BooleanOption
  ? boolean
  : S extends { parse: (text: string) => infer T }
    ? S extends { default: string }
      ? T
      : T | undefined
    : S extends { default: string }
      ? string
      : string | undefined;

export type CommandValues<O extends Record<string, OptionSpec>> = { -readonly [K in keyof O]: OptionValue<O[K]> };

export interface ParsedCommandLine<O extends Record<string, OptionSpec>> {
  readonly values: CommandValues<O>;
  readonly positionals: string[];
}

export type CommandLineResult<O extends Record<string, OptionSpec>> =
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string }
  | ({ readonly kind: 'ok' } & ParsedCommandLine<O>);

/** A user's mistake on the command line (or found later by the command): one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Thrown by an option's `parse`: the message says what is allowed ("a positive whole number"). */
export class ValueError extends Error {
  override name = 'ValueError';
}

const HELP: BooleanOption = { type: 'boolean', short: 'h', description: 'print this help and exit' };

/** Declares a command (typed values follow from the options). */
export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

const flag = (name: string, spec: OptionSpec): string => (spec.short ? `-${spec.short}, --${name}` : `--${name}`);
const visible = (options: Record<string, OptionSpec>): [string, OptionSpec][] => Object.entries(options).filter(([, spec]) => !spec.hidden);

/** The one-line synopsis: `usage: npm run report -- [--top N] [--json] [FILE]`. */
export function formatSynopsis(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const parts = visible(spec.options).map(([name, option]) => (option.type === 'string' ? `[--${name} ${option.value}]` : `[--${name}]`));
  const positional = spec.positionals;
  if (positional) {
    const many = positional.max === undefined || positional.max > 1 ? '…' : '';
    parts.push((positional.min ?? 0) > 0 ? `${positional.name}${many}` : `[${positional.name}${many}]`);
  }
  return `usage: ${spec.command}${parts.length > 0 ? ` -- ${parts.join(' ')}` : ''}`;
}

/** The full `--help` text: synopsis, what it does, every option with its default, one example. */
export function formatHelp(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const rows: [string, string][] = [];
  if (spec.positionals) rows.push([spec.positionals.name, spec.positionals.description]);
  for (const [name, option] of visible(spec.options)) {
    const left = option.type === 'string' ? `${flag(name, option)} ${option.value}` : flag(name, option);
    const fallback = option.type === 'string' && option.default !== undefined ? ` (default: ${option.default})` : '';
    rows.push([left, `${option.description}${fallback}`]);
  }
  rows.push([flag('help', HELP), HELP.description]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    formatSynopsis(spec),
    '',
    wrap(spec.summary),
    '',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    ...(spec.notes ? ['', wrap(spec.notes)] : []),
    '',
    `example: ${spec.example}`,
    '',
  ].join('\n');
}

/** Help text wraps at this column, the width of a small terminal. */
const HELP_WIDTH_COLUMNS = 100;

function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > HELP_WIDTH_COLUMNS) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

const allowedFlags = (options: Record<string, OptionSpec>): string =>
  [...visible(options).map(([name]) => `--${name}`), '--help'].join(', ');

/** Parses `argv` against the spec; never throws for a user's mistake. */
export function parseCommandLine<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: readonly string[]): CommandLineResult<O> {
  const declared: Record<string, OptionSpec> = { ...spec.options, help: HELP };
  const config = Object.fromEntries(
    Object.entries(declared).map(([name, option]) => [name, { type: option.type, ...(option.short ? { short: option.short } : {}) }]),
  );
  // strict: false so that every mistake arrives as a token and is worded here, not as ERR_PARSE_ARGS_*.
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const error = (message: string): CommandLineResult<O> => ({ kind: 'error', message });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return { kind: 'help' };

  const texts = new Map<string, string | true>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(declared, token.name) ? declared[token.name] : undefined;
    if (!option) return error(`unknown option ${token.rawName} (allowed: ${allowedFlags(spec.options)})`);
    if (option.type === 'boolean') {
      if (token.inlineValue) return error(`${token.rawName} takes no value (got "${token.value}")`);
      texts.set(token.name, true);
    } else {
      if (token.value === undefined) return error(`--${token.name} needs a value: --${token.name} ${option.value}`);
      texts.set(token.name, token.value);
    }
  }

  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = texts.get(name);
    if (option.type === 'boolean') {
      values[name] = given === true;
      continue;
    }
    const text = typeof given === 'string' ? given : option.default;
    if (text === undefined || !option.parse) {
      values[name] = text;
      continue;
    }
    try {
      values[name] = option.parse(text);
    } catch (caught) {
      if (!(caught instanceof ValueError)) throw caught;
      return error(`--${name} must be ${caught.message} (got "${text}")`);
    }
  }

  const positional = spec.positionals;
  if (!positional && positionals.length > 0) return error(`unexpected argument "${positionals[0]}" (this command takes options only)`);
  if (positional && positionals.length < (positional.min ?? 0)) return error(`missing ${positional.name}: ${positional.description}`);
  if (positional?.max !== undefined && positionals.length > positional.max)
    return error(`too many arguments: at most ${positional.max} ${positional.name} (got ${positionals.length})`);
  return { kind: 'ok', values: values as CommandValues<O>, positionals };
}

/** The two lines a usage error prints on stderr: what is wrong, then where to look. */
export function formatUsageError(spec: CommandSpec<Record<string, OptionSpec>>, message: string): string {
  return `${spec.command.split(' ').at(-1)}: ${message}\n${formatSynopsis(spec)}   (--help for more)\n`;
}

/**
 * Runs a command: `--help` prints the usage (0); a bad option or a UsageError thrown by `main`
 * prints one line and the synopsis on stderr (2). Any other error is a bug and propagates.
 */
export async function runCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
  main: (args: ParsedCommandLine<O>) => Promise<number> | number,
): Promise<number> {
  const parsed = parseCommandLine(spec, argv);
  if (parsed.kind === 'help') {
    process.stdout.write(formatHelp(spec));
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(formatUsageError(spec, parsed.message));
    return 2;
  }
  try {
    return await main(parsed);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(formatUsageError(spec, error.message));
    return 2;
  }
}

/** `parse` for a whole number ≥ `min`; underscores and commas as digit separators are allowed (`10_000`). */
export function wholeNumber(min = 1): (text: string) => number {
  return (text) => {
    const value = Number(text.replace(/[_,]/g, ''));
    if (text.trim() === '' || !Number.isInteger(value) || value < min) throw new ValueError(min === 1 ? 'a positive whole number' : `a whole number ≥ ${min}`);
    return value;
  };
}

/** `parse` for a number in (min, max]. */
export function numberIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value <= min || value > max) throw new ValueError(`a number in (${min}, ${max}]`);
    return value;
  };
}

/** `parse` for one of a fixed set of words. */
export function oneOf<const C extends string>(...choices: C[]): (text: string) => C {
  return (text) => {
    if (!(choices as string[]).includes(text)) throw new ValueError(`one of ${choices.join(', ')}`);
    return text as C;
  };
}

/** `parse` for a comma-separated list, each item through `item`. */
export function listOf<T>(item: (text: string) => T, what: string): (text: string) => T[] {
  return (text) => {
    try {
      return text.split(',').map((part) => item(part.trim()));
    } catch (caught) {
      if (caught instanceof ValueError) throw new ValueError(`a comma-separated list of ${what}`);
      throw caught;
    }
  };
}
