#!/usr/bin/env node
// Entry point of the `autobot` command. The core is TypeScript run by Node's own type stripping,
// which is why AUTOBOT needs Node 24 or newer.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`AUTOBOT needs Node.js 24 or newer; this is Node.js ${process.versions.node}.`);
  process.exit(1);
}
const { runCli } = await import('../core/cli/main.ts');
try {
  await runCli(process.argv);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
