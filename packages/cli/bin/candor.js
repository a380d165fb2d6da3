#!/usr/bin/env node
// Runs the built CLI; `npm run build` produces ../dist.
const { createProgram } = await import('../dist/main.js');
await createProgram().parseAsync(process.argv);
