import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseYaml } from 'yaml';
import { digestFile } from '../src/integrity/files';
import { readPdfStructure } from '../src/render/pdf-outline';
import { useTempDir } from './helpers/tmp';

/**
 * End to end through the compiled CLI (`npm test` builds dist/ first), as a user runs it.
 */
const BIN = path.join(__dirname, '..', 'bin', 'auditpack.js');
const tmp = useTempDir('auditpack-cli-');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: tmp(), env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const text = (pdf: string) => spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).stdout;

describe('auditpack demo, end to end', () => {
  let demo: ReturnType<typeof run>;
  const out = () => path.join(tmp(), 'demo');

  beforeAll(() => {
    demo = run('demo', '--out', out());
  });

  it('writes the sample pack and every format, and says so', () => {
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/Sample evidence pack written to .*evidence \(SAMPLE DATA\)/);
    for (const f of ['report.pdf', 'report.xlsx', 'ssp-annex.xlsx', 'report.html', 'csv/controls.csv', 'csv/evidence.csv', 'oscal/assessment-results.json', 'oscal/poam.json', 'assessment-result.json', 'manifest.json']) {
      expect(existsSync(path.join(out(), 'report', f))).toBe(true);
    }
    expect(readdirSync(out()).sort()).toEqual(['evidence', 'report']);
  });

  it('renders a PDF that shows real content from the pack, marked and SAMPLE DATA', () => {
    const result = JSON.parse(readFileSync(path.join(out(), 'report', 'assessment-result.json'), 'utf8'));
    const pdf = text(path.join(out(), 'report', 'report.pdf'));
    expect(pdf).toContain('SAMPLE DATA');
    // The default marking is the baseline's classification.
    expect(pdf).toMatch(/Protective marking\s+PROTECTED/);
    expect(pdf).toContain(result.pack.manifestSha256);
    const failing = result.controls.find((c: { status: string }) => c.status === 'non-compliant');
    expect(pdf).toContain(failing.id);
    expect(pdf).toMatch(/Page 1 of \d+/);
  });

  it('wraps rule identifiers in the PDF only after an underscore', () => {
    const result = JSON.parse(readFileSync(path.join(out(), 'report', 'assessment-result.json'), 'utf8'));
    const identifiers = new Set<string>([
      ...result.controls.flatMap((c: { evidence: { rules: { sourceIdentifier: string }[] } }) => c.evidence.rules.map((r) => r.sourceIdentifier)),
      ...result.practices.flatMap((p: { rulesDeployed: string[]; rulesToDeploy: string[] }) => [...p.rulesDeployed, ...p.rulesToDeploy]),
    ]);
    const pdf = spawnSync('pdftotext', [path.join(out(), 'report', 'report.pdf'), '-'], { encoding: 'utf8' }).stdout;
    const cut: string[] = [];
    let found = 0;
    for (const id of identifiers) {
      // The identifier's characters in order, with any line breaks pdftotext read between them.
      for (const [printed] of pdf.matchAll(new RegExp([...id].join('\\n?'), 'g'))) {
        found++;
        if (printed.split('\n').slice(0, -1).some((line) => !line.endsWith('_'))) cut.push(printed);
      }
    }
    expect(found).toBeGreaterThan(20);
    expect(cut).toEqual([]);
  });

  it('prints under every rule-backed control the rationale config-rules.yaml gives its rules', () => {
    const result = JSON.parse(readFileSync(path.join(out(), 'report', 'assessment-result.json'), 'utf8'));
    const mapped: Record<string, { rationale?: string }> = parseYaml(readFileSync(path.join(__dirname, '..', 'mappings', 'config-rules.yaml'), 'utf8')).rules;
    // pdftotext joins a word hyphenated at a line's end, so hyphens are left out on both sides.
    const flat = (t: string) => t.replace(/_\s+/g, '_').replace(/-/g, '').replace(/\s+/g, ' ');
    // A row broken across pages reads on after the page's foot, the next page's head and the table's repeated header.
    const pdf = flat(spawnSync('pdftotext', [path.join(out(), 'report', 'report.pdf'), '-'], { encoding: 'utf8' }).stdout).replace(/ SAMPLE DATA PROTECTED Page \d+ of \d+ .*?Assessment and evidence/g, '');
    // Each rationale once per control a rule with it decides (two identifiers may share one).
    const expected = new Map<string, number>();
    for (const c of result.controls) {
      for (const r of c.evidence.rules as { sourceIdentifier: string }[]) {
        const rationale = flat(mapped[r.sourceIdentifier].rationale!);
        expected.set(rationale, (expected.get(rationale) ?? 0) + 1);
      }
    }
    expect(expected.size).toBeGreaterThan(20);
    const short = [...expected].map(([rationale, n]) => ({ rationale, expected: n, printed: pdf.split(rationale).length - 1 })).filter((x) => x.printed < x.expected);
    expect(short).toEqual([]);
  });

  it('cites evaluations by pack file and line, and each cited line holds the cited evaluation', () => {
    const result = JSON.parse(readFileSync(path.join(out(), 'report', 'assessment-result.json'), 'utf8'));
    const lines = readFileSync(path.join(out(), 'evidence', 'config', 'evaluations.jsonl'), 'utf8').split('\n');
    let cited = 0;
    for (const c of result.controls) {
      for (const r of [...c.evidence.rules, ...c.evidence.supportingRules]) {
        for (const { file, line, ...evaluation } of [...r.cited.failing, ...r.cited.compliant]) {
          expect(file).toBe('config/evaluations.jsonl');
          expect(JSON.parse(lines[line - 1])).toMatchObject(evaluation);
          cited++;
        }
      }
    }
    expect(cited).toBeGreaterThan(100);
  });

  it('never leaves a heading at the foot of a page without the start of its content', async () => {
    // From the executive summary on: the cover and contents have no page breaks to judge.
    const whole = readFileSync(path.join(out(), 'report', 'report.html'), 'utf8');
    const html = whole.slice(whole.indexOf('<h1 id="summary"'));
    const file = path.join(out(), 'report', 'report.pdf');
    const structure = await readPdfStructure(readFileSync(file));
    const plain = (markup: string) =>
      markup.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/_\s+/g, '_').replace(/\s+/g, ' ').trim();
    const pages = Array.from({ length: structure.pageCount }, (_, i) => plain(spawnSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }).stdout));
    let page = structure.destinations.get('summary')! - 1;
    let checked = 0;
    for (const m of html.matchAll(/<h([12])\b[^>]*>([\s\S]*?)<\/h\1>/g)) {
      // What the heading introduces: its content after any introductory paragraphs, up to the next heading.
      const rest = html.slice(m.index! + m[0].length);
      const end = rest.search(/<h[123]\b|<\/section>/);
      const content = plain(rest.slice(0, end < 0 ? undefined : end).replace(/^(\s*<p\b[^>]*>[\s\S]*?<\/p>)+/, ''));
      // A heading in a table's header row (the practices' services) goes with the table's first row
      // by construction; pdftotext reads it after the column headers, so its order proves nothing.
      const inTableHeader = /<th\b[^>]*>\s*$/.test(html.slice(0, m.index));
      if (!content || inTableHeader) continue;
      const heading = plain(m[2]);
      while (page < pages.length && !pages[page].includes(heading)) page++;
      expect({ heading, found: page < pages.length }).toEqual({ heading, found: true });
      const after = pages[page].slice(pages[page].indexOf(heading) + heading.length);
      // Its first word: pdftotext reads side-by-side boxes (the summary's figures) column by column.
      const start = content.split(' ')[0];
      expect({ heading, page: page + 1, start, onTheSamePage: after.includes(start) }).toEqual({ heading, page: page + 1, start, onTheSamePage: true });
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('writes an XLSX that opens, with one Controls row per baseline control', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(out(), 'report', 'report.xlsx'));
    const result = JSON.parse(readFileSync(path.join(out(), 'report', 'assessment-result.json'), 'utf8'));
    expect(workbook.getWorksheet('Controls')!.actualRowCount).toBe(result.totals.controls + 1);
  });

  it('verifies the pack and the report, and names a file changed by one byte', async () => {
    expect(run('verify', path.join(out(), 'evidence'))).toMatchObject({ code: 0, stdout: expect.stringContaining('OK') });
    expect(run('verify', path.join(out(), 'report'))).toMatchObject({ code: 0 });
    const copy = path.join(tmp(), 'tampered');
    cpSync(out(), copy, { recursive: true });
    for (const rel of ['evidence/config/evaluations.jsonl', 'evidence/manifest.json', 'report/report.pdf', 'report/csv/controls.csv']) {
      const file = path.join(copy, rel);
      const before = readFileSync(file);
      const bytes = Buffer.from(before);
      bytes[Math.floor(bytes.length / 2)] ^= 0x20;
      writeFileSync(file, bytes);
      const folder = rel.split('/')[0];
      const r = run('verify', path.join(copy, folder));
      expect(r.code).toBe(1);
      if (rel.endsWith('manifest.json')) expect(r.stderr).toMatch(/manifest\.json: /);
      else expect(r.stderr).toContain(`changed: ${rel.slice(folder.length + 1)}`);
      writeFileSync(file, before);
    }
  });

  it('re-running the demo replaces its own output; --quiet keeps the summary on stdout', () => {
    const again = run('demo', '--out', out(), '--format', 'csv', '--quiet');
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/Report written to .*report \(SAMPLE DATA\)\n[\s\S]*PROTECTED: \d+ controls; /);
    expect(existsSync(path.join(out(), 'report', 'report.pdf'))).toBe(false);
  });
});

