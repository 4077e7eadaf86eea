// Browser lookup per OS, with the file system replaced by a list of existing files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrowserNotFound, distroIds, findBrowser, installAdvice } from '../src/browser.js';

/** @param {string[]} files */
const existsIn = (files) => (/** @type {string} */ p) => files.includes(p);

test('on Linux a chromium on PATH is found before the fixed locations', () => {
  const found = findBrowser({ platform: 'linux', env: { PATH: '/opt/bin:/usr/bin' }, exists: existsIn(['/usr/bin/google-chrome', '/opt/bin/chromium']) });
  assert.deepEqual(found, { path: '/opt/bin/chromium', source: 'search' });
});

test('TOURDESK_CHROMIUM wins, and a wrong one is an error rather than a silent fallback', () => {
  const env = { PATH: '/usr/bin', TOURDESK_CHROMIUM: '/custom/chrome' };
  assert.equal(findBrowser({ platform: 'linux', env, exists: existsIn(['/custom/chrome', '/usr/bin/chromium']) }).path, '/custom/chrome');
  assert.throws(() => findBrowser({ platform: 'linux', env, exists: existsIn(['/usr/bin/chromium']) }), /TOURDESK_CHROMIUM/);
});

test('on macOS Chrome in /Applications is found', () => {
  const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
  assert.equal(findBrowser({ platform: 'darwin', env: { HOME: '/Users/a' }, exists: existsIn([chrome]) }).path, chrome);
});

test('on Windows Edge is the fallback when Chrome is missing', () => {
  const env = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' };
  const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
  assert.equal(findBrowser({ platform: 'win32', env, exists: existsIn([edge]) }).path, edge);
});

test('when nothing is installed the error names what to install for that OS', () => {
  for (const [platform, hint] of /** @type {const} */ ([['linux', /apt install chromium/], ['darwin', /Applications/], ['win32', /Chrome/]])) {
    try {
      findBrowser({ platform, env: { PATH: '/usr/bin' }, exists: () => false });
      assert.fail('expected BrowserNotFound');
    } catch (err) {
      assert.ok(err instanceof BrowserNotFound);
      assert.match(err.advice, hint);
    }
  }
});

test('the Ubuntu snap is found when it is the only browser, and Google Chrome in /usr/bin too', () => {
  const snap = findBrowser({ platform: 'linux', env: { PATH: '/usr/bin' }, exists: existsIn(['/snap/bin/chromium']) });
  assert.deepEqual(snap, { path: '/snap/bin/chromium', source: 'snap' });
  const chrome = findBrowser({ platform: 'linux', env: { PATH: '/usr/bin' }, exists: existsIn(['/usr/bin/google-chrome-stable']) });
  assert.equal(chrome.path, '/usr/bin/google-chrome-stable');
});

test('the advice names the command of the distribution it runs on', () => {
  const ubuntu = distroIds('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n');
  assert.deepEqual(ubuntu, ['ubuntu', 'debian']);
  assert.match(installAdvice('linux', ubuntu), /sudo snap install chromium/);
  assert.match(installAdvice('linux', distroIds('ID=debian\n')), /sudo apt install chromium"/);
  assert.doesNotMatch(installAdvice('linux', distroIds('ID=debian\n')), /snap/);
  assert.match(installAdvice('linux', []), /Debian: "sudo apt install chromium"; Ubuntu: "sudo snap install chromium"/);
});
