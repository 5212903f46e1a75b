// `npm start`. Plain JavaScript, so that an older Node reads it and says what it needs instead of
// failing on TypeScript: the rest (scripts/start.ts) runs with Node 24's type stripping.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  // The same sentence as bin/autobot.js.
  console.error(`AUTOBOT needs Node.js 24 or newer; this is Node.js ${process.versions.node}.`);
  process.exit(1);
}
await import('./start.ts');
