/**
 * `pnpm release:dry`: what `pnpm publish -r` would ship, tried as a user would (after `pnpm build`).
 *
 * Packs every package with `pnpm pack` (workspace ranges become versions), installs the
 * tarballs into an empty project in a temp directory — third-party dependencies come from the
 * pnpm store or the registry, the `@odoo-sync/*` packages only from the tarballs — and there:
 *
 * 1. compiles the README's "Use the core in your own app" example with TypeScript (strict,
 *    `nodenext`), and type-checks it again with the `bundler` and `node10` resolutions;
 * 2. runs it against a simulated Odoo (`@odoo-sync/odoo-sim` from its tarball), with the
 *    example's placeholder URL, database, user and key replaced by the simulator's;
 * 3. loads every package with `require()` (CommonJS) and runs the `odoo-sync` and `odoo-sim`
 *    bins.
 *
 * Exits non-zero with the failing step's output. `--keep` leaves the temp directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const started = Date.now();

/** pnpm: the one running this script (`pnpm release:dry`), else pnpm 10 through npx. */
const pnpm: [string, string[]] = process.env['npm_execpath']?.includes('pnpm')
  ? [process.execPath, [process.env['npm_execpath']]]
  : ['npx', ['-y', 'pnpm@10']];

function step(title: string): void {
  process.stdout.write(`release:dry: [${((Date.now() - started) / 1000).toFixed(0)}s] ${title}\n`);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`release:dry: \`${command} ${args.join(' ')}\` failed in ${cwd} (exit ${result.status})`);
  }
  return result.stdout;
}

/** The README's embedding example, with the placeholders replaced by environment variables. */
export function readmeExample(readme: string): string {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Use the core in your own app'));
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (!code) throw new Error('release:dry: no ```ts block under "## Use the core in your own app" in README.md');
  const placeholders: [string, string][] = [
    ["'https://mycompany.odoo.com'", 'process.env.ODOO_URL!'],
    ["db: 'mycompany'", 'db: process.env.ODOO_DB!'],
    ["'sync-bot@mycompany.com'", 'process.env.ODOO_USERNAME!'],
  ];
  let example = code;
  for (const [literal, replacement] of placeholders) {
    if (!example.includes(literal)) throw new Error(`release:dry: the README example no longer contains ${literal}`);
    example = example.replace(literal, replacement);
  }
  if (!/\bscheduler\b/.test(example)) throw new Error('release:dry: the README example no longer starts a scheduler');
  // The example runs forever (every 15 minutes); here it stops after its first tick.
  return `${example}\nawait scheduler.stop();\nconsole.log('README example: done');\n`;
}

