// Applies the user's components file to a map: merges components analysis saw as several into
// one, renames, marks third-party or internal, adds components it could not see, and leaves out
// ignored ones with every boundary that touches them.
import type { ComponentRule, SeamtestConfig } from '../project/config.js';
import type { Boundary, Component, IntegrationMap, Operation } from './model.js';

export function applyComponentRules(map: IntegrationMap, config: SeamtestConfig): IntegrationMap {
  if (config.components.length === 0) return map;
  const alias = new Map<string, string>();
  for (const rule of config.components)
    for (const merged of rule.merge ?? []) alias.set(merged, rule.id);
  const rename = (id: string) => alias.get(id) ?? id;
  const ignored = new Set(config.components.filter((rule) => rule.ignore).map((rule) => rule.id));
  const rules = new Map(config.components.map((rule) => [rule.id, rule]));

  const components = new Map<string, Component>();
  for (const component of map.components) {
    const id = rename(component.id);
    if (!components.has(id)) components.set(id, { ...component, id });
  }
  for (const rule of config.components) {
    if (rule.ignore) continue;
    const known = components.get(rule.id);
    components.set(
      rule.id,
      override(
        known ?? { id: rule.id, kind: rule.kind ?? 'third-party', name: rule.id, config: [] },
        rule,
      ),
    );
  }
  for (const id of ignored) components.delete(id);

  const boundaries = mergeBoundaries(
    map.boundaries
      .filter(
        (boundary) => !ignored.has(rename(boundary.from)) && !ignored.has(rename(boundary.to)),
      )
      .map((boundary) => renameBoundary(boundary, rename)),
  );
  const operationIds = new Set(
    boundaries.flatMap((boundary) => boundary.operations.map((operation) => operation.id)),
  );
  for (const boundary of boundaries) {
    for (const operation of boundary.operations) {
      if ('effects' in operation)
        operation.effects = operation.effects.filter((effect) => operationIds.has(effect));
    }
  }
  return {
    ...map,
    components: [...components.values()].sort((a, b) => a.id.localeCompare(b.id)),
    boundaries,
    auth: map.auth
      .filter((rule) => !ignored.has(rename(rule.component)))
      .map((rule) => ({ ...rule, component: rename(rule.component) })),
  };

  function override(component: Component, rule: ComponentRule): Component {
    return {
      ...component,
      ...(rule.name ? { name: rule.name } : {}),
      ...(rule.kind ? { kind: rule.kind } : {}),
      ...(rules.get(rule.id)?.reachedBy ? { reachedBy: rule.reachedBy } : {}),
    };
  }
}

function renameBoundary(boundary: Boundary, rename: (id: string) => string): Boundary {
  const from = rename(boundary.from);
  const to = rename(boundary.to);
  const id = `${from}->${to}`;
  const renameOperationId = (operationId: string) =>
    operationId.replace(
      /^(\S+)->(\S+) /,
      (_, a: string, b: string) => `${rename(a)}->${rename(b)} `,
    );
  const operations = boundary.operations.map(
    (operation): Operation =>
      ({
        ...operation,
        id: renameOperationId(operation.id),
        ...('effects' in operation
          ? { effects: [...new Set(operation.effects.map(renameOperationId))] }
          : {}),
      }) as Operation,
  );
  return { ...boundary, id, from, to, operations };
}

/** Two components merged into one can make two boundaries one. */
function mergeBoundaries(boundaries: Boundary[]): Boundary[] {
  const byId = new Map<string, Boundary>();
  for (const boundary of boundaries) {
    const known = byId.get(boundary.id);
    if (!known) {
      byId.set(boundary.id, boundary);
      continue;
    }
    const operations = new Map(known.operations.map((operation) => [operation.id, operation]));
    for (const operation of boundary.operations)
      if (!operations.has(operation.id)) operations.set(operation.id, operation);
    byId.set(boundary.id, {
      ...known,
      operations: [...operations.values()].sort((a, b) => a.id.localeCompare(b.id)),
      failureModes: [...known.failureModes, ...boundary.failureModes],
    });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}
