import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The Debian package python3-openpyxl installs for the system Python, which may not be first on PATH. */
export const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => (p.includes('/') ? existsSync(p) : true))!;
export const hasOpenpyxl = spawnSync(PYTHON, ['-c', 'import openpyxl']).status === 0;

export interface SheetLayout {
  /** [range, type, formula] of each data validation, sorted. */
  validations: [string, string, string][];
  freeze: string | null;
  filter: string | null;
  titles: string | null;
  rows: number;
}

/** A sheet's validations, frozen panes, filter and print titles as openpyxl reads them, as a GRC engineer's script would. */
export function sheetLayout(file: string, sheet: string): SheetLayout {
  const script = [
    'import json, sys, openpyxl',
    'ws = openpyxl.load_workbook(sys.argv[1])[sys.argv[2]]',
    'print(json.dumps({"validations": sorted([str(v.sqref), v.type, v.formula1] for v in ws.data_validations.dataValidation),',
    '  "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "titles": ws.print_title_rows, "rows": ws.max_row}))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script, file, sheet], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openpyxl could not read ${file}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
