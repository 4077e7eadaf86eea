// How a failed whatsapp-web.js start is classified: browser problems vs. WhatsApp unreachable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyStartError } from '../src/adapters/real.js';

test('a start that failed before the browser existed is browser_start_failed, whatever the message', () => {
  assert.equal(classifyStartError(new Error('Failed to launch the browser process!'), false), 'browser_start_failed');
  assert.equal(classifyStartError(new Error('net::ERR_NAME_NOT_RESOLVED'), false), 'browser_start_failed');
});

test('navigation errors after the browser started mean WhatsApp Web is unreachable', () => {
  for (const msg of ['net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/', 'net::ERR_PROXY_CONNECTION_FAILED at https://web.whatsapp.com/', 'Navigation timeout of 30000 ms exceeded']) {
    assert.equal(classifyStartError(new Error(msg), true), 'whatsapp_unreachable', msg);
  }
});

test('other failures get their own codes', () => {
  assert.equal(classifyStartError('auth timeout', true), 'whatsapp_load_failed');
  assert.equal(classifyStartError(new Error('Protocol error (Runtime.callFunctionOn): Target closed'), true), 'browser_crashed');
  assert.equal(classifyStartError(new Error('something else'), true), 'init_failed');
});
