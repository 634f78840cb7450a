import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import { parseDate, parseRegions, parseReportOptions, type ReportArgs } from '../src/cli/options';
import { builtinBaselines } from '../src/mapping/catalog';
import { defaultMarking, markingBelowBaseline, parseMarking } from '../src/render/marking';
import { evaluation, recorder, rule, writePack } from './helpers/pack';
import { useTempDir } from './helpers/tmp';

/** Inputs that change what a report says are validated before anything is read or written (issue 10, item 6). */
const argv = (extra: Partial<ArgumentsCamelCase<ReportArgs>> = {}) =>
  ({ _: [], $0: 'auditpack', format: 'html', baseline: 'PROTECTED', ...extra }) as ArgumentsCamelCase<ReportArgs>;

describe('regions are the ones AWS has, from the AWS SDK region data', () => {
  it('accepts real regions of every partition', () => {
    expect(parseRegions('regions', 'ap-southeast-2, ap-southeast-4,us-gov-west-1,cn-north-1')).toEqual(['ap-southeast-2', 'ap-southeast-4', 'us-gov-west-1', 'cn-north-1']);
  });

  it.each([['ap-southeast-9'], ['ap-southeast-2,eu-middle-7'], ['aws-global']])('refuses %s', (value) => {
    expect(() => parseRegions('allowed-regions', value)).toThrow(/^--allowed-regions: "[a-z0-9-]+" is not an AWS region/);
  });
});

describe('--as-of is a calendar date', () => {
  it.each([['2026-13-45'], ['2026-02-30'], ['2025-02-29'], ['2026-1-5'], ['tomorrow']])('refuses %s', (value) => {
    expect(() => parseDate('as-of', value)).toThrow(`--as-of: "${value}" is not a calendar date in the form YYYY-MM-DD`);
  });

  it('accepts a leap day', () => {
    expect(parseReportOptions(argv({ asOf: '2028-02-29' })).asOf).toBe('2028-02-29');
  });
});

describe('--marking is a PSPF marking', () => {
  it.each([
    ['PROTECTED', 'PROTECTED'],
    ['protected', 'PROTECTED'],
    ['official: sensitive', 'OFFICIAL: Sensitive'],
    ['OFFICIAL:   Sensitive', 'OFFICIAL: Sensitive'],
    ['TOP SECRET//AUSTEO', 'TOP SECRET//AUSTEO'],
    ['PROTECTED//CABINET', 'PROTECTED//CABINET'],
    ['OFFICIAL: Sensitive//Legal privilege', 'OFFICIAL: Sensitive//Legal privilege'],
    ['SECRET REL AUS/NZL', 'SECRET REL AUS/NZL'],
  ])('%j is printed as %j', (value, text) => {
    expect(parseMarking(value).text).toBe(text);
  });

  it.each([['PROTECTD'], ['OFFICIAL Sensitive'], ['OFFICIAL:Sensitve'], ['SECRETARIAT'], ['PROTECTED//'], [''], ['TOP-SECRET'], ['PROTECTED\u202E']])('refuses %j', (value) => {
    expect(() => parseMarking(value)).toThrow(/^--marking: .* use UNOFFICIAL, OFFICIAL, OFFICIAL: Sensitive, PROTECTED, SECRET or TOP SECRET/);
  });

  it('defaults to the baseline classification', () => {
    expect(parseReportOptions(argv()).marking).toBe('PROTECTED');
    expect(parseReportOptions(argv({ baseline: 'SECRET' })).marking).toBe('SECRET');
    expect(defaultMarking('E8_ML2')).toBe('OFFICIAL: Sensitive');
    // The classification follows each profile's applicability value, so every baseline of the index has one or is an Essential Eight level.
    for (const b of builtinBaselines()) expect(defaultMarking(b.name)).toBe(b.prop === 'essentialEight' ? 'OFFICIAL: Sensitive' : { NC: 'OFFICIAL', OS: 'OFFICIAL: Sensitive', P: 'PROTECTED', S: 'SECRET', TS: 'TOP SECRET' }[b.value]);
  });

  it('a marking below the baseline classification gets a note; equal, higher or unclassified baselines none', () => {
    expect(markingBelowBaseline('OFFICIAL: Sensitive', 'SECRET')).toBe('the protective marking OFFICIAL: Sensitive is below SECRET, the classification of the SECRET baseline assessed');
    expect(markingBelowBaseline('PROTECTED//CABINET', 'PROTECTED')).toBeNull();
    expect(markingBelowBaseline('TOP SECRET', 'SECRET')).toBeNull();
    expect(markingBelowBaseline('UNOFFICIAL', 'E8_ML3')).toBeNull();
    expect(markingBelowBaseline('UNOFFICIAL', 'NON_CLASSIFIED')).toMatch(/below OFFICIAL/);
  });
});

describe('through the CLI (`npm test` builds dist/ first)', () => {
  const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
  const tmp = useTempDir('auditpack-inputs-');
  const pack = () => path.join(tmp(), 'pack');
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    await writePack(pack(), { recorderStatus: [recorder()], configRules: [rule('S3_BUCKET_PUBLIC_READ_PROHIBITED')], evaluations: [evaluation('S3_BUCKET_PUBLIC_READ_PROHIBITED', 'b', 'NON_COMPLIANT')] });
  });

  it.each([
    [['--allowed-regions', 'ap-southeast-9'], /^auditpack: --allowed-regions: "ap-southeast-9" is not an AWS region/],
    [['--as-of', '2026-13-45'], /^auditpack: --as-of: "2026-13-45" is not a calendar date/],
    [['--marking', 'PROTECTD'], /^auditpack: --marking: "PROTECTD" is not a PSPF marking/],
  ])('%j: one line, exit 1, nothing written', (args, message) => {
    const out = path.join(tmp(), `bad-${args[0].slice(2)}`);
    const r = run('report', pack(), '--out', out, '--format', 'html', ...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp()).filter((f) => f.includes('partial'))).toEqual([]);
  }, 60_000);

  it('collect refuses an unknown region before any AWS call', () => {
    const r = run('collect', '--out', path.join(tmp(), 'never'), '--regions', 'ap-southeast-2,ap-southeast-9', '--endpoint-url', 'http://127.0.0.1:9');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(/^auditpack: --regions: "ap-southeast-9" is not an AWS region/);
  }, 60_000);

  it('a marking below the baseline warns in one line on stderr and notes it on the cover', () => {
    const out = path.join(tmp(), 'low');
    const r = run('report', pack(), '--out', out, '--format', 'html', '--baseline', 'SECRET', '--marking', 'OFFICIAL: Sensitive');
    expect(r.code).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(['auditpack: warning: the protective marking OFFICIAL: Sensitive is below SECRET, the classification of the SECRET baseline assessed; give --marking SECRET or higher']);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('Note: the protective marking OFFICIAL: Sensitive is below SECRET, the classification of the SECRET baseline assessed.');
  }, 120_000);

  it('the default marking is the baseline classification, without a warning', () => {
    const out = path.join(tmp(), 'default');
    const r = run('report', pack(), '--out', out, '--format', 'html', '--baseline', 'SECRET');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/Protective marking<\/th><td class="strong">SECRET</);
    expect(html).not.toContain('class="marking-note"');
  }, 120_000);
});
