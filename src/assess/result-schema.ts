import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { AuditpackError } from '../errors';
import { RESULT_FORMAT, RESULT_FORMAT_VERSION, type AssessmentResult } from './result';

/**
 * The JSON Schema of the assessment result, generated from the types in result.ts
 * (`npm run schema`; a test keeps the committed file equal to a fresh generation).
 */
export const RESULT_SCHEMA_FILE = path.join(__dirname, '..', '..', 'docs', 'assessment-result.schema.json');

let validator: ValidateFunction | null = null;

function validate(): ValidateFunction {
  if (!validator) validator = new Ajv({ allErrors: false, strict: true }).compile(JSON.parse(readFileSync(RESULT_SCHEMA_FILE, 'utf8')) as object);
  return validator;
}

/** `/controls/3/status` as a reader finds it: `$.controls[3].status`. */
function jsonPath(pointer: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return `$${parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('')}`;
}

function describe(error: ErrorObject): string {
  const where = jsonPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${where}: has a field the schema does not allow (${JSON.stringify(params.additionalProperty)})`;
  if (error.keyword === 'required') return `${where}: lacks the required field ${JSON.stringify(params.missingProperty)}`;
  if (error.keyword === 'enum') return `${where}: ${error.message} (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
  if (error.keyword === 'const') return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
  return `${where}: ${error.message}`;
}

/**
 * The problem that makes `json` no assessment result of this version, as "JSON path: what is
 * wrong", or null when it is one. A newer version is named as such rather than as a schema error.
 */
export function resultProblem(json: unknown): string | null {
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if ((json as { format?: unknown } | null)?.format === RESULT_FORMAT && typeof version === 'number' && version > RESULT_FORMAT_VERSION) {
    return `$.formatVersion: assessment result version ${version} is newer than this auditpack reads (${RESULT_FORMAT_VERSION}); upgrade auditpack`;
  }
  const check = validate();
  return check(json) ? null : describe(check.errors![0]);
}

/** The result in `json`, or one error naming `source`, the JSON path and what is wrong. */
export function checkResult(json: unknown, source: string): AssessmentResult {
  const problem = resultProblem(json);
  if (problem) throw new AuditpackError(`${source}: not a valid assessment result: ${problem}`);
  return json as AssessmentResult;
}
