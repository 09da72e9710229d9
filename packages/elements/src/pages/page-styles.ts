/**
 * Layout the page components share on top of the theme: headings, forms, lists of cards,
 * tables that scroll on a phone, status badges. Adopted stylesheets only (CSP `style-src 'self'`).
 * @module
 */
import { css } from 'lit';

/** Styles of the page components (`<odoo-sync-profile>`, `<odoo-sync-records>`, the admin ones). */
export const pageStyles = css`
  :host {
    container-type: inline-size;
  }
  h2 {
    font-size: 1.3em;
    margin: 0 0 calc(var(--_space) * 1.5);
    line-height: 1.25;
  }
  h3 {
    font-size: 1.05em;
    margin: 0;
    line-height: 1.3;
  }
  h4 {
    font-size: 1em;
    margin: 0;
    line-height: 1.3;
  }
  h4:focus,
  h3:focus,
  h2:focus {
    outline: none;
  }
  h4:focus-visible,
  h3:focus-visible,
  h2:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  p {
    margin: 0 0 var(--_space);
  }
  section + section {
    margin-top: calc(var(--_space) * 2);
  }
  .stack > * + *,
  .stack > ul.cards:not(:first-child),
  .stack > ul.plain:not(:first-child) {
    margin-top: var(--_space);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px var(--_space);
  }
  .spread {
    justify-content: space-between;
  }
  form.inline {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-end;
    gap: 8px var(--_space);
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    min-width: 0;
  }
  .field > span {
    font-weight: 600;
  }
  .field input,
  .field select {
    min-width: 12em;
    max-width: 100%;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    cursor: pointer;
  }
  .check input {
    width: 1.1em;
    height: 1.1em;
    margin: 0;
  }
  .field-error {
    color: var(--_error);
    font-weight: 600;
  }
  input[aria-invalid='true'] {
    border-color: var(--_error);
  }
  button.danger {
    background: var(--_error);
    border-color: var(--_error);
    color: var(--_on-accent);
  }
  button.danger.secondary {
    background: var(--_bg);
    color: var(--_error);
  }
  button.link {
    background: none;
    border: none;
    color: var(--_accent);
    padding: 2px 4px;
    text-decoration: underline;
  }
  dl.facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 6px calc(var(--_space) * 1.5);
    margin: 0 0 var(--_space);
  }
  dl.facts dt {
    color: var(--_muted);
    font-weight: 600;
  }
  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  ul.cards {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_space);
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  ul.plain > li + li {
    margin-top: 6px;
  }
  .card .meta {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .panel {
    margin-top: var(--_space);
    padding: var(--_space);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .badge.ok {
    color: var(--_ok);
  }
  .badge.warn {
    color: var(--_warn);
  }
  .badge.error {
    color: var(--_error);
  }
  .badge.neutral {
    color: var(--_muted);
  }
  .table-wrap {
    overflow-x: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .table-wrap table th,
  .table-wrap table td {
    padding: 8px 10px;
    vertical-align: top;
  }
  .table-wrap thead th {
    background: var(--_surface);
  }
  .table-wrap tbody tr:last-child > * {
    border-bottom: none;
  }
  tbody th {
    color: var(--_text);
    font-weight: 600;
  }
  tr.inactive td,
  tr.inactive th {
    color: var(--_muted);
  }
  caption {
    text-align: left;
    padding: 8px 10px;
    color: var(--_muted);
  }
  .secret {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    width: 100%;
    min-width: 0;
  }
  .notice {
    border-left: 4px solid var(--_warn);
    background: var(--_surface);
    padding: 8px var(--_space);
    border-radius: calc(var(--_radius) / 2);
  }
  .success {
    border-left: 4px solid var(--_ok);
    background: var(--_surface);
    padding: 8px var(--_space);
    border-radius: calc(var(--_radius) / 2);
  }
  .status-line:empty {
    display: none;
  }
  @container (max-width: 560px) {
    .secondary-col {
      display: none;
    }
    .table-wrap table th,
    .table-wrap table td {
      padding: 6px 8px;
    }
    .table-wrap td {
      overflow-wrap: anywhere;
      min-width: 7em;
    }
    dl.facts {
      grid-template-columns: 1fr;
      gap: 2px;
    }
    dl.facts dd {
      margin-bottom: 6px;
    }
    form.inline > *,
    .field input,
    .field select {
      width: 100%;
    }
  }
`;
