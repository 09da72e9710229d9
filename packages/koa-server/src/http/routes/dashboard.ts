/**
 * A small dashboard page: sync status per entity. The page itself holds no data and no
 * secret; the browser asks for an API key, keeps it in `sessionStorage` (gone when the tab
 * closes) and reads `GET /api/sync/status` with it.
 * @module
 */
import { defineRoute, type AnyRoute } from '../route.js';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1d2330;background:#f7f8fa}
h1{font-size:1.4rem;margin:0 0 1rem}
table{border-collapse:collapse;background:#fff;min-width:60rem}
th,td{border:1px solid #d8dce3;padding:.35rem .6rem;text-align:left}
th{background:#eef0f4}
.ok{color:#17692b}.failed{color:#a4161a}.skipped{color:#7a5c00}
#summary{margin:1rem 0}#error{color:#a4161a;margin:.5rem 0}
form{margin:0 0 1rem}input{width:28rem;padding:.3rem}button{padding:.3rem .8rem;margin-left:.4rem}
[hidden]{display:none!important}
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>odoo-sync dashboard</title>
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<h1>odoo-sync</h1>
<form id="login">
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="off" placeholder="osk_…">
<button type="submit">Show status</button>
<p><small>The key stays in this browser tab (sessionStorage) and is sent only to this server.</small></p>
</form>
<div id="error" role="alert"></div>
<section id="status" hidden>
<div id="summary"></div>
<table>
<thead><tr><th>Entity</th><th>Active</th><th>Archived</th><th>Deleted</th><th>Last run</th><th>Status</th><th>Last success</th><th>Last error</th></tr></thead>
<tbody id="entities"></tbody>
</table>
<p><button id="run" type="button">Run sync now</button><button id="logout" type="button">Forget key</button> <span id="run-result"></span></p>
</section>
</body>
</html>
`;

// Plain browser JavaScript; every value goes through textContent, never innerHTML.
const SCRIPT = `'use strict';
(function () {
  var KEY = 'odoo-sync.apiKey';
  var timer = null;
  function $(id) { return document.getElementById(id); }
  function key() { return sessionStorage.getItem(KEY); }
  function cell(row, text, cls) { var td = document.createElement('td'); td.textContent = text == null ? '—' : String(text); if (cls) td.className = cls; row.appendChild(td); return td; }
  function fmt(iso) { return iso ? new Date(iso).toLocaleString() : '—'; }
  function showError(message) { $('error').textContent = message || ''; }
  function api(method, path, body) {
    var init = { method: method, headers: { Authorization: 'Bearer ' + key() } };
    if (body) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) { return { status: res.status, json: json }; });
    });
  }
  function render(s) {
    $('status').hidden = false;
    $('login').hidden = true;
    var summary = 'Last successful sync: ' + fmt(s.lastSuccessAt) +
      (s.secondsSinceLastSuccess == null ? '' : ' (' + s.secondsSinceLastSuccess + ' s ago)') +
      ' · every ' + s.intervalMinutes + ' min · ' + (s.healthy ? 'healthy' : 'UNHEALTHY') +
      ' · consecutive failures: ' + s.consecutiveFailures + (s.running ? ' · running now' : '') +
      (s.paused ? ' · PAUSED since ' + fmt(s.pausedAt) + ' (scheduled runs stopped after failing too long; an admin resumes them)' : '') +
      (s.alert && s.alert.undelivered > 0 ? ' · alert not delivered to ' + s.alert.undelivered + ' admin(s)' : '') +
      ' · employees synced: ' + s.employeesSynced;
    $('summary').textContent = summary;
    var body = $('entities');
    while (body.firstChild) body.removeChild(body.firstChild);
    s.entities.forEach(function (e) {
      var row = document.createElement('tr');
      row.setAttribute('data-entity', e.entity);
      cell(row, e.label);
      cell(row, e.active);
      cell(row, e.archived);
      cell(row, e.deleted);
      cell(row, fmt(e.lastRunAt));
      cell(row, e.lastRunStatus, e.lastRunStatus === 'success' ? 'ok' : e.lastRunStatus);
      cell(row, fmt(e.lastSuccessAt));
      cell(row, e.lastError ? e.lastError.code + ': ' + e.lastError.message : (e.skipReason || ''));
      body.appendChild(row);
    });
  }
  function refresh() {
    if (!key()) return;
    api('GET', '/api/sync/status').then(function (r) {
      if (r.status === 200) { showError(''); render(r.json); return; }
      showError((r.json.error && r.json.error.message) || ('HTTP ' + r.status));
      if (r.status === 401) logout(true);
    }, function () { showError('The server does not answer.'); });
  }
  function logout(keepError) {
    sessionStorage.removeItem(KEY);
    $('status').hidden = true;
    $('login').hidden = false;
    if (!keepError) showError('');
  }
  document.addEventListener('DOMContentLoaded', function () {
    $('login').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var value = $('key').value.trim();
      if (!value) return;
      sessionStorage.setItem(KEY, value);
      $('key').value = '';
      refresh();
    });
    $('logout').addEventListener('click', function () { logout(false); });
    $('run').addEventListener('click', function () {
      api('POST', '/api/sync/run').then(function (r) {
        $('run-result').textContent = r.status === 202 ? 'Run ' + r.json.runId + ' started.' :
          ((r.json.error && r.json.error.message) || ('HTTP ' + r.status));
        refresh();
      });
    });
    refresh();
    timer = setInterval(refresh, 10000);
  });
})();
`;

/** Content-Security-Policy of the dashboard: only this origin's script and style. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `GET /`, `GET /dashboard`, `GET /dashboard.js`, `GET /dashboard.css`. */
export function dashboardRoutes(): AnyRoute[] {
  const page = (path: string, type: string, body: string, operationId: string, summary: string) =>
    defineRoute({
      method: 'GET',
      path,
      operationId,
      summary,
      tag: 'dashboard',
      access: 'public',
      responses: { 200: { description: summary, contentType: type } },
      async handle(ctx) {
        ctx.type = type;
        ctx.set('Content-Security-Policy', DASHBOARD_CSP);
        ctx.set('Cache-Control', 'no-cache');
        ctx.body = body;
      },
    });
  return [
    defineRoute({
      method: 'GET',
      path: '/',
      operationId: 'root',
      summary: 'Redirects to the dashboard.',
      tag: 'dashboard',
      access: 'public',
      responses: { 302: { description: 'To /dashboard.' } },
      async handle(ctx) {
        ctx.redirect('/dashboard');
      },
    }),
    page('/dashboard', 'text/html; charset=utf-8', PAGE, 'dashboard', 'The dashboard page (asks for an API key in the browser).'),
    page('/dashboard.js', 'application/javascript; charset=utf-8', SCRIPT, 'dashboardScript', 'Script of the dashboard.'),
    page('/dashboard.css', 'text/css; charset=utf-8', STYLE, 'dashboardStyle', 'Style of the dashboard.'),
  ];
}
