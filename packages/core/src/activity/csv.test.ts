import { describe, expect, it } from 'vitest';
import type { Activity } from '../ports.js';
import { ACTIVITY_CSV_COLUMNS, activitiesToCsv, csvCell, UTF8_BOM } from './csv.js';

/** A strict RFC 4180 reader, to read back what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        cell += c;
        i++;
      }
    } else if (c === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 2;
    } else if (c === '\r' || c === '\n') {
      throw new Error(`bare line break at ${i}`);
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quote');
  if (cell !== '' || row.length > 0) throw new Error('last record without CRLF');
  return rows;
}

function activity(overrides: Partial<Activity>): Activity {
  return {
    id: '01JF0000000000000000000000',
    activityType: 'note',
    title: 'Plain',
    entityType: 'account',
    entityId: '7',
    userId: 'u1',
    userName: 'Ana',
    source: 'odoo',
    metadata: {},
    timestamp: '2026-05-01T10:00:00.000Z',
    ...overrides,
  };
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += chunk;
  return out;
}

describe('activity CSV', () => {
  it('starts with the BOM and the documented header, ends every record with CRLF', async () => {
    const csv = await text(activitiesToCsv([activity({})]));
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...ACTIVITY_CSV_COLUMNS]);
    expect(rows[1]).toEqual(['01JF0000000000000000000000', '2026-05-01T10:00:00.000Z', 'note', 'odoo', 'Plain', 'account', '7', 'u1', 'Ana', '{}']);
    expect(await text(activitiesToCsv([]))).toBe(`${UTF8_BOM}${ACTIVITY_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('quotes nasty values so they read back exactly, and defuses formulas', async () => {
    const nasty = [
      'Comma, inside',
      'Quote "inside" and ""double""',
      'Line\nbreak and\r\nCRLF',
      '=HYPERLINK("http://evil.example","click")',
      '+1 (555) 0100',
      '-2+3',
      '@SUM(A1:A9)',
      '\tTabbed',
      '\rCarriage',
      'Émoji 🚀 and 中文',
      '',
      'trailing space ',
    ];
    const rows = nasty.map((title, i) =>
      activity({ id: `id${i}`, title, userName: i === 0 ? null : `=cmd|' /C calc'!A0`, metadata: { note: title } }),
    );
    const parsed = parseCsv((await text(activitiesToCsv(rows, { chunkSize: 10 }))).slice(1)).slice(1);
    expect(parsed).toHaveLength(nasty.length);
    parsed.forEach((cells, i) => {
      const title = nasty[i] ?? '';
      const expected = /^[=+\-@\t\r]/.test(title) ? `'${title}` : title;
      expect(cells[4]).toBe(expected);
      expect(cells[8]).toBe(i === 0 ? '' : `'=cmd|' /C calc'!A0`);
      expect(JSON.parse(cells[9] ?? '')).toEqual({ note: title });
      expect(cells).toHaveLength(ACTIVITY_CSV_COLUMNS.length);
    });
  });

  it('csvCell: null is empty; plain text stays as it is', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell('Acme AG')).toBe('Acme AG');
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-1,5')).toBe(`"'-1,5"`);
  });

  it('streams: reads activities one at a time as chunks are taken', async () => {
    let produced = 0;
    async function* source(): AsyncGenerator<Activity> {
      for (let i = 0; i < 10_000; i++) {
        produced++;
        yield activity({ id: `id${i}` });
      }
    }
    const chunks = activitiesToCsv(source(), { chunkSize: 1000 });
    const first = await chunks.next();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThan(50);
    await chunks.return(undefined);
  });
});
