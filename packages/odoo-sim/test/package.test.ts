import { resolve } from 'node:path';
import { describePackageFiles } from '../../../scripts/package-files.js';

describePackageFiles(resolve(import.meta.dirname, '..'), { commandSources: ['src/cli.ts'] });
