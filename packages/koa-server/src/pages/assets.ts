/**
 * The pages' own static files: a stylesheet and a small script (sign out, the "sign in again"
 * banner). The components' bundle comes from `@odoo-sync/elements` (see `bundle.ts`).
 * @module
 */

/** `/ui/pages.css`: the look of the pages (the components style themselves). */
export const PAGES_CSS = `
:root{--ink:#17202e;--muted:#5b6577;--line:#dfe3ea;--bg:#f4f6f9;--card:#fff;--brand:#3b4fd8;--brand-ink:#fff;--bar:#141b2d;--ok:#17692b;--warn:#8a5a00;--bad:#a4161a;--focus:#ffbf47;
  color-scheme:light;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}
body{--odoo-sync-accent:#3b4fd8;--odoo-sync-on-accent:#fff;--odoo-sync-text:var(--ink);--odoo-sync-muted:var(--muted);--odoo-sync-border:var(--line);--odoo-sync-radius:8px;--odoo-sync-font:inherit}
.slot{min-width:0}
.slot > :is(odoo-sync-health,odoo-sync-timeline,odoo-sync-profile,odoo-sync-records,odoo-sync-admin-people,odoo-sync-admin-keys,odoo-sync-admin-sync){display:block;background:var(--card);border-radius:.8rem}
.slot > p{margin:.6rem 0 0}
.slot > :is(odoo-sync-profile,odoo-sync-records,odoo-sync-admin-people,odoo-sync-admin-keys,odoo-sync-admin-sync){padding:1.25rem 1.4rem;border:1px solid var(--line);box-shadow:0 1px 2px rgba(20,27,45,.05)}
@media (max-width:40rem){.slot > :is(odoo-sync-profile,odoo-sync-records,odoo-sync-admin-people,odoo-sync-admin-keys,odoo-sync-admin-sync){padding:1rem .85rem}}
body{margin:0;min-height:100vh;display:flex;flex-direction:column}
a{color:var(--brand)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:var(--card);padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem;top:.5rem}
[hidden]{display:none!important}
.topbar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.7rem 1.5rem;background:var(--bar);color:#e8ecf5}
.brand{display:inline-flex;align-items:center;gap:.55rem;color:#fff;font-weight:700;font-size:1.1rem;text-decoration:none;letter-spacing:.01em}
.brand-mark{width:1.35rem;height:1.35rem;border-radius:.4rem;background:linear-gradient(135deg,#7c8cff,#3b4fd8 55%,#22c3a6)}
.topbar nav{flex:1 1 auto}
.topbar ul{display:flex;flex-wrap:wrap;gap:.25rem;margin:0;padding:0;list-style:none}
.topbar nav a{display:block;padding:.35rem .7rem;border-radius:.45rem;color:#cfd6e6;text-decoration:none}
.topbar nav a:hover{background:#243052;color:#fff}
.topbar nav a[aria-current=page]{background:#2e3b66;color:#fff}
.who{display:flex;align-items:center;gap:.6rem;font-size:.92rem}
.who-name{font-weight:600;color:#fff}
.role{font-size:.75rem;padding:.1rem .5rem;border-radius:1rem;background:#2e3b66;color:#dfe5ff;text-transform:uppercase;letter-spacing:.05em}
.role-admin{background:#6a3fd0;color:#fff}
.signout{font:inherit;font-size:.88rem;color:#e8ecf5;background:transparent;border:1px solid #4a5675;border-radius:.45rem;padding:.25rem .7rem;cursor:pointer}
.signout:hover{background:#243052}
main{flex:1 0 auto;width:100%;max-width:78rem;margin:0 auto;padding:1.5rem}
main:focus{outline:none}
h1{font-size:1.6rem;line-height:1.25;margin:0 0 .35rem}
h2{font-size:1.15rem;margin:0 0 .75rem}
.lede{color:var(--muted);margin:0 0 1.25rem;max-width:46rem}
.page-head{margin:0 0 1.25rem}
.grid{display:grid;gap:1.25rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:60rem){.grid-2{grid-template-columns:minmax(0,1.1fr) minmax(0,1fr)}}
.card{background:var(--card);border:1px solid var(--line);border-radius:.8rem;padding:1.25rem 1.4rem;box-shadow:0 1px 2px rgba(20,27,45,.05)}
.card-narrow{max-width:32rem;margin:3rem auto}
.center{text-align:center}
.button{display:inline-flex;align-items:center;justify-content:center;gap:.6rem;font:inherit;font-weight:600;text-decoration:none;color:var(--brand-ink);background:var(--brand);border:0;border-radius:.55rem;padding:.65rem 1.2rem;cursor:pointer}
.button:hover{background:#2f40b8}
.button-ms{background:#2f2f2f;color:#fff;min-width:16rem;margin:.5rem 0 1rem}
.button-ms:hover{background:#111}
.ms-logo{display:inline-grid;grid-template-columns:.55rem .55rem;gap:2px}
.ms-logo i{display:block;width:.55rem;height:.55rem}
.ms-logo i:nth-child(1){background:#f25022}.ms-logo i:nth-child(2){background:#7fba00}.ms-logo i:nth-child(3){background:#00a4ef}.ms-logo i:nth-child(4){background:#ffb900}
.button-quiet{background:transparent;color:var(--brand);border:1px solid var(--line)}
.button-quiet:hover{background:#eef1fb}
.notice{border-radius:.55rem;padding:.7rem .9rem;margin:0 0 1rem;background:#eef1fb;border:1px solid #cdd5f5}
.notice-bad{background:#fdeeee;border-color:#f3c2c2;color:#7a1114}
.notice-warn{background:#fff6e0;border-color:#f0d48a;color:#5e3d00}
.banner{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.75rem;margin:0;padding:.8rem 1.5rem;background:#fff6e0;border-bottom:1px solid #f0d48a;color:#4a3000}
.banner p{margin:0}
.operator{margin-top:1.75rem;border-top:1px solid var(--line);padding-top:1rem}
.operator summary{cursor:pointer;color:var(--muted)}
.operator form{display:grid;gap:.5rem;margin-top:.75rem}
label{font-weight:600;font-size:.92rem}
input[type=password],input[type=text]{font:inherit;padding:.5rem .65rem;border:1px solid #b9c0cc;border-radius:.45rem;width:100%}
.people{list-style:none;margin:.5rem 0 0;padding:0;display:grid;gap:.4rem}
.people li{padding:.55rem .8rem;border:1px solid var(--line);border-radius:.55rem;background:#fafbfd}
.people .email{color:var(--muted);font-size:.9rem}
.status-icon{width:3rem;height:3rem;border-radius:50%;display:grid;place-items:center;margin:0 auto 1rem;font-size:1.4rem;font-weight:700}
.status-wait{background:#fff1cc;color:#8a5a00}
.status-no{background:#fde2e2;color:#a4161a}
.tabs{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 1rem;padding:0;list-style:none}
.tabs a{display:block;padding:.4rem .85rem;border-radius:2rem;border:1px solid var(--line);background:var(--card);text-decoration:none;color:var(--ink)}
.tabs a[aria-current=page]{background:var(--brand);border-color:var(--brand);color:#fff}
.section-nav{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem}
.footer{color:var(--muted);font-size:.85rem;text-align:center;padding:1rem}
.footer p{margin:0}
@media (max-width:40rem){main{padding:1rem}.topbar{padding:.6rem 1rem}.card{padding:1rem}.card-narrow{margin:1.25rem auto}.who{width:100%;justify-content:space-between}}
`;

