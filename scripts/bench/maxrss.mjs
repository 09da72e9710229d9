// Preloaded into a benchmark's child process (`node --import`): prints the peak resident set
// size of the process, in kB, on stderr when it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nbench-maxrss=${process.resourceUsage().maxRSS}\n`);
});
