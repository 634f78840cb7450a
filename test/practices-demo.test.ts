import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadMappings } from '../src/mapping/mappings';
import { builtinCatalog } from '../src/mapping/catalog';
import { runProcess } from './helpers/process';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir();
const ROOT = path.join(__dirname, '..');

it("the demo's csv/practices.csv lists every practice of S3, RDS and EC2 with a status, and the rules to deploy for those not evidenced", async () => {
  const out = path.join(tmp(), 'demo');
  const run = await runProcess(process.execPath, [path.join(ROOT, 'bin', 'auditpack.js'), 'demo', '--out', out, '--format', 'csv'], { cwd: ROOT });
  expect([run.code, run.stderr]).toEqual([0, '']);
  const rows: Record<string, string>[] = parse(readFileSync(path.join(out, 'report', 'csv', 'practices.csv'), 'utf8'), { columns: true });
  const { practices } = loadMappings(builtinCatalog());
  // The sample estate uses all three services, so every practice appears, once, in the file's order.
  expect(rows.map((r) => `${r.service}/${r.practice}`)).toEqual(practices.map((p) => `${p.serviceTitle}/${p.name}`));
  for (const r of rows) {
    expect(['followed', 'partly', 'not-followed', 'not-evidenced']).toContain(r.status);
    const practice = practices.find((p) => p.serviceTitle === r.service && p.name === r.practice)!;
    if (r.status === 'not-evidenced' && practice.rules.length) {
      // Not evidenced for want of a rule: the rules to deploy are named, in the row and its rationale.
      if (!r.rules_deployed) expect([r.practice, r.rules_to_deploy.split(';')]).toEqual([r.practice, [...practice.rules]]);
      for (const rule of r.rules_to_deploy.split(';').filter(Boolean)) expect(r.rationale).toContain(rule);
    }
    if (!practice.rules.length) expect([r.practice, r.status, r.manual_evidence]).toEqual([r.practice, 'not-evidenced', practice.manualEvidence]);
  }
  expect(rows.filter((r) => r.status === 'not-evidenced' && r.rules_to_deploy).length).toBeGreaterThan(0);
});
