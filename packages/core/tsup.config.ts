import { packageBuild } from '../../scripts/tsup-config.js';

export default packageBuild(['src/index.ts', 'src/errors.ts', 'src/activity/index.ts', 'src/matching/index.ts', 'src/entities/index.ts', 'src/retry.ts', 'src/store-kit.ts', 'src/testing/index.ts'], {
  external: ['vitest'],
});
