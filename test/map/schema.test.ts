import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { integrationMapJsonSchema } from '../../src/map/schema.js';
import { parseMap } from '../../src/map/serialise.js';

const publishedSchema = JSON.parse(
  readFileSync(new URL('../../schema/integration-map.schema.json', import.meta.url), 'utf8'),
);
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(publishedSchema);

describe('the published JSON Schema', () => {
  it('is the one derived from the model (run `npm run build && npm run schema` after changing it)', () => {
    expect(publishedSchema).toEqual(integrationMapJsonSchema());
  });

  it('accepts a minimal map and rejects a fact without a source location', () => {
    const minimal = {
      version: 1,
      project: { name: 'x', root: '.' },
      components: [{ id: 'api', kind: 'service', name: 'api' }],
      boundaries: [
        {
          id: 'api->db',
          from: 'api',
          to: 'db',
          protocol: 'sql',
          interaction: 'query',
          operations: [
            { id: 'q', kind: 'sql', action: 'select', table: 't', transaction: false, at: [] },
          ],
        },
      ],
    };
    expect(validate(minimal)).toBe(false);
    const firstBoundary = minimal.boundaries[0];
    const operation = firstBoundary?.operations[0];
    if (operation) operation.at = [{ file: 'src/db.ts', line: 3 }] as never;
    expect(validate(minimal), JSON.stringify(validate.errors)).toBe(true);
    expect(() => parseMap(JSON.stringify(minimal), 'minimal.json')).not.toThrow();
  });

  it('rejects a misspelled field, as the model does', () => {
    const typo = {
      version: 1,
      project: { name: 'x', root: '.' },
      components: [],
      boundaries: [],
      unrecognized: [],
    };
    expect(validate(typo)).toBe(false);
    expect(() => parseMap(JSON.stringify(typo), 'typo.json')).toThrow(
      /not a valid integration map/,
    );
  });
});
