// RabbitMQ topic routing: which routing keys a binding key lets through. Shared by the planner
// (which consumer a route's message reaches) and the harness (which messages set a consumer going).

/** Whether a topic binding key (`*` one word, `#` any words) matches a routing key. */
export function topicMatches(binding: string, routingKey: string): boolean {
  const pattern = binding
    .split('.')
    .map((word) =>
      word === '*' ? '[^.]+' : word === '#' ? '.*' : word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('\\.');
  return new RegExp(`^${pattern}$`).test(routingKey);
}
