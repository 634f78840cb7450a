// Puppeteer cannot download its own Chrome on machines without internet access to Google's
// storage; where Debian's Chromium is installed we use it and skip the download. Elsewhere
// Puppeteer's normal download keeps working.
const fs = require('node:fs');

const systemChromium = '/usr/bin/chromium';
const useSystem = fs.existsSync(systemChromium);

module.exports = useSystem ? { skipDownload: true, executablePath: systemChromium } : {};
