// SQL of MySQL/MariaDB and SQLite, read with node-sql-parser (libpg-query speaks only
// PostgreSQL): tables read and written, upserts and `FOR UPDATE`. Holes become `?` parameters.
import { createRequire } from 'node:module';
import type { SqlAnalysis, TableAccess } from './sql.js';
import type { StaticString } from './strings.js';

interface DialectParser {
  tableList(sql: string, options: { database: string }): string[];
  astify(sql: string, options: { database: string }): unknown;
}

const require = createRequire(import.meta.url);
const parsers = new Map<string, DialectParser>();

/** The one-dialect build, loaded on first use: the full parser costs about 0.4 s to load. */
function parserFor(dialect: 'mysql' | 'sqlite'): DialectParser {
  let parser = parsers.get(dialect);
  if (!parser) {
    const build = require(`node-sql-parser/build/${dialect}`) as {
      Parser: new () => DialectParser;
    };
    parser = new build.Parser();
    parsers.set(dialect, parser);
  }
  return parser;
}

const ACTIONS: Record<string, TableAccess['action']> = {
  select: 'select',
  insert: 'insert',
  replace: 'upsert',
  update: 'update',
  delete: 'delete',
  create: 'ddl',
  alter: 'ddl',
  drop: 'ddl',
};

const TRANSACTION: Record<string, 'begin' | 'commit' | 'rollback'> = {
  BEGIN: 'begin',
  'START TRANSACTION': 'begin',
  'BEGIN TRANSACTION': 'begin',
  COMMIT: 'commit',
  ROLLBACK: 'rollback',
};

export function analyseOtherSql(sql: StaticString, dialect: 'mysql' | 'sqlite'): SqlAnalysis {
  const text = sql.parts.map((part) => (part.kind === 'text' ? part.text : '?')).join('');
  const keyword = text.trim().replace(/;$/, '').replace(/\s+/g, ' ').toUpperCase();
  const transaction = TRANSACTION[keyword];
  if (transaction) return { kind: 'transaction', statement: transaction };
  const database = dialect === 'mysql' ? 'MySQL' : 'Sqlite';
  let tables: string[];
  let ast: unknown;
  try {
    const parser = parserFor(dialect);
    tables = parser.tableList(text, { database });
    ast = parser.astify(text, { database });
  } catch {
    return { kind: 'not-sql', reason: `the ${database} parser does not accept it` };
  }
  const statements = (Array.isArray(ast) ? ast : [ast]) as {
    locking_read?: string;
    on_duplicate_update?: unknown;
    type?: string;
  }[];
  const lock = statements.some((statement) => /FOR UPDATE/i.test(statement.locking_read ?? ''))
    ? 'for-update'
    : statements.some((statement) => /SHARE/i.test(statement.locking_read ?? ''))
      ? 'for-share'
      : undefined;
  const upsert = statements.some((statement) => statement.on_duplicate_update);
  const accesses: TableAccess[] = [];
  for (const entry of tables) {
    const [action = '', schema, table = ''] = entry.split('::');
    let mapped = ACTIONS[action];
    if (!mapped || !table) continue;
    if (mapped === 'insert' && upsert) mapped = 'upsert';
    const name = schema && schema !== 'null' ? `${schema}.${table}` : table;
    accesses.push(
      mapped === 'select' && lock
        ? { action: mapped, table: name, lock }
        : { action: mapped, table: name },
    );
  }
  return { kind: 'statements', accesses };
}
