// The terminal summary of a map: short lines that fit an 80-column terminal.
import type { IntegrationMap } from './model.js';

const WIDTH = 80;

export function summariseMap(map: IntegrationMap): string {
  const lines: string[] = [`Integration map of ${map.project.name}`, ''];
  lines.push(`Components (${map.components.length})`);
  for (const component of map.components) {
    const detail = [component.kind, component.technology, component.root]
      .filter(Boolean)
      .join(', ');
    lines.push(clip(`  ${component.id.padEnd(20)} ${detail}`));
  }
  lines.push('', `Boundaries (${map.boundaries.length})`);
  for (const boundary of map.boundaries) {
    const count = boundary.operations.length;
    const operations = `${count} operation${count === 1 ? '' : 's'}`;
    lines.push(clip(`  ${boundary.id.padEnd(34)} ${boundary.protocol.padEnd(6)} ${operations}`));
  }
  if (map.boundaries.length === 0) lines.push('  none found');
  lines.push('', `Unrecognised (${map.unrecognised.length})`);
  for (const item of map.unrecognised.slice(0, 20)) {
    lines.push(clip(`  ${item.at.file}:${item.at.line} ${item.kind}: ${item.message}`));
  }
  if (map.unrecognised.length > 20) {
    lines.push(`  … ${map.unrecognised.length - 20} more (see --json)`);
  }
  return `${lines.join('\n')}\n`;
}

function clip(line: string): string {
  return line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`;
}
