#!/usr/bin/env node
// The `odoo-sync` command: runs the built CLI (dist/ is created by `pnpm build` before publishing).
import '../dist/cli.js';
