import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { AssessmentResult } from '../../src/assess/result';
import { openPack, type EvidencePack } from '../../src/evidence/reader';
import { DateCell } from '../../src/render/cells';
import { writeCsv } from '../../src/render/csv';
import { loadManualEvidence } from '../../src/render/manual';
import { describePackFiles } from '../../src/render/pack-files';
import { reportTables, type Table } from '../../src/render/tables';
import { writeXlsx } from '../../src/render/xlsx';
import type { EvidenceWriter } from '../writers';
import { runStage, timed } from './stage';

/**
 * The report's Evidence rows (every evaluation in the pack, with its rule identifier and
 * controls: the renderer's own Evidence table, so every writer reads the same source the same
 * way) written by one writer: `evidence-rows REPORT PACK RESULT WRITER OUT`.
 *
 * - csv-stringify, exceljs: the libraries our renderers use, straight, with nothing of ours
 *   around them (no formula guard, fills, print setup, sheet splitting or flow control). exceljs
 *   has styles on, which a date cell needs to show as a date; that alone costs exceljs about
 *   as much again as writing the cells.
 * - exceljs-unstyled: exceljs with styles off (dates then show as serial numbers).
 * - auditpack-csv, auditpack-xlsx: our own writers on this one table, which tells what the
 *   renderer adds per row from what its other tables add.
 */
const DATETIME: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd hh:mm:ss' };

async function exceljsAlone(file: string, table: Table, useStyles: boolean): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${file}.xlsx`, useStyles, useSharedStrings: false });
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.addRow(table.columns.map((c) => c.name)).commit();
  for await (const values of table.rows()) {
    const row = sheet.addRow(values.map((cell) => (cell instanceof DateCell ? cell.toDate() : cell)));
    if (useStyles) values.forEach((cell, i) => cell instanceof DateCell && (row.getCell(i + 1).style = DATETIME));
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

const WRITERS: Record<EvidenceWriter, (file: string, table: Table) => Promise<unknown>> = {
  'csv-stringify': async (file, table) => {
    async function* values() {
      for await (const row of table.rows()) yield row.map((cell) => (cell instanceof DateCell ? cell.iso : cell));
    }
    await pipeline(Readable.from(values()), stringify({ header: true, columns: table.columns.map((c) => c.name) }), createWriteStream(`${file}.csv`));
  },
  exceljs: (file, table) => exceljsAlone(file, table, true),
  'exceljs-unstyled': (file, table) => exceljsAlone(file, table, false),
  'auditpack-csv': (file, table) => writeCsv(`${file}.csv`, table),
  'auditpack-xlsx': (file, table) => writeXlsx(`${file}.xlsx`, [table], { marking: 'OFFICIAL: Sensitive', sample: true, timestamp: new Date() }),
};

/** The table, counting the rows a writer reads from it. */
function counted(table: Table): { table: Table; rows: () => number } {
  let rows = 0;
  const source = table.rows.bind(table);
  return {
    table: {
      ...table,
      async *rows() {
        for await (const row of source()) {
          rows++;
          yield row;
        }
      },
    },
    rows: () => rows,
  };
}

async function evidenceTable(result: AssessmentResult, pack: EvidencePack): Promise<Table> {
  const manual = await loadManualEvidence(result, pack);
  const files = await describePackFiles(pack, manual);
  return reportTables({ result, pack, manual, files, marking: '', system: null, changes: null }).find((t) => t.sheet === 'Evidence')!;
}

runStage(async ([packDir, resultFile, writer, outDir]) => {
  if (!Object.hasOwn(WRITERS, writer)) throw new Error(`unknown writer ${writer}`);
  const write = WRITERS[writer as EvidenceWriter];
  const pack = await openPack(packDir);
  const source = counted(await evidenceTable(JSON.parse(readFileSync(resultFile, 'utf8')) as AssessmentResult, pack));
  mkdirSync(outDir, { recursive: true });
  const { seconds } = await timed(() => write(path.join(outDir, 'evidence'), source.table));
  return { seconds, rows: source.rows() };
});
