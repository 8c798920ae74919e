// What the fault proxy costs when no fault is set: sequential keep-alive HTTP requests to a
// loopback server, straight and through the proxy, taken in turn so a busy spell on a shared
// machine hits both alike. Prints the median and p95 each way and the difference.
import { Agent, createServer, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startFaultProxy } from '../dist/runtime/fault-proxy.js';

const WARM_UP = 200;
const REQUESTS = 2_000;

export async function benchFaultProxy() {
  const server = createServer((_, res) => res.end('{"ok":true}'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const proxy = await startFaultProxy({ host: '127.0.0.1', port });
  const direct = timer(port);
  const proxied = timer(proxy.port);
  try {
    for (let run = 0; run < WARM_UP; run++) {
      await direct.once();
      await proxied.once();
    }
    const times = { direct: [], proxied: [] };
    for (let run = 0; run < REQUESTS; run++) {
      times.direct.push(await direct.once());
      times.proxied.push(await proxied.once());
    }
    const straight = summary(times.direct);
    const through = summary(times.proxied);
    console.log(
      `\nfault proxy, no fault set: ${REQUESTS} sequential keep-alive HTTP requests each way`,
    );
    console.log(`  direct:        median ${ms(straight.median)}, p95 ${ms(straight.p95)}`);
    console.log(`  through proxy: median ${ms(through.median)}, p95 ${ms(through.p95)}`);
    console.log(
      `  proxy adds ${ms(through.median - straight.median)} median per request (p95 ${ms(through.p95 - straight.p95)}; target < 1 ms)`,
    );
  } finally {
    direct.agent.destroy();
    proxied.agent.destroy();
    await proxy.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Times one GET at a time over a single kept-alive connection to `port`. */
function timer(port) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - started));
      });
      req.on('error', reject);
      req.end();
    });
  return { agent, once };
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (fraction) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
  return { median: at(0.5), p95: at(0.95) };
}

function ms(value) {
  return `${value.toFixed(3)} ms`;
}
