import { resolve } from 'node:path';
import { describePackageFiles } from '../../../scripts/package-files.js';

describePackageFiles(resolve(import.meta.dirname, '..'), {
  commandRuns: { 'odoo-sync': { args: ['--help'], stdoutContains: 'odoo-sync apikey create' } },
});
