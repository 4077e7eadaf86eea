// Bundles the sidecar into dist/sidecar.cjs. whatsapp-web.js (and puppeteer under it) stay
// external: they load files at run time and serialise functions into the browser, which a bundle
// would break. Ship node_modules (production dependencies) beside dist/ for the real adapter.

import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.js'],
  outfile: 'dist/sidecar.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['whatsapp-web.js'],
  sourcemap: 'linked',
  logLevel: 'warning',
});
