// Finding a Chromium/Chrome/Edge on this machine, per OS, and clearing a profile lock left by a
// browser whose sidecar was killed.

import fs from 'node:fs';
import path from 'node:path';
import { log } from './log.js';

/** Thrown when no browser executable can be found; carries install advice. */
export class BrowserNotFound extends Error {
  /**
   * @param {string} message
   * @param {string} advice
   */
  constructor(message, advice) {
    super(message);
    this.advice = advice;
  }
}

/**
 * The Linux distribution's id and the ids it is like, from os-release ("ubuntu", "debian", …).
 * @param {string} [text] contents of /etc/os-release (read when omitted)
 * @returns {string[]}
 */
export function distroIds(text) {
  let body = text;
  if (body === undefined) {
    try {
      body = fs.readFileSync('/etc/os-release', 'utf8');
    } catch {
      return [];
    }
  }
  const ids = [];
  for (const line of body.split('\n')) {
    const m = /^(ID|ID_LIKE)=(.*)$/.exec(line.trim());
    if (m) ids.push(...m[2].replace(/["']/g, '').split(/\s+/).filter(Boolean));
  }
  return ids;
}

/**
 * Advice naming what to install on this OS (on Linux, in the distribution's own words).
 * @param {NodeJS.Platform} platform
 * @param {string[]} [distro] ids from {@link distroIds}
 */
export function installAdvice(platform, distro = platform === 'linux' ? distroIds() : []) {
  switch (platform) {
    case 'win32':
      return 'Install Google Chrome (or use Microsoft Edge, which Windows ships), or set TOURDESK_CHROMIUM to the full path of chrome.exe/msedge.exe.';
    case 'darwin':
      return 'Install Google Chrome or Chromium into /Applications, or set TOURDESK_CHROMIUM to the browser executable inside the .app bundle.';
    default:
      if (distro.includes('ubuntu')) {
        return 'Install Chromium: "sudo snap install chromium" (Ubuntu ships it as a snap), or install Google Chrome, or set TOURDESK_CHROMIUM to the browser executable.';
      }
      if (distro.includes('debian')) {
        return 'Install Chromium: "sudo apt install chromium", or install Google Chrome, or set TOURDESK_CHROMIUM to the browser executable.';
      }
      return 'Install Chromium (Debian: "sudo apt install chromium"; Ubuntu: "sudo snap install chromium"; Fedora: "sudo dnf install chromium") or Google Chrome, or set TOURDESK_CHROMIUM to the browser executable.';
  }
}

/**
 * Candidate executables in the usual install places of each OS, most preferred first.
 * @param {NodeJS.Platform} platform
 * @param {NodeJS.ProcessEnv} env
 */
export function candidatePaths(platform, env) {
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean);
    const rel = [
      'Google\\Chrome\\Application\\chrome.exe',
      'Chromium\\Application\\chrome.exe',
      'Microsoft\\Edge\\Application\\msedge.exe',
    ];
    return rel.flatMap((r) => roots.map((root) => path.win32.join(/** @type {string} */ (root), r)));
  }
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
    const dirs = ['/Applications', env.HOME ? path.posix.join(env.HOME, 'Applications') : null].filter(Boolean);
    return apps.flatMap((a) => dirs.map((d) => path.posix.join(/** @type {string} */ (d), a)));
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
  const dirs = (env.PATH ?? '').split(':').filter(Boolean);
  for (const fixed of ['/usr/bin', '/usr/local/bin', '/snap/bin']) if (!dirs.includes(fixed)) dirs.push(fixed);
  return names.flatMap((n) => dirs.map((d) => path.posix.join(d, n)));
}

/** @param {string} file */
function isExecutable(file) {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the browser: TOURDESK_CHROMIUM, then `explicit` (hello option), then common paths.
 * @param {{explicit?: string|null, platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv, exists?: (p: string) => boolean}} [opts]
 * @returns {{path: string, source: string}}
 */
export function findBrowser(opts = {}) {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const exists = opts.exists ?? isExecutable;
  const override = env.TOURDESK_CHROMIUM;
  if (override) {
    if (exists(override)) return { path: override, source: 'TOURDESK_CHROMIUM' };
    throw new BrowserNotFound(`TOURDESK_CHROMIUM points to "${override}", which is not an executable file`, installAdvice(platform));
  }
  if (opts.explicit) {
    if (exists(opts.explicit)) return { path: opts.explicit, source: 'options.browser_path' };
    throw new BrowserNotFound(`browser_path "${opts.explicit}" is not an executable file`, installAdvice(platform));
  }
  const seen = new Set();
  for (const p of candidatePaths(platform, env)) {
    if (seen.has(p)) continue;
    seen.add(p);
    if (exists(p)) return { path: p, source: p.startsWith('/snap/') ? 'snap' : 'search' };
  }
  throw new BrowserNotFound('no Chromium, Google Chrome or Microsoft Edge was found on this computer', installAdvice(platform));
}

/**
 * Chromium refuses a profile that another live Chromium holds. If the holder is an orphan
 * browser using exactly this profile (its sidecar was killed), kill it. POSIX only: the lock is
 * a symlink "<host>-<pid>".
 * @param {string} userDataDir
 */
export function clearOrphanProfileLock(userDataDir) {
  if (process.platform === 'win32') return;
  let target;
  try {
    target = fs.readlinkSync(path.join(userDataDir, 'SingletonLock'));
  } catch {
    return;
  }
  const pid = Number(/-(\d+)$/.exec(target)?.[1]);
  if (!Number.isInteger(pid) || pid <= 1) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // no /proc (macOS) or the process is gone: Chromium clears a dead lock itself
  }
  if (!cmdline.includes(`--user-data-dir=${userDataDir}`)) return;
  log.warn(`killing orphan browser pid ${pid} that still holds ${userDataDir}`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
