/**
 * The styles every element shares. Colours, font, spacing and radius come from CSS custom
 * properties, so a page themes every element at once:
 *
 * ```css
 * odoo-sync-health, odoo-sync-timeline { --odoo-sync-accent: #714b67; --odoo-sync-font: Inter, sans-serif; }
 * ```
 *
 * Styles are adopted as constructable stylesheets (no `<style>` in the page, no inline styles),
 * so they work under a Content-Security-Policy of `style-src 'self'`.
 * @module
 */
import { css } from 'lit';

/**
 * The theming custom properties and their defaults (colours meet WCAG AA contrast on the
 * default background).
 */
export const themeStyles = css`
  :host {
    --_font: var(--odoo-sync-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_text: var(--odoo-sync-text, #1f2328);
    --_muted: var(--odoo-sync-muted, #57606a);
    --_bg: var(--odoo-sync-bg, #ffffff);
    --_surface: var(--odoo-sync-surface, #f6f8fa);
    --_border: var(--odoo-sync-border, #d0d7de);
    --_accent: var(--odoo-sync-accent, #714b67);
    --_on-accent: var(--odoo-sync-on-accent, #ffffff);
    --_ok: var(--odoo-sync-ok, #1a7f37);
    --_warn: var(--odoo-sync-warn, #9a6700);
    --_error: var(--odoo-sync-error, #cf222e);
    --_radius: var(--odoo-sync-radius, 8px);
    --_space: var(--odoo-sync-space, 12px);
    display: block;
    box-sizing: border-box;
    font-family: var(--_font);
    font-size: var(--odoo-sync-font-size, 14px);
    line-height: 1.45;
    color: var(--_text);
    background: var(--_bg);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .muted {
    color: var(--_muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  button,
  .button {
    font: inherit;
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 6px 14px;
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: var(--_accent);
    color: var(--_on-accent);
    cursor: pointer;
    text-decoration: none;
  }
  button.secondary,
  .button.secondary {
    background: var(--_bg);
    color: var(--_accent);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  button:focus-visible,
  a:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  a {
    color: var(--_accent);
  }
  input,
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    padding: 5px 8px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_space);
    background: var(--_bg);
  }
  .badge {
    display: inline-block;
    padding: 0 8px;
    border-radius: 999px;
    font-size: 0.85em;
    font-weight: 600;
    border: 1px solid currentColor;
  }
  .error-box {
    border-left: 4px solid var(--_error);
    background: var(--_surface);
    padding: 8px var(--_space);
    border-radius: calc(var(--_radius) / 2);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 4px 8px;
    border-bottom: 1px solid var(--_border);
  }
  th {
    color: var(--_muted);
    font-weight: 600;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
`;
