import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { checkResult, RESULT_SCHEMA_FILE, resultProblem } from '../src/assess/result-schema';
import { renderResult } from './fixtures/render-result';
import { writeRenderPack } from './fixtures/render-pack';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir('auditpack-schema-');

describe('the assessment result schema', () => {
  test('the committed schema is what the result types generate (npm run schema)', () => {
    const fresh = createGenerator({ path: path.join(__dirname, '..', 'src', 'assess', 'result.ts'), type: 'AssessmentResult', tsconfig: path.join(__dirname, '..', 'tsconfig.json') }).createSchema('AssessmentResult');
    expect(JSON.parse(readFileSync(RESULT_SCHEMA_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(fresh)));
  }, 120_000);

  test('accepts a well-formed result and names the JSON path of what is wrong in a broken one', async () => {
    const result = renderResult(await writeRenderPack(path.join(tmp(), 'pack')));
    expect(resultProblem(result)).toBeNull();
    const broken = (edit: (json: Record<string, any>) => void) => {
      const json = JSON.parse(JSON.stringify(result));
      edit(json);
      return json;
    };
    expect(() => checkResult(broken((j) => (j.controls[1].status = 'great')), 'r.json')).toThrow(
      /^r\.json: not a valid assessment result: \$\.controls\[1\]\.status: must be equal to one of the allowed values \("non-compliant", /,
    );
    expect(() => checkResult(broken((j) => delete j.pack.files), 'r.json')).toThrow(/^r\.json: not a valid assessment result: \$\.pack: lacks the required field "files"$/);
    expect(() => checkResult(broken((j) => (j.controls[0].evidence.surprise = 1)), 'r.json')).toThrow(/\$\.controls\[0\]\.evidence: has a field the schema does not allow \("surprise"\)/);
    expect(() => checkResult(broken((j) => (j.totals.resources = '2')), 'r.json')).toThrow(/\$\.totals\.resources: must be number/);
    expect(() => checkResult(broken((j) => (j.formatVersion = 1)), 'r.json')).toThrow(/\$\.formatVersion: must be 2/);
    expect(() => checkResult(broken((j) => (j.formatVersion = 3)), 'r.json')).toThrow(/\$\.formatVersion: assessment result version 3 is newer than this auditpack reads \(2\); upgrade auditpack/);
  });
});
