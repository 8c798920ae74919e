// The published JSON Schema of the integration map, derived from the zod model so the two agree.
import { z } from 'zod';
import { IntegrationMap } from './model.js';

export const MAP_SCHEMA_ID = 'https://seamtest.dev/schema/integration-map.schema.json';

export function integrationMapJsonSchema(): Record<string, unknown> {
  // 'input' so that fields with defaults may be left out of a hand-written map.
  const schema = z.toJSONSchema(IntegrationMap, { target: 'draft-2020-12', io: 'input' });
  return { ...schema, $id: MAP_SCHEMA_ID };
}