describe('bad input: one clear line, the right exit code, nothing half-written', () => {
  const pack = () => path.join(tmp(), 'pack');
  beforeAll(() => {
    expect(run('demo', '--out', path.join(tmp(), 'base'), '--format', 'csv').code).toBe(0);
    cpSync(path.join(tmp(), 'base', 'evidence'), pack(), { recursive: true });
  });

  const expectOneLineError = (r: ReturnType<typeof run>, code: number, pattern: RegExp) => {
    expect(r.code).toBe(code);
    expect(r.stderr.trim().split('\n')[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  it('a missing pack', () => {
    expectOneLineError(run('report', path.join(tmp(), 'nope'), '--out', path.join(tmp(), 'r1')), 1, /^auditpack: .*nope: not an evidence pack \(no manifest\.json\)$/);
    expect(existsSync(path.join(tmp(), 'r1'))).toBe(false);
  });

  it('a pack with a corrupt JSON line names the file and line', async () => {
    const corrupt = path.join(tmp(), 'corrupt');
    cpSync(pack(), corrupt, { recursive: true });
    const file = path.join(corrupt, 'config', 'evaluations.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[41] = lines[41].slice(0, -5);
    writeFileSync(file, lines.join('\n'));
    // Keep the manifest consistent so that the JSON itself, not the hash, is what fails.
    const manifestPath = path.join(corrupt, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    Object.assign(manifest.files.find((f: { path: string }) => f.path === 'config/evaluations.jsonl'), await digestFile(file));
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    expectOneLineError(run('report', corrupt, '--out', path.join(tmp(), 'r2')), 1, /evaluations\.jsonl:42: not valid JSON/);
    expect(existsSync(path.join(tmp(), 'r2'))).toBe(false);
  });

  it('a pack whose files do not match the manifest', () => {
    const changed = path.join(tmp(), 'changed');
    cpSync(pack(), changed, { recursive: true });
    const file = path.join(changed, 'config', 'rules.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"ACTIVE"', '"DELETING"'));
    expectOneLineError(run('report', changed, '--out', path.join(tmp(), 'r3')), 1, /evidence does not match its manifest: config\/rules\.jsonl \(changed\)/);
  });

  it('an unknown --format', () => {
    expectOneLineError(run('report', pack(), '--out', path.join(tmp(), 'r4'), '--format', 'pdf,docx'), 1, /--format: unknown format "docx"/);
    expect(existsSync(path.join(tmp(), 'r4'))).toBe(false);
  });

  it('an output directory that is not an earlier report', () => {
    expectOneLineError(run('report', pack(), '--out', pack(), '--format', 'csv'), 1, /--out .*pack: is the evidence pack itself, which the report would replace/);
    const folder = path.join(tmp(), 'folder');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    expectOneLineError(run('report', pack(), '--out', folder, '--format', 'csv'), 1, /folder: already exists and is not an auditpack report folder/);
    expect(run('verify', pack()).code).toBe(0);
  });

  it('usage errors exit 2', () => {
    expect(run('report', pack()).code).toBe(2);
    expect(run('frobnicate').code).toBe(2);
    expect(run('verify', pack(), '--no-such-option').code).toBe(2);
    expect(run().code).toBe(2);
  });

  it('collect validates its options before anything else', () => {
    expectOneLineError(run('collect', '--out', 'x', '--regions', 'sydney'), 1, /--regions: "sydney" is not an AWS region/);
    expectOneLineError(run('collect', '--out', 'x', '--aggregator', 'org'), 1, /--aggregator needs --aggregator-region/);
  });

  it('leaves no staging directories behind after failures', () => {
    expect(readdirSync(tmp()).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('every command has help with examples', () => {
    for (const command of ['demo', 'collect', 'report', 'verify']) {
      const r = run(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Examples:');
    }
  });
});

describe('Ctrl-C', () => {
  it('leaves neither a pack nor a staging directory', async () => {
    const out = path.join(tmp(), 'interrupted');
    const child = spawn(process.execPath, [BIN, 'demo', '--out', out, '--accounts', '60'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let ended = false;
    const exited = new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? signal))).finally(() => (ended = true));
    // Interrupt once the pack is being written (its staging directory exists), however slow the
    // machine: a signal sent at a fixed time could arrive before the process handles it.
    const staging = () => existsSync(out) && readdirSync(out).some((n) => n.includes('.partial-'));
    while (!ended && !staging()) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended).toBe(false);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // One line, never the stack of a stream written after its file was removed.
    expect(stderr).toBe('auditpack: interrupted; nothing was written\n');
    expect(existsSync(path.join(out, 'evidence'))).toBe(false);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});
