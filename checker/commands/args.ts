import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments strictly: an unknown flag or a missing value is a UsageError
 * (exit status 2) whose one line says what would be right.
 */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]!.replace(/^Unknown option '(.+?)'.*$/, 'unknown option $1') : String(error);
    throw new UsageError(`${command}: ${message.replace(/\.$/, '')}. Usage: ${usage}`);
  }
}

/** At most one positional argument (usually a lesson number). */
export function onePositional(command: string, positionals: string[], usage: string): string | undefined {
  if (positionals.length > 1) throw new UsageError(`${command}: expected one lesson, got "${positionals.join(' ')}". Usage: ${usage}`);
  return positionals[0];
}
