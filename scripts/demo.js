// `npm run demo`: runs seamtest on the bundled example system and says where the results are.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const out = '.seamtest/shop';
console.log(`$ seamtest map examples/shop --out ${out}\n`);
execFileSync(process.execPath, ['bin/seamtest.js', 'map', 'examples/shop', '--out', out], {
  cwd: repo,
  stdio: 'inherit',
});
console.log(
  `\nWrote ${out}/integration-map.json and ${out}/integration-map.md (with a Mermaid diagram).`,
);
console.log(
  'Next: `npm test` runs the whole test suite, including a live run of the example system.',
);
