#!/usr/bin/env node
'use strict';
// The CLI is compiled by `npm install` (the `prepare` script); run it from dist.
require('../dist/cli/main.js').main(process.argv.slice(2));
