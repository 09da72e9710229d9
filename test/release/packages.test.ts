import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
interface Manifest {
  name: string;
  private?: boolean;
  engines?: { node?: string };
  repository?: { type: string; url: string; directory: string };
  homepage?: string;
  bugs?: { url: string };
  keywords?: string[];
  bin?: Record<string, string>;
  files?: string[];
  exports: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const packages = readdirSync(join(root, 'packages'))
  .filter((dir) => existsSync(join(root, 'packages', dir, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest }));
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe('published packages', () => {
  it('say where they come from: repository, homepage, bugs and keywords', () => {
    for (const { dir, pkg } of packages) {
      expect(pkg.repository, pkg.name).toEqual({ type: 'git', url: 'git+https://github.com/odoo-sync/odoo-sync.git', directory: `packages/${dir}` });
      expect(pkg.homepage, pkg.name).toBe(`https://github.com/odoo-sync/odoo-sync/tree/main/packages/${dir}#readme`);
      expect(pkg.bugs, pkg.name).toEqual({ url: 'https://github.com/odoo-sync/odoo-sync/issues' });
      expect(pkg.keywords?.length, pkg.name).toBeGreaterThan(2);
    }
  });

  it('support the same Node versions as the repository: 20.19+, 22, 24', () => {
    expect(rootManifest.engines?.node).toBe('^20.19.0 || ^22.12.0 || >=24');
    for (const { pkg } of packages) expect(pkg.engines?.node, pkg.name).toBe(rootManifest.engines?.node);
  });

  it('declare one range per third-party dependency, and develop against a version inside it', () => {
    const ranges = new Map<string, Set<string>>();
    for (const { pkg } of packages) {
      for (const deps of [pkg.dependencies, pkg.peerDependencies]) {
        for (const [name, range] of Object.entries(deps ?? {})) {
          if (range.startsWith('workspace:')) continue;
          ranges.set(name, (ranges.get(name) ?? new Set()).add(range));
        }
      }
    }
    for (const [name, set] of ranges) expect([...set], name).toHaveLength(1);
    // e.g. better-sqlite3: koa-server's dependency and sqlite-store's peer are the same range.
    expect([...ranges.get('better-sqlite3')!]).toEqual(['^12.6.2']);
    expect([...ranges.get('mongodb')!]).toEqual(['^7.0.0']);
    for (const { pkg } of packages) {
      for (const [name, version] of Object.entries(pkg.devDependencies ?? {})) {
        const range = ranges.get(name);
        if (!range) continue;
        const [wanted] = [...range];
        const major = /^\^(\d+)\./.exec(wanted!)?.[1];
        if (major === undefined) continue; // not a caret range (e.g. vitest >=3.2.0)
        expect(version.split('.')[0], `${pkg.name} devDependency ${name}`).toBe(major);
      }
    }
  });

  it('link bins to committed files, so installing a fresh clone links them without a build', () => {
    for (const { dir, pkg } of packages) {
      for (const [command, target] of Object.entries(pkg.bin ?? {})) {
        expect(target, `${pkg.name} bin ${command}`).not.toMatch(/^(\.\/)?dist\//);
        const file = join(root, 'packages', dir, target);
        expect(existsSync(file), `${pkg.name} bin ${command}`).toBe(true);
        expect(readFileSync(file, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
        expect(pkg.files, pkg.name).toContain(target.replace(/^\.\//, '').split('/')[0]);
      }
    }
  });

  it('give node10 (moduleResolution "node") the types of every subpath export through typesVersions', () => {
    for (const { pkg } of packages) {
      const subpaths = Object.keys(pkg.exports).filter((key) => key !== '.' && key !== './package.json').map((key) => key.slice(2));
      const mapped = pkg.typesVersions?.['*'] ?? {};
      expect(Object.keys(mapped).sort(), pkg.name).toEqual(subpaths.sort());
      for (const subpath of subpaths) {
        const importTypes = (pkg.exports[`./${subpath}`] as { import: { types: string } }).import.types;
        expect(mapped[subpath], `${pkg.name}/${subpath}`).toEqual([importTypes]);
      }
    }
  });

  it('have READMEs whose links work on npmjs.com (absolute or in-page)', () => {
    for (const { dir } of packages) {
      const readme = readFileSync(join(root, 'packages', dir, 'README.md'), 'utf8');
      const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!).filter((href) => !/^(https?:|#|mailto:)/.test(href));
      expect(relative, `packages/${dir}/README.md`).toEqual([]);
    }
  });
});
