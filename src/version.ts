// Read at run time so the version has one source: package.json.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = require('../package.json') as { name: string; version: string };

export const TOOL = { name: pkg.name, version: pkg.version } as const;
