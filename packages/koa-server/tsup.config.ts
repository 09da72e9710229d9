import { packageBuild } from '../../scripts/tsup-config.js';

// Named entries keep the build flat: dist/index.js and dist/cli.js (the bin runs dist/cli.js).
export default packageBuild({ index: 'src/index.ts', cli: 'src/cli/cli.ts' });
