import ExcelJS from 'exceljs';
import { safeCell } from './cells';
import type { Table } from './tables';

/** Excel's sheet size, header row included. */
const EXCEL_MAX_ROWS = 1_048_576;

export interface XlsxOptions {
  marking: string;
  sample: boolean;
  /** Rows per sheet before a table continues on a new sheet; only tests lower it. */
  maxRows?: number;
}

/** Text for an Excel print header or footer, where `&` starts a control code. */
const headerText = (text: string): string => text.replaceAll('&', '&&');

/**
 * Writes every table as a sheet with the streaming writer, committing each row as it is added so
 * memory stays flat however many evaluations the pack holds. A table longer than Excel allows
 * continues on "<name> (2)", "<name> (3)", ... instead of being cut short.
 */
export async function writeXlsx(file: string, tables: readonly Table[], options: XlsxOptions): Promise<void> {
  const maxRows = options.maxRows ?? EXCEL_MAX_ROWS;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  // The marking is printed at the top and bottom of every page, as it is in the PDF.
  const sample = options.sample ? '&L&"-,Bold"SAMPLE DATA' : '';
  const marking = `&C&"-,Bold"${headerText(options.marking)}`;
  const headerFooter = { oddHeader: `${sample}${marking}`, oddFooter: `${sample}${marking}&RPage &P of &N` };

  for (const table of tables) {
    let part = 1;
    let rows = 0;
    const open = (): ExcelJS.Worksheet => {
      const sheet = workbook.addWorksheet(part === 1 ? table.sheet : `${table.sheet} (${part})`, {
        views: [{ state: 'frozen', ySplit: 1 }],
        headerFooter,
        pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
      });
      sheet.columns = table.columns.map((c) => ({ width: c.width }));
      const header = sheet.addRow(table.columns.map((c) => c.name));
      header.font = { bold: true };
      header.commit();
      rows = 1;
      return sheet;
    };
    const close = (sheet: ExcelJS.Worksheet): void => {
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows, column: table.columns.length } };
      sheet.commit();
    };

    let sheet = open();
    for await (const row of table.rows()) {
      if (rows === maxRows) {
        close(sheet);
        part++;
        sheet = open();
      }
      sheet.addRow(row.map(safeCell)).commit();
      rows++;
    }
    close(sheet);
  }
  await workbook.commit();
}
