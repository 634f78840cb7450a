import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { AssessmentResult } from '../../src/assess/result';
import { DateCell } from '../../src/render/cells';
import { packRows } from '../../src/render/rows';
import { reportTables, type Table } from '../../src/render/tables';
import { EXCEL_MAX_ROWS } from '../../src/render/xlsx';
import type { LibraryWriter } from '../writers';
import { runStage, timed } from './stage';

/**
 * The rows of every table the XLSX and CSV renders write (the renderer's own tables, streamed
 * from the pack the same way), written straight by the library the renderer uses, with nothing
 * of ours around it: no formula guard, status fills, print setup or flow control.
 * `library-rows REPORT PACK RESULT WRITER OUT`.
 *
 * - csv-stringify: one file per table.
 * - exceljs: the streaming writer, one sheet per table, styles on, which a date cell needs to
 *   show as a date (and which costs exceljs about half as much again as writing the cells).
 *   A table longer than Excel's sheet continues on another sheet, as the workbook would
 *   otherwise be one Excel cannot open.
 * - exceljs-unstyled: the same with styles off (dates then show as serial numbers).
 */
const DATE: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd' };
const DATETIME: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd hh:mm:ss' };

/** Each writer returns the data rows it wrote. */
async function exceljsAlone(file: string, tables: readonly Table[], useStyles: boolean): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: `${file}.xlsx`, useStyles, useSharedStrings: false });
  let sheets = 0;
  let written = 0;
  for (const table of tables) {
    const open = () => {
      const sheet = workbook.addWorksheet(`Sheet${++sheets}`);
      sheet.addRow(table.columns.map((c) => c.name)).commit();
      return sheet;
    };
    let sheet = open();
    let rows = 1;
    for await (const values of table.rows()) {
      if (rows === EXCEL_MAX_ROWS) {
        sheet.commit();
        sheet = open();
        rows = 1;
      }
      const row = sheet.addRow(values.map((cell) => (cell instanceof DateCell ? cell.toDate() : cell)));
      if (useStyles) values.forEach((cell, i) => cell instanceof DateCell && (row.getCell(i + 1).style = cell.kind === 'date' ? DATE : DATETIME));
      row.commit();
      rows++;
      written++;
    }
    sheet.commit();
  }
  await workbook.commit();
  return written;
}

async function csvStringifyAlone(dir: string, tables: readonly Table[]): Promise<number> {
  let written = 0;
  for (const [i, table] of tables.entries()) {
    async function* values() {
      for await (const row of table.rows()) {
        written++;
        yield row.map((cell) => (cell instanceof DateCell ? cell.iso : cell));
      }
    }
    await pipeline(Readable.from(values()), stringify({ header: true, columns: table.columns.map((c) => c.name) }), createWriteStream(path.join(dir, `${i}.csv`)));
  }
  return written;
}

const WRITERS: Record<LibraryWriter, (dir: string, tables: readonly Table[]) => Promise<number>> = {
  'csv-stringify': csvStringifyAlone,
  exceljs: (dir, tables) => exceljsAlone(path.join(dir, 'report'), tables, true),
  'exceljs-unstyled': (dir, tables) => exceljsAlone(path.join(dir, 'report'), tables, false),
};

async function renderedTables(result: AssessmentResult, packDir: string): Promise<Table[]> {
  return reportTables({ result, rows: await packRows(result, packDir), marking: 'OFFICIAL: Sensitive', system: null, changes: null });
}

runStage(async ([packDir, resultFile, writer, outDir]) => {
  if (!Object.hasOwn(WRITERS, writer)) throw new Error(`unknown writer ${writer}`);
  const write = WRITERS[writer as LibraryWriter];
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as AssessmentResult;
  mkdirSync(outDir, { recursive: true });
  // Timed from the same point as the render: the tables' setup checks the pack's manifest against the result.
  const { value: rows, seconds } = await timed(async () => write(outDir, await renderedTables(result, packDir)));
  return { seconds, rows };
});
