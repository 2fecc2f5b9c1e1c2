/** A bench's command line: `--key value` options and `--flag` flags, read in one place. */
export interface CommandLine {
  /** The value after `--key`, or undefined when `--key` is absent. */
  string(key: string): string | undefined;
  /** The number after `--key`, or `fallback` when `--key` is absent; anything but a number is an error. */
  number(key: string, fallback: number): number;
  /** Whether `--key` is given. */
  flag(key: string): boolean;
}

export function commandLine(args: readonly string[] = process.argv.slice(2)): CommandLine {
  const flag = (key: string) => args.includes(`--${key}`);
  const string = (key: string) => (flag(key) ? args[args.indexOf(`--${key}`) + 1] : undefined);
  return {
    string,
    flag,
    number(key, fallback) {
      if (!flag(key)) {
        return fallback;
      }
      const value = string(key) ?? '';
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) {
        throw new Error(`--${key} takes a number, not "${value}"`);
      }
      return n;
    },
  };
}

/** Whether the module at `moduleUrl` is the one node was started with (run, not imported). */
export const isMain = (moduleUrl: string): boolean => moduleUrl === `file://${process.argv[1] ?? ''}`;
