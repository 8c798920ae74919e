// A setting as the map records it: a literal value, or the environment variable that sets it
// with its default (`Number(process.env.TTL ?? 60)` → { env: 'TTL', default: 60 }).
import type ts from 'typescript';
import type { Configured, DetectContext } from './types.js';

export function configured(ctx: DetectContext, expression: ts.Expression): Configured | undefined {
  const value = ctx.strings.evaluate(expression);
  const [only] = value?.parts ?? [];
  if (value?.parts.length !== 1 || !only) return undefined;
  if (only.kind === 'text') return { value: asNumber(only.text) };
  if (!only.env) return undefined;
  return only.default === undefined
    ? { env: only.env }
    : { env: only.env, default: asNumber(only.default) };
}

function asNumber(text: string): string | number {
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}
