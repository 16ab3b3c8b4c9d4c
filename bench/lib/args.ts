/** Command-line options of a bench: `--name value` pairs and bare `--flag`s. */
const argv = process.argv.slice(2);

/** The value after `--name`, or `fallback` when the option is absent or has no value. */
export function option(name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? (argv[i + 1] as string) : fallback;
}

/** A number option; refuses a value that is not a finite number (a typo must not bench zero). */
export function numberOption(name: string, fallback: number): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}

/** True when the bare flag `--name` was given. */
export function flag(name: string): boolean {
  return argv.includes(`--${name}`);
}
