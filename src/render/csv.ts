import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { safeCell, type Cell } from './cells';
import type { Table } from './tables';

/**
 * Streams a table to an RFC 4180 file (UTF-8, CRLF records, one header row) and returns the
 * number of data rows. csv-stringify only quotes line breaks that match its record delimiter,
 * so any field holding a CR or LF is quoted explicitly to keep multi-line annotations one record.
 */
export async function writeCsv(file: string, table: Table): Promise<number> {
  let records = 0;
  async function* safeRows(): AsyncGenerator<Cell[]> {
    for await (const row of table.rows()) {
      records++;
      yield row.map(safeCell);
    }
  }
  await pipeline(
    Readable.from(safeRows()),
    stringify({ header: true, columns: table.columns.map((c) => c.name), record_delimiter: 'windows', quoted_match: /[\r\n]/ }),
    createWriteStream(file),
  );
  return records;
}
