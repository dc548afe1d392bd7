import type { Command } from 'commander';
import { registerDemoCommand } from './demo.js';
import { registerDoctorCommand } from './doctor.js';
import { registerEvalCommand } from './eval.js';
import { registerSuiteCommand } from './suite.js';
import { registerSuspiciousCommand } from './suspicious.js';
import { registerProposalsCommand } from './proposals.js';
import { registerRunCommand } from './run.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerServerCommand } from './server.js';
import { registerWorkerCommand } from './worker.js';

/** Adds every command to the program. One file per command in this folder. */
export function registerCommands(program: Command): void {
  registerDemoCommand(program);
  registerSandboxCommand(program);
  registerWorkerCommand(program);
  registerServerCommand(program);
  registerRunCommand(program);
  registerProposalsCommand(program);
  registerDoctorCommand(program);
  registerEvalCommand(program);
  registerSuspiciousCommand(program);
  registerSuiteCommand(program);
}