/**
 * `/ui/pages.js`: signs out (with the CSRF token of the page) and shows the "sign in again"
 * banner when a component reports `reauth_required` (`odoo-sync-reauth` event), its link
 * coming back to the page as it is now. Plain script, no inline handlers.
 */
export const PAGES_JS = `'use strict';
(function () {
  function token() {
    var meta = document.querySelector('meta[name="odoo-sync-csrf"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }
  function here() { return location.pathname + location.search + location.hash; }
  function showReauth(loginUrl) {
    var banner = document.getElementById('reauth-banner');
    if (!banner) { location.assign('/signin?returnTo=' + encodeURIComponent(here()) + '&reason=reauth'); return; }
    var link = banner.querySelector('[data-reauth-link]');
    if (link) link.setAttribute('href', '/api/auth/login?returnTo=' + encodeURIComponent(here()));
    banner.hidden = false;
    if (link && typeof link.focus === 'function') link.focus();
  }
  document.addEventListener('odoo-sync-reauth', function (ev) {
    showReauth(ev && ev.detail && ev.detail.loginUrl);
  });
  document.addEventListener('click', function (ev) {
    var target = ev.target && ev.target.closest ? ev.target.closest('[data-signout]') : null;
    if (!target) return;
    ev.preventDefault();
    target.disabled = true;
    fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': token() } })
      .then(function () { location.assign('/signin?signedOut=1'); }, function () { target.disabled = false; });
  });
})();
`;
