// `seamtest map` on the example system, measured against the hand-written map.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreFacts, diffJson, score } from '../../src/map/compare.js';
import { mapProject } from '../../src/map/map-project.js';
import type { IntegrationMap } from '../../src/map/model.js';

const expected = JSON.parse(
  readFileSync(
    new URL('../../examples/shop/integration-map.expected.json', import.meta.url),
    'utf8',
  ),
) as IntegrationMap;

/**
 * Failure modes are compared on what they are (kind, place, status), not on their wording: the
 * hand-written map describes them in its own words.
 */
function comparable(value: unknown, inFailureModes = false): unknown {
  if (Array.isArray(value)) return value.map((item) => comparable(item, inFailureModes));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !(inFailureModes && (key === 'description' || key === 'handling')))
      .map(([key, item]) => [key, comparable(item, key === 'failureModes')]),
  );
}

describe('seamtest map examples/shop', () => {
  it('equals the hand-written map on every fact', async () => {
    const { map } = await mapProject('examples/shop');
    const actual = JSON.parse(JSON.stringify(map));
    const differences = diffJson(comparable(expected), comparable(actual));
    expect(differences, differences.join('\n')).toEqual([]);
  });

  it('finds every route, table, queue and outbound call, and nothing else', async () => {
    const { map } = await mapProject('examples/shop');
    const want = coreFacts(expected);
    const got = coreFacts(map);
    for (const kind of ['route', 'table', 'queue', 'call'] as const) {
      const result = score(want[kind], got[kind]);
      expect({ kind, missing: result.missing, unexpected: result.unexpected }).toEqual({
        kind,
        missing: [],
        unexpected: [],
      });
      expect(result.precision).toBe(1);
      expect(result.recall).toBe(1);
    }
  });

  it('links each route and consumer to the operations it causes', async () => {
    const { map } = await mapProject('examples/shop');
    const effects = (source: IntegrationMap) =>
      source.boundaries.flatMap((boundary) =>
        boundary.operations.flatMap((operation) =>
          'effects' in operation ? [[operation.id, operation.effects] as const] : [],
        ),
      );
    expect(
      diffJson(Object.fromEntries(effects(expected)), Object.fromEntries(effects(map))),
    ).toEqual([]);
  });

  it('agrees on components, boundaries, auth rules, SQL transactions and propagated headers', async () => {
    const { map } = await mapProject('examples/shop');
    const view = (source: IntegrationMap) => ({
      components: source.components.map((component) => [component.id, component.kind]),
      boundaries: source.boundaries.map((boundary) => [
        boundary.id,
        boundary.protocol,
        boundary.interaction,
      ]),
      auth: source.auth.map((rule) => [
        rule.id,
        rule.kind,
        rule.secret,
        rule.rejects.map((reject) => reject.status),
      ]),
      routeAuth: source.boundaries.flatMap((boundary) =>
        boundary.operations.flatMap((operation) =>
          operation.kind === 'http-route'
            ? [[operation.id, operation.auth?.rule, operation.auth?.scopes]]
            : [],
        ),
      ),
      transactions: source.boundaries.flatMap((boundary) =>
        boundary.operations.flatMap((operation) =>
          operation.kind === 'sql' ? [[operation.id, operation.transaction]] : [],
        ),
      ),
      headers: source.boundaries.flatMap((boundary) =>
        boundary.operations.flatMap((operation) =>
          operation.kind === 'http-call' || operation.kind === 'publish'
            ? [
                [
                  operation.id,
                  operation.headers.map((header) => [header.name, header.source, header.from]),
                ],
              ]
            : [],
        ),
      ),
    });
    expect(diffJson(view(expected), view(map))).toEqual([]);
  });
});
