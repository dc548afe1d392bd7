import type { Command } from 'commander';
import { registerDemoCommand } from './demo.js';
import { registerSandboxCommand } from './sandbox.js';

/** Adds every command to the program. One file per command in this folder. */
export function registerCommands(program: Command): void {
  registerSandboxCommand(program);
  registerDemoCommand(program);
}
