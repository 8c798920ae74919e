// Writes schema/integration-map.schema.json from the model (run after `npm run build`).
import { writeFileSync } from 'node:fs';
import { integrationMapJsonSchema } from '../dist/map/schema.js';

const target = new URL('../schema/integration-map.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(integrationMapJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
