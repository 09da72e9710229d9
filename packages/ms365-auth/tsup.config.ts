import { packageBuild } from '../../scripts/tsup-config.js';

export default packageBuild(['src/index.ts', 'src/config.ts', 'src/testing/index.ts']);
