// What a route sets in motion across the system: its own effects, and the effects of the routes
// it calls on other services of the system, followed transitively.
import type { Boundary, HttpCall, HttpRoute, IntegrationMap, Operation } from '../map/model.js';

export interface Reached {
  boundary: Boundary;
  operation: Operation;
  /** The internal route an http-call lands on, when it is one of the system's own. */
  route?: { boundary: Boundary; operation: HttpRoute };
}

export function routeOf(
  map: IntegrationMap,
  id: string,
): { boundary: Boundary; operation: HttpRoute } | undefined {
  for (const boundary of map.boundaries)
    for (const operation of boundary.operations)
      if (operation.id === id && operation.kind === 'http-route') return { boundary, operation };
  return undefined;
}

/** The route of `service` that an http-call lands on: same method, path matching segment-wise. */
export function targetRoute(
  map: IntegrationMap,
  service: string,
  call: HttpCall,
): { boundary: Boundary; operation: HttpRoute } | undefined {
  const callParts = call.path.split('?')[0]?.split('/') ?? [];
  for (const boundary of map.boundaries) {
    if (boundary.to !== service) continue;
    for (const operation of boundary.operations) {
      if (operation.kind !== 'http-route' || operation.method !== call.method) continue;
      const routeParts = operation.path.split('/');
      if (routeParts.length !== callParts.length) continue;
      const matches = routeParts.every((part, index) => {
        const other = callParts[index] ?? '';
        return part === other || part.startsWith(':') || /^\{.*\}$/.test(other);
      });
      if (matches) return { boundary, operation };
    }
  }
  return undefined;
}

/** Every operation a route causes, its own and those of the internal routes it calls. */
export function reachOf(map: IntegrationMap, route: HttpRoute): Reached[] {
  const reached: Reached[] = [];
  const seen = new Set<string>();
  const visit = (effects: string[]) => {
    for (const id of effects) {
      if (seen.has(id)) continue;
      seen.add(id);
      for (const boundary of map.boundaries) {
        const operation = boundary.operations.find((candidate) => candidate.id === id);
        if (!operation) continue;
        const target = map.components.find((component) => component.id === boundary.to);
        const inner =
          operation.kind === 'http-call' && target?.kind === 'service'
            ? targetRoute(map, target.id, operation)
            : undefined;
        reached.push({ boundary, operation, ...(inner ? { route: inner } : {}) });
        if (inner) visit(inner.operation.effects);
      }
    }
  };
  visit(route.effects);
  return reached;
}

/** Scopes a token needs for the route and for every internal route it forwards the token to. */
export function scopesNeeded(map: IntegrationMap, route: HttpRoute): string[] {
  const scopes = new Set(route.auth?.scopes ?? []);
  for (const { operation, route: inner } of reachOf(map, route)) {
    if (operation.kind !== 'http-call' || !inner) continue;
    const forwardsToken = operation.headers.some(
      (header) => header.name === 'authorization' && header.source === 'incoming-request',
    );
    if (forwardsToken) for (const scope of inner.operation.auth?.scopes ?? []) scopes.add(scope);
  }
  return [...scopes];
}
