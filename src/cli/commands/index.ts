import type { Command } from 'commander';

/** Adds every command to the program. One file per command in this folder. */
export function registerCommands(_program: Command): void {}
