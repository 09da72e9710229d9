#!/usr/bin/env node
/**
 * The `odoo-sync` command. See {@link runCli} for the commands; this file only wires the
 * process: arguments, output, exit codes, and graceful shutdown on SIGTERM/SIGINT.
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { tuneHeap, tuneYoungGeneration } from '../runtime/heap.js';

// A sync's garbage is collected before the heap grows far past what is live (runtime/heap.ts).
tuneHeap(setFlagsFromString);
// A server keeps a small young generation: what a sync makes it grow to is never given back.
// Set before the commands are loaded, whose modules would already make it grow.
tuneYoungGeneration(setFlagsFromString, process.argv[2]);

async function main(): Promise<void> {
  const { runCli } = await import('./commands.js');
  const outcome = await runCli(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });

  if ('code' in outcome) {
    process.exitCode = outcome.code;
  } else {
    const { running } = outcome;
    let signals = 0;
    const shutdown = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        process.stderr.write(`odoo-sync: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      running.logger.info({ signal }, 'signal received');
      running.close().then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`odoo-sync: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  }
}

void main();
