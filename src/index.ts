// The public library API: everything the CLI does can be done from code.
export { isSeamtestError, SeamtestError } from './errors.js';
export { FRAMEWORKS, type Framework, type GenerateOptions, generateSuite } from './generate.js';
export { type MapResult, mapProject } from './map/map-project.js';
export * from './map/model.js';
export { renderMarkdown, renderMermaid } from './map/render-markdown.js';
export { summariseMap } from './map/render-summary.js';
export { integrationMapJsonSchema, MAP_SCHEMA_ID } from './map/schema.js';
export { parseMap, serialiseMap } from './map/serialise.js';
export { writeMapFiles } from './map/write-map-files.js';
export { type ComponentRule, defineConfig, type SeamtestConfig } from './project/config.js';
export { verifySuite } from './verify.js';
export { VERSION } from './version.js';
