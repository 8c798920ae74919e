// Reads SQL text with PostgreSQL's own parser (libpg-query, compiled to WebAssembly): which tables
// each statement reads and writes, row locks, and transaction control. Holes in the text (values
// only known at run time) are parsed as parameters; a hole where a table name belongs makes the
// statement dynamic.
import { loadModule, parseSync } from 'libpg-query';
import type { StaticString } from './strings.js';

export type SqlAction = 'select' | 'insert' | 'update' | 'delete' | 'upsert' | 'ddl';

export interface TableAccess {
  action: SqlAction;
  table: string;
  lock?: 'for-update' | 'for-share';
}

export type SqlAnalysis =
  | { kind: 'statements'; accesses: TableAccess[] }
  | { kind: 'transaction'; statement: 'begin' | 'commit' | 'rollback' }
  | { kind: 'not-sql'; reason: string }
  | { kind: 'dynamic'; reason: string };

let ready: Promise<void> | undefined;

/** The parser is WebAssembly and loads once, asynchronously, before the first analysis. */
export function loadSqlParser(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

const HOLE_TABLE = 'seamtest_hole';

export function analyseSql(sql: StaticString): SqlAnalysis {
  let parameter = 1000;
  // A hole is a value nearly always; try that first, then an identifier (a table or column name).
  const asValues = sql.parts
    .map((part) => (part.kind === 'text' ? part.text : `$${parameter++}`))
    .join('');
  const asNames = sql.parts.map((part) => (part.kind === 'text' ? part.text : HOLE_TABLE)).join('');
  const parsed = tryParse(asValues) ?? tryParse(asNames);
  if (!parsed) return { kind: 'not-sql', reason: 'the PostgreSQL parser does not accept it' };
  const accesses: TableAccess[] = [];
  for (const { stmt } of parsed.stmts ?? []) {
    const transaction = transactionStatement(stmt);
    if (transaction) return { kind: 'transaction', statement: transaction };
    collectAccesses(stmt, new Set(), accesses);
  }
  if (accesses.some((access) => access.table === HOLE_TABLE)) {
    return { kind: 'dynamic', reason: 'a table name is computed at run time' };
  }
  return { kind: 'statements', accesses: dedupe(accesses) };
}

type Json = Record<string, unknown>;

function tryParse(text: string): { stmts?: { stmt: Json }[] } | undefined {
  try {
    return parseSync(text) as { stmts?: { stmt: Json }[] };
  } catch {
    return undefined;
  }
}

function transactionStatement(stmt: Json): 'begin' | 'commit' | 'rollback' | undefined {
  const transaction = stmt.TransactionStmt as { kind?: string } | undefined;
  switch (transaction?.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return 'begin';
    case 'TRANS_STMT_COMMIT':
      return 'commit';
    case 'TRANS_STMT_ROLLBACK':
      return 'rollback';
    default:
      return undefined;
  }
}

const WRITE_STATEMENTS: Record<string, SqlAction> = {
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'upsert',
};

const DDL_STATEMENTS = new Set([
  'CreateStmt',
  'AlterTableStmt',
  'DropStmt',
  'IndexStmt',
  'TruncateStmt',
]);

/**
 * Walks a statement: the target of INSERT/UPDATE/DELETE is written, every other table named
 * (FROM, JOIN, subqueries, USING) is read. CTE names are not tables.
 */
function collectAccesses(
  node: unknown,
  ctes: Set<string>,
  into: TableAccess[],
  aliases?: Map<string, string>,
): void {
  if (Array.isArray(node)) {
    for (const item of node) collectAccesses(item, ctes, into, aliases);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const record = node as Json;
  for (const [type, body] of Object.entries(record)) {
    if (!body || typeof body !== 'object') continue;
    const statement = body as Json;
    const scope = withCtes(statement, ctes);
    if (type in WRITE_STATEMENTS) {
      const table = relationName(statement.relation);
      let action = WRITE_STATEMENTS[type] as SqlAction;
      // `ON CONFLICT … DO UPDATE` writes either way; `DO NOTHING` only ever inserts.
      const onConflict = statement.onConflictClause as Json | undefined;
      if (type === 'InsertStmt' && onConflict && onConflict.action !== 'ONCONFLICT_NOTHING')
        action = 'upsert';
      if (table) into.push({ action, table });
      const { relation: _target, ...rest } = statement;
      collectAccesses(rest, scope, into);
    } else if (DDL_STATEMENTS.has(type)) {
      const table = relationName(statement.relation);
      if (table) into.push({ action: 'ddl', table });
    } else if (type === 'SelectStmt') {
      const reads: TableAccess[] = [];
      const aliases = new Map<string, string>();
      collectAccesses(statement.fromClause, scope, reads, aliases);
      const lock = lockOf(statement.lockingClause, aliases);
      for (const read of reads) {
        const locked = lock && read.action === 'select' && lock.tables.has(read.table);
        into.push(locked ? { ...read, lock: lock.strength } : read);
      }
      const { fromClause: _from, lockingClause: _lock, ...rest } = statement;
      collectAccesses(rest, scope, into);
    } else if (type === 'RangeVar') {
      const table = relationName({ RangeVar: statement });
      if (table && !ctes.has(table)) into.push({ action: 'select', table });
      const alias = (statement.alias as { aliasname?: string } | undefined)?.aliasname;
      if (table) aliases?.set(alias ?? table, table);
    } else {
      collectAccesses(statement, scope, into, aliases);
    }
  }
}

function withCtes(statement: Json, outer: Set<string>): Set<string> {
  const clause = statement.withClause as
    | { ctes?: { CommonTableExpr?: { ctename?: string } }[] }
    | undefined;
  const names = (clause?.ctes ?? [])
    .map((cte) => cte.CommonTableExpr?.ctename)
    .filter(Boolean) as string[];
  return names.length === 0 ? outer : new Set([...outer, ...names]);
}

function relationName(relation: unknown): string | undefined {
  const range =
    (relation as { RangeVar?: { relname?: string; schemaname?: string } } | undefined)?.RangeVar ??
    (relation as { relname?: string; schemaname?: string } | undefined);
  if (!range?.relname) return undefined;
  return range.schemaname ? `${range.schemaname}.${range.relname}` : range.relname;
}

/** `FOR UPDATE` locks every table read; `FOR UPDATE OF o` only those named (by alias). */
function lockOf(
  clause: unknown,
  aliases: Map<string, string>,
): { strength: 'for-update' | 'for-share'; tables: Set<string> } | undefined {
  if (!Array.isArray(clause) || clause.length === 0) return undefined;
  const locking = (clause[0] as { LockingClause?: { strength?: string; lockedRels?: unknown[] } })
    .LockingClause;
  const strength = locking?.strength?.includes('UPDATE') ? 'for-update' : 'for-share';
  const named = (locking?.lockedRels ?? [])
    .map((relation) => relationName(relation))
    .filter(Boolean) as string[];
  const tables =
    named.length === 0
      ? new Set(aliases.values())
      : new Set(named.map((name) => aliases.get(name) ?? name));
  return { strength, tables };
}

function dedupe(accesses: TableAccess[]): TableAccess[] {
  const seen = new Map<string, TableAccess>();
  for (const access of accesses) {
    const key = `${access.action} ${access.table} ${access.lock ?? ''}`;
    if (!seen.has(key)) seen.set(key, access);
  }
  return [...seen.values()];
}
