// integration-map.md: a Mermaid diagram of components and boundaries, then a table per boundary
// (operations, auth, shapes, propagated headers) and its failure modes, each linked to its source.
import type { Boundary, Component, IntegrationMap, Location, Operation, Shape } from './model.js';

export interface MarkdownOptions {
  /** Prefix that turns a project-relative path into a link from where the file is written. */
  linkBase?: string;
}

export function renderMarkdown(map: IntegrationMap, options: MarkdownOptions = {}): string {
  const link = linker(options.linkBase ?? '');
  const sections = [
    `# Integration map of ${map.project.name}`,
    ['```mermaid', renderMermaid(map), '```'].join('\n'),
    ...map.boundaries.map((boundary) => renderBoundary(boundary, link)),
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
  const label = `"${component.name.replace(/"/g, "'")}"`;
  switch (component.kind) {
    case 'database':
    case 'cache':
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

type Link = (at: Location) => string;

function linker(base: string): Link {
  return (at) => `[${at.file}:${at.line}](${base}${at.file}#L${at.line})`;
}

function renderBoundary(boundary: Boundary, link: Link): string {
  const rows = boundary.operations.map((operation) =>
    [
      describeOperation(operation),
      authOf(operation),
      shapeOf(operation),
      headersOf(operation),
      operation.at.map(link).join(' '),
    ]
      .map(escapeCell)
      .join(' | '),
  );
  const failures = boundary.failureModes.map(
    (mode) =>
      `- ${link(mode.at)} **${mode.kind}**: ${escapeCell(mode.description)}${mode.handling ? ` (${escapeCell(mode.handling)})` : ''}`,
  );
  return [
    `## ${boundary.from} → ${boundary.to} (${boundary.protocol})`,
    [
      '| operation | auth | shape | headers sent or read | source |',
      '| --- | --- | --- | --- | --- |',
      ...rows.map((row) => `| ${row} |`),
    ].join('\n'),
    ...(failures.length > 0 ? ['Failure modes:', failures.join('\n')] : []),
  ].join('\n\n');
}

function describeOperation(operation: Operation): string {
  switch (operation.kind) {
    case 'http-route':
      return `${operation.method} ${operation.path} → ${operation.responses
        .map((response) => response.status)
        .filter(unique)
        .join(', ')}`;
    case 'http-call':
      return `${operation.method} ${operation.path}${operation.timeoutMs ? '' : ' (no timeout)'}`;
    case 'sql':
      return `${operation.action} ${operation.table}${operation.lock ? ` ${operation.lock}` : ''}${operation.transaction ? ' (in transaction)' : ''}`;
    case 'cache':
      return `${operation.command} ${operation.keyPattern}`;
    case 'publish':
      return `publish ${[operation.exchange, operation.routingKey ?? operation.subject].filter(Boolean).join(' ')}`;
    case 'consume':
      return `consume ${operation.queue ?? operation.subject ?? ''} ${operation.bindingKeys.join(', ')} (${operation.ack} ack)`.trim();
    case 'socket-event':
      return `${operation.direction === 'in' ? 'on' : 'emit'} ${operation.event}`;
    case 'function-call':
      return operation.callee;
  }
}

function authOf(operation: Operation): string {
  if (operation.kind !== 'http-route') return '';
  if (!operation.auth) return 'public';
  const scopes =
    operation.auth.scopes.length > 0 ? ` scopes ${operation.auth.scopes.join(' ')}` : '';
  return `${operation.auth.rule}${scopes}${operation.auth.ownership ? ', owner only' : ''}`;
}

function shapeOf(operation: Operation): string {
  const shape: Shape | undefined =
    operation.kind === 'http-route'
      ? (operation.request?.body ?? operation.request?.params)
      : operation.kind === 'publish'
        ? operation.message
        : operation.kind === 'http-call'
          ? operation.request
          : undefined;
  const properties = shape?.schema.properties;
  return properties && typeof properties === 'object'
    ? `{${Object.keys(properties).join(', ')}} (${shape.source})`
    : '';
}

function headersOf(operation: Operation): string {
  if (operation.kind === 'http-route') return operation.headersRead.join(', ');
  if (operation.kind === 'http-call' || operation.kind === 'publish') {
    return operation.headers
      .map((header) => `${header.name} ← ${header.source}${header.from ? ` ${header.from}` : ''}`)
      .join('; ');
  }
  return '';
}

function unique<T>(item: T, index: number, items: T[]): boolean {
  return items.indexOf(item) === index;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
