import { packageBuild } from '../../scripts/tsup-config.js';

export default packageBuild(['src/index.ts', 'src/errors.ts', 'src/testing/index.ts'], {
  external: ['vitest'],
});
