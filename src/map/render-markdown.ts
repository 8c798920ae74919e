// integration-map.md: a Mermaid diagram of components and boundaries, then a table per boundary.
import type { Boundary, Component, IntegrationMap, Location, Operation } from './model.js';

export function renderMarkdown(map: IntegrationMap): string {
  const sections = [
    `# Integration map of ${map.project.name}`,
    '```mermaid',
    renderMermaid(map),
    '```',
    ...map.boundaries.map(renderBoundary),
  ];
  if (map.unrecognised.length > 0) {
    sections.push(
      '## Unrecognised',
      map.unrecognised
        .map((item) => `- ${link(item.at)} **${item.kind}**: ${escapeCell(item.message)}`)
        .join('\n'),
    );
  }
  return `${sections.join('\n\n')}\n`;
}

export function renderMermaid(map: IntegrationMap): string {
  const nodes = map.components.map(
    (component) => `  ${nodeId(component.id)}${nodeShape(component)}`,
  );
  const edges = map.boundaries.map(
    (boundary) => `  ${nodeId(boundary.from)} -->|${boundary.protocol}| ${nodeId(boundary.to)}`,
  );
  return ['flowchart LR', ...nodes, ...edges].join('\n');
}

function nodeId(componentId: string): string {
  return componentId.replace(/-/g, '_');
}

function nodeShape(component: Component): string {
  const label = `"${component.name}"`;
  switch (component.kind) {
    case 'database':
      return `[(${label})]`;
    case 'broker':
      return `{{${label}}}`;
    case 'third-party':
      return `>${label}]`;
    case 'client':
      return `([${label}])`;
    default:
      return `[${label}]`;
  }
}

function renderBoundary(boundary: Boundary): string {
  const rows = boundary.operations.map(
    (operation) =>
      `| ${escapeCell(describeOperation(operation))} | ${operation.at.map(link).join(' ')} |`,
  );
  const failures = boundary.failureModes.map(
    (mode) => `- ${link(mode.at)} **${mode.kind}**: ${escapeCell(mode.description)}`,
  );
  return [
    `## ${boundary.from} → ${boundary.to} (${boundary.protocol})`,
    ['| operation | source |', '| --- | --- |', ...rows].join('\n'),
    ...(failures.length > 0 ? ['Failure modes:', failures.join('\n')] : []),
  ].join('\n\n');
}

function describeOperation(operation: Operation): string {
  switch (operation.kind) {
    case 'http-route':
    case 'http-call':
      return `${operation.method} ${operation.path}`;
    case 'sql':
      return `${operation.action} ${operation.table}${operation.transaction ? ' (in transaction)' : ''}`;
    case 'cache':
      return `${operation.command} ${operation.keyPattern}`;
    case 'publish':
      return `publish ${[operation.exchange, operation.routingKey ?? operation.subject].filter(Boolean).join(' ')}`;
    case 'consume':
      return `consume ${operation.queue ?? operation.subject ?? ''} ${operation.bindingKeys.join(', ')}`.trim();
    case 'socket-event':
      return `${operation.direction === 'in' ? 'on' : 'emit'} ${operation.event}`;
    case 'function-call':
      return operation.callee;
  }
}

function link(at: Location): string {
  return `[${at.file}:${at.line}](${at.file}#L${at.line})`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
