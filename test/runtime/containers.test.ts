// The container path cannot run here (no Docker engine); what can be checked is that seamtest
// knows Docker is absent, quickly, whichever way DOCKER_HOST points.
import { describe, expect, it } from 'vitest';
import { dockerAnswers } from '../../src/runtime/containers.js';

describe('dockerAnswers', () => {
  it.each([
    ['the default socket', {}],
    ['a unix socket that does not exist', { DOCKER_HOST: 'unix:///tmp/seamtest-no-docker.sock' }],
    ['a TCP port nothing listens on', { DOCKER_HOST: 'tcp://127.0.0.1:1' }],
  ])('says no, within a second or two, for %s', async (_, env) => {
    const started = Date.now();
    expect(await dockerAnswers(env)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});
