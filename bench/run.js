// `npm run bench`: prints figures (never asserts them). Run after `npm run build`.
import { performance } from 'node:perf_hooks';
import { mapProject } from '../dist/index.js';

const RUNS = 10;

async function benchMapExample() {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await mapProject('examples/shop');
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `map examples/shop: median ${median.toFixed(1)} ms over ${RUNS} runs (first ${times[0].toFixed(1)} ms)`,
  );
}

await benchMapExample();
console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
