import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { builtinCatalog } from '../src/mapping/catalog';
import { BUILTIN_MAPPINGS_DIR, loadMappings } from '../src/mapping/mappings';
import { useTempDir } from './helpers/tmp';

const tmp = useTempDir();
const catalog = builtinCatalog();
const PRACTICES = path.join(BUILTIN_MAPPINGS_DIR, 'practices.yaml');

/** A copy of the built-in mappings whose practices.yaml is edited, to provoke one error. */
function practicesWith(name: string, edit: (text: string) => string): string {
  const dir = path.join(tmp(), name);
  cpSync(BUILTIN_MAPPINGS_DIR, dir, { recursive: true });
  const target = path.join(dir, 'practices.yaml');
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return dir;
}
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const original = readFileSync(PRACTICES, 'utf8');

describe('service security practices (mappings/practices.yaml)', () => {
  const { practices, ruleMappings } = loadMappings(catalog);

  it('cover the S3, RDS and EC2 practices of the shared responsibility model', () => {
    const byService = (service: string) => practices.filter((p) => p.service === service).map((p) => p.name);
    expect(byService('AWS::S3')).toEqual(expect.arrayContaining(['not-public', 'encryption-at-rest', 'encryption-in-transit', 'object-lock', 'versioning', 'vpc-endpoints']));
    expect(byService('AWS::RDS')).toEqual(expect.arrayContaining(['automatic-backups', 'cross-account-backup-copies', 'inside-vpc', 'tls-connections', 'encryption-at-rest']));
    expect(byService('AWS::EC2')).toEqual(expect.arrayContaining(['restrictive-security-groups', 'private-subnets', 'vpc-flow-logs', 'security-hub', 'no-open-ssh']));
    expect(practices.find((p) => p.name === 'object-lock')!.rules).toEqual(['S3_BUCKET_DEFAULT_LOCK_ENABLED']);
  });

  it('use only rule identifiers the rule mappings account for, and name manual evidence where no rule can show a practice', () => {
    for (const p of practices) {
      for (const r of p.rules) expect([p.name, r, ruleMappings.has(r)]).toEqual([p.name, r, true]);
      expect([p.name, p.rules.length > 0 || (p.manualEvidence ?? '').length > 20]).toEqual([p.name, true]);
    }
  });

  it('refuse an unknown rule identifier, naming the file and line', () => {
    const dir = practicesWith('unknown-rule', (t) => t.replace('rules: [S3_BUCKET_VERSIONING_ENABLED]', 'rules: [S3_BUCKET_VERSIONING_ENABLD]'));
    const line = lineOf(original, 'rules: [S3_BUCKET_VERSIONING_ENABLED]');
    expect(() => loadMappings(catalog, { dir })).toThrow(`${path.join(dir, 'practices.yaml')}:${line}: rule identifier S3_BUCKET_VERSIONING_ENABLD is not in config-rules.yaml`);
  });

  it('refuse a practice name given twice in one service, naming the line of the second', () => {
    const dir = practicesWith('duplicate-name', (t) => t.replace('      encryption-in-transit:\n', '      encryption-at-rest:\n'));
    const line = lineOf(original, '      encryption-in-transit:');
    expect(() => loadMappings(catalog, { dir })).toThrow(`${path.join(dir, 'practices.yaml')}:${line}: Map keys must be unique`);
  });

  it('refuse a practice with neither rules nor manual evidence', () => {
    const dir = practicesWith('no-evidence', (t) => t.replace('rules: [S3_BUCKET_SSL_REQUESTS_ONLY]', 'rules: []'));
    // The practice's first line: its description.
    const line = lineOf(original, 'rules: [S3_BUCKET_SSL_REQUESTS_ONLY]') - 1;
    expect(() => loadMappings(catalog, { dir })).toThrow(`${path.join(dir, 'practices.yaml')}:${line}: services.AWS::S3.practices.encryption-in-transit: lists no rules`);
  });

  it('let a user file add and replace practices', () => {
    const extraDir = path.join(tmp(), 'extra');
    cpSync(BUILTIN_MAPPINGS_DIR, extraDir, { recursive: true, filter: (src) => src === BUILTIN_MAPPINGS_DIR || src.endsWith('practices.yaml') });
    writeFileSync(
      path.join(extraDir, 'practices.yaml'),
      ['services:', '  AWS::S3:', '    title: Amazon S3', '    practices:', '      versioning:', '        description: Ours.', '        rules: [S3_BUCKET_VERSIONING_ENABLED, S3_BUCKET_MFA_DELETE_ENABLED]', ''].join('\n'),
    );
    const merged = loadMappings(catalog, { extraDir }).practices;
    expect(merged.filter((p) => p.name === 'versioning')).toEqual([expect.objectContaining({ description: 'Ours.', rules: ['S3_BUCKET_MFA_DELETE_ENABLED', 'S3_BUCKET_VERSIONING_ENABLED'] })]);
    expect(merged.length).toBe(practices.length);
  });
});
