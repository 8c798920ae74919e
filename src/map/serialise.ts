// Reading and writing integration maps as JSON, always through the model's validation.
import { firstIssue, SeamtestError } from '../errors.js';
import { IntegrationMap } from './model.js';
import { MAP_SCHEMA_ID } from './schema.js';

export function serialiseMap(map: IntegrationMap): string {
  const { $schema: _ignored, ...rest } = map;
  return `${JSON.stringify({ $schema: MAP_SCHEMA_ID, ...rest }, null, 2)}\n`;
}

/** Parses and validates a map; `source` names the file in the error a user sees. */
export function parseMap(json: string, source: string): IntegrationMap {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new SeamtestError(
      'invalid-map',
      `${source} is not JSON (${(error as Error).message}); regenerate it with 'seamtest map --out'`,
    );
  }
  const result = IntegrationMap.safeParse(raw);
  if (!result.success) {
    const where = firstIssue(result.error);
    throw new SeamtestError(
      'invalid-map',
      `${source} is not a valid integration map (${where}); regenerate it with 'seamtest map --out'`,
    );
  }
  return result.data;
}
