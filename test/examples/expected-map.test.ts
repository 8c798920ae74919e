// The hand-written integration map of the example system: valid against the published JSON
// Schema (checked by Ajv, independently of the zod model), and every source location it cites
// points at a real, non-blank line of the example.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseMap } from '../../src/map/serialise.js';

const shop = new URL('../../examples/shop/', import.meta.url);
const expectedText = readFileSync(new URL('integration-map.expected.json', shop), 'utf8');
const expected = JSON.parse(expectedText);
const schema = JSON.parse(
  readFileSync(new URL('../../schema/integration-map.schema.json', import.meta.url), 'utf8'),
);

function locations(value: unknown, path = ''): { path: string; file: string; line: number }[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => locations(item, `${path}[${index}]`));
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.file === 'string' && typeof record.line === 'number') {
    return [{ path, file: record.file, line: record.line }];
  }
  return Object.entries(record).flatMap(([key, item]) => locations(item, `${path}.${key}`));
}

describe('examples/shop/integration-map.expected.json', () => {
  it('validates against the published JSON Schema and the model', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(expected), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(() => parseMap(expectedText, 'integration-map.expected.json')).not.toThrow();
  });

  it('cites only real, non-blank lines of the example', () => {
    const cited = locations(expected);
    expect(cited.length).toBeGreaterThan(150);
    const problems = cited.flatMap(({ path, file, line }) => {
      let lines: string[];
      try {
        lines = readFileSync(new URL(file, shop), 'utf8').split('\n');
      } catch {
        return [`${path}: ${file} does not exist`];
      }
      const text = lines[line - 1];
      return text === undefined || text.trim() === ''
        ? [`${path}: ${file}:${line} is blank or past the end`]
        : [];
    });
    expect(problems).toEqual([]);
  });

  it('names every component a boundary or auth rule refers to, and every effect', () => {
    const components = new Set(
      expected.components.map((component: { id: string }) => component.id),
    );
    const operations = new Set<string>();
    for (const boundary of expected.boundaries) {
      expect(components).toContain(boundary.from);
      expect(components).toContain(boundary.to);
      for (const operation of boundary.operations) operations.add(operation.id);
    }
    const effects = expected.boundaries.flatMap(
      (boundary: { operations: { effects?: string[] }[] }) =>
        boundary.operations.flatMap((operation) => operation.effects ?? []),
    );
    expect(effects.filter((effect: string) => !operations.has(effect))).toEqual([]);
    const rules = new Set(expected.auth.map((rule: { id: string }) => rule.id));
    for (const rule of expected.auth) expect(components).toContain(rule.component);
    for (const boundary of expected.boundaries) {
      for (const operation of boundary.operations) {
        if (operation.auth) expect(rules).toContain(operation.auth.rule);
      }
    }
  });
});
