// Puppeteer must never download its own Chrome here: the sidecar uses a browser found on the
// machine (see src/browser.js). Same effect as PUPPETEER_SKIP_DOWNLOAD=1 during npm install.
module.exports = { skipDownload: true };
