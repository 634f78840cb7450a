/** The libraries the library-rows stage times writing the report's rows straight (see stages/library-rows.ts). */
export const LIBRARY_WRITERS = ['csv-stringify', 'exceljs', 'exceljs-unstyled'] as const;
export type LibraryWriter = (typeof LIBRARY_WRITERS)[number];
