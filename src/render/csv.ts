import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { csvText, safeCell, type Cell } from './cells';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export interface CsvOptions {
  /** Field delimiter; comma by default. */
  delimiter: CsvDelimiter;
  /** Start the file with a UTF-8 byte order mark, which Excel needs to read UTF-8. */
  bom: boolean;
}

export const DEFAULT_CSV_OPTIONS: CsvOptions = { delimiter: ',', bom: false };

/** What a CSV file is written from: a header and a fresh pass over the rows. */
export interface CsvSource {
  columns: readonly { name: string }[];
  rows(): AsyncIterable<Cell[]>;
}

/**
 * Streams a table to an RFC 4180 file (UTF-8, CRLF records, one header row) and returns the
 * number of data rows. Every cell passes the formula guard first. csv-stringify quotes fields
 * holding the delimiter or a quote, but only line breaks that match its record delimiter, so
 * any field holding a CR or LF is quoted explicitly to keep multi-line annotations one record.
 */
export async function writeCsv(file: string, table: CsvSource, options: CsvOptions = DEFAULT_CSV_OPTIONS): Promise<number> {
  let records = 0;
  async function* safeRows(): AsyncGenerator<string[]> {
    for await (const row of table.rows()) {
      records++;
      yield row.map((cell) => csvText(safeCell(cell)));
    }
  }
  await pipeline(
    Readable.from(safeRows()),
    stringify({
      header: true,
      columns: table.columns.map((c) => c.name),
      delimiter: options.delimiter,
      record_delimiter: 'windows',
      quoted_match: /[\r\n]/,
      bom: options.bom,
    }),
    createWriteStream(file),
  );
  return records;
}