function main(): void {
  const packages = readdirSync(join(root, 'packages')).filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')));
  const manifests = packages.map((dir) => ({
    dir,
    ...(JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; version: string }),
  }));
  for (const { dir } of manifests) {
    if (!existsSync(join(root, 'packages', dir, 'dist'))) throw new Error(`release:dry: packages/${dir} is not built; run \`pnpm build\` first`);
  }

  const temp = mkdtempSync(join(tmpdir(), 'odoo-sync-release-dry-'));
  try {
    const tarballs = join(temp, 'tarballs');
    mkdirSync(tarballs);
    step(`packing ${manifests.length} packages`);
    const files = new Map<string, string>();
    for (const { dir, name } of manifests) {
      const before = new Set(readdirSync(tarballs));
      run(pnpm[0], [...pnpm[1], 'pack', '--pack-destination', tarballs], join(root, 'packages', dir));
      const added = readdirSync(tarballs).filter((file) => !before.has(file));
      if (added.length !== 1) throw new Error(`release:dry: pnpm pack of ${name} made ${added.length} files`);
      files.set(name, `file:${join(tarballs, added[0]!)}`);
    }

    const app = join(temp, 'app');
    mkdirSync(app);
    const deps = Object.fromEntries(files);
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify(
        {
          name: 'release-dry-app',
          private: true,
          type: 'module',
          dependencies: { ...deps, typescript: devVersion('typescript'), '@types/node': devVersion('@types/node') },
          // The packages depend on each other by version; those versions exist only as tarballs.
          pnpm: { overrides: deps, onlyBuiltDependencies: ['better-sqlite3'] },
        },
        null,
        2,
      )}\n`,
    );
    step('installing the tarballs into an empty project');
    run(pnpm[0], [...pnpm[1], 'install', '--prefer-offline', '--config.confirmModulesPurge=false'], app);

    writeFileSync(join(app, 'example.ts'), readmeExample(readFileSync(join(root, 'README.md'), 'utf8')));
    writeFileSync(
      join(app, 'run.ts'),
      [
        "import { startOdooSim } from '@odoo-sync/odoo-sim';",
        'const sim = await startOdooSim({ host: "127.0.0.1", port: 0, seed: 7 });',
        'process.env.ODOO_URL = sim.url;',
        'process.env.ODOO_DB = sim.db;',
        'process.env.ODOO_USERNAME = sim.credentials.username;',
        'process.env.ODOO_API_KEY = sim.credentials.apiKey;',
        'try {',
        "  await import('./example.js');",
        '} finally {',
        '  await sim.close();',
        '}',
        '',
      ].join('\n'),
    );
    const compilerOptions = { strict: true, target: 'es2022', esModuleInterop: true, skipLibCheck: false, types: ['node'], outDir: 'out' };
    const tsconfig = (options: Record<string, unknown>) => `${JSON.stringify({ compilerOptions: { ...compilerOptions, ...options }, files: ['example.ts', 'run.ts'] }, null, 2)}\n`;
    writeFileSync(join(app, 'tsconfig.json'), tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }));
    writeFileSync(join(app, 'tsconfig.bundler.json'), tsconfig({ module: 'esnext', moduleResolution: 'bundler', noEmit: true }));
    writeFileSync(join(app, 'tsconfig.node10.json'), tsconfig({ module: 'esnext', moduleResolution: 'node10', noEmit: true, ignoreDeprecations: '5.0' }));
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const config of ['tsconfig.json', 'tsconfig.bundler.json', 'tsconfig.node10.json']) {
      step(`type-checking the README example (${config})`);
      run(process.execPath, [tsc, '-p', config], app);
    }

    step('running the README example against odoo-sim');
    const output = run(process.execPath, [join(app, 'out', 'run.js')], app);
    process.stdout.write(output.replace(/^/gm, '  | '));
    if (!/^success \{ active: [1-9]/m.test(output) || !output.includes('README example: done')) {
      throw new Error('release:dry: the README example did not report a successful run with records');
    }

    step('loading every package with require() and running the bins');
    const cjs = `for (const name of ${JSON.stringify(Object.keys(deps))}) { const m = require(name); if (!Object.keys(m).length) throw new Error(name + ' exports nothing'); }`;
    run(process.execPath, ['-e', cjs], app);
    const help = run(join(app, 'node_modules', '.bin', 'odoo-sync'), ['--help'], app);
    if (!help.includes('odoo-sync apikey')) throw new Error('release:dry: `odoo-sync --help` did not print the usage');
    const simHelp = run(join(app, 'node_modules', '.bin', 'odoo-sim'), ['--help'], app);
    if (!simHelp.includes('odoo-sim')) throw new Error('release:dry: `odoo-sim --help` did not print the usage');
    step(`ok: ${manifests.map((m) => `${m.name}@${m.version}`).join(', ')}`);
  } finally {
    if (keep) process.stdout.write(`release:dry: kept ${temp}\n`);
    else rmSync(temp, { recursive: true, force: true });
  }
}

function devVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const version = pkg.devDependencies[name];
  if (!version) throw new Error(`release:dry: ${name} is not a root devDependency`);
  return version;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
