import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';

/** The NIST OSCAL JSON Schemas bundled with auditpack (schemas/oscal/PROVENANCE.md). */
export const OSCAL_SCHEMAS_DIR = path.join(__dirname, '..', '..', '..', 'schemas', 'oscal');

export const OSCAL_SCHEMAS = {
  'assessment-results': 'oscal_assessment-results_schema.json',
  poam: 'oscal_poam_schema.json',
} as const;
export type OscalModel = keyof typeof OSCAL_SCHEMAS;

/**
 * A validator for NIST's draft-07 schemas. Their patterns use Unicode property escapes (`\p{L}`),
 * hence `unicodeRegExp`; `strict: false` because they carry keywords Ajv's strict mode rejects.
 * Formats are not checked (ajv-formats is not a dependency): the schemas' own patterns already
 * pin every date-time and URI that auditpack writes.
 */
function oscalValidator(schemaFile: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, unicodeRegExp: true, validateFormats: false, allErrors: false });
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
}

const compiled = new Map<OscalModel, ValidateFunction>();

/**
 * Checks a document against its bundled schema; an invalid one is a bug in the export, so it
 * throws (the report fails and nothing is written) naming the file and the first violation.
 */
export function assertValidOscal(model: OscalModel, file: string, document: unknown): void {
  let validate = compiled.get(model);
  if (!validate) compiled.set(model, (validate = oscalValidator(path.join(OSCAL_SCHEMAS_DIR, OSCAL_SCHEMAS[model]))));
  if (validate(document)) return;
  const [first] = validate.errors ?? [];
  throw new Error(`${file}: the export does not validate against NIST's OSCAL schema ${OSCAL_SCHEMAS[model]}: ${first?.instancePath || '/'} ${first?.message ?? 'is invalid'}`);
}
