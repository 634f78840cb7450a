import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { AuditpackError } from '../errors';
import { isInterrupted, onInterrupt } from '../util/interrupt';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Where the Chromium that prints the PDF lives: the user's choice, then Puppeteer's download, then Debian's package. */
export function resolveBrowser(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.PUPPETEER_EXECUTABLE_PATH;
  if (chosen) {
    // An explicit choice that is wrong should be reported, not quietly replaced by another browser.
    if (!existsSync(chosen)) throw new AuditpackError(`PUPPETEER_EXECUTABLE_PATH is ${chosen}, which does not exist; set it to a Chrome or Chromium executable`);
    return chosen;
  }
  let bundled: string | null = null;
  try {
    bundled = puppeteer.executablePath();
  } catch {
    // Puppeteer throws when it has no browser configured; the system browser may still be there.
  }
  const found = [bundled, SYSTEM_CHROMIUM].find((p): p is string => p !== null && existsSync(p));
  if (!found) {
    throw new AuditpackError(
      `no browser to render the PDF: install Chromium (${SYSTEM_CHROMIUM}), run \`npx puppeteer browsers install chrome\`, or set PUPPETEER_EXECUTABLE_PATH`,
    );
  }
  return found;
}

// The report needs nothing from the network or from a profile, so every background service is off.
const ARGS = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Printing a large estate's report can take minutes; the default protocol timeout (3 min) is too short. */
export const BROWSER_TIMEOUT_MS = 10 * 60 * 1000;

/** Ends the browser's processes and waits until they are gone, so its profile can be removed. */
async function endBrowser(browser: Browser): Promise<void> {
  const child = browser.process();
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Closed politely, Chromium removes its own temporary files; a browser that does not answer is killed.
  const killer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
  await Promise.race([browser.close().catch(() => child.kill('SIGKILL')), exited]);
  await exited;
  clearTimeout(killer);
  // Chromium runs in a process group of its own (Puppeteer starts it detached); its helper
  // processes can outlive the main one and write into the profile after it was removed.
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}

const CLOSE_GRACE_MS = 5000;

/** How long, and how often, a profile that a dying browser may recreate is looked for again. */
const REAPPEAR_CHECKS = 5;
const REAPPEAR_INTERVAL_MS = 200;

async function removeAgainIfBack(dir: string): Promise<void> {
  for (let i = 0; i < REAPPEAR_CHECKS; i++) {
    await new Promise((resolve) => setTimeout(resolve, REAPPEAR_INTERVAL_MS));
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Runs `use` with a headless browser on a throw-away profile, and always closes both, on Ctrl-C too. */
export async function withBrowser<T>(use: (browser: Browser) => Promise<T>): Promise<T> {
  const executablePath = resolveBrowser();
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'auditpack-chromium-'));
  const removeProfile = () => rm(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  // Registered before anything is written into the profile, so a Ctrl-C at any later point removes it.
  // A browser still starting would go on writing its profile: wait for it, then end it.
  let launched: Promise<Browser | undefined> = Promise.resolve(undefined);
  const forget = onInterrupt(async () => {
    const browser = await launched;
    if (browser) await endBrowser(browser);
    await removeProfile();
    // A browser whose start the interrupt cut short is killed by Puppeteer, which keeps no handle
    // on its helper processes: for a moment they can still create the profile folder again.
    if (!browser) await removeAgainIfBack(userDataDir);
  });
  // Chromium's own temporary files go inside the profile, so removing the profile removes them too.
  const temp = path.join(userDataDir, 'tmp');
  // Chromium refuses to start its sandbox as root (e.g. in containers).
  const args = process.getuid?.() === 0 ? ['--no-sandbox', ...ARGS] : ARGS;
  try {
    await mkdir(temp);
    // After a Ctrl-C the profile may already be gone: a browser started now would write it anew.
    if (isInterrupted()) throw new AuditpackError('interrupted before the browser started');
    // Ctrl-C is auditpack's to handle (it removes the staged output and this profile); Puppeteer's
    // own handlers would exit the process before that cleanup runs.
    const launching = puppeteer.launch({ executablePath, headless: true, userDataDir, args, protocolTimeout: BROWSER_TIMEOUT_MS, handleSIGINT: false, handleSIGTERM: false, env: { ...process.env, TMPDIR: temp } });
    launched = launching.then(
      (browser) => browser,
      () => undefined,
    );
    let browser: Browser;
    try {
      browser = await launching;
    } catch (e) {
      const reason = (e as Error).message.split('\n')[0];
      throw new AuditpackError(`cannot start the browser at ${executablePath} to render the PDF: ${reason}`);
    }
    return await use(browser);
  } finally {
    await (await launched)?.close();
    await removeProfile();
    forget();
  }
}
