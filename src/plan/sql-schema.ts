// Tables as a project's migration files leave them: the files are applied in order (CREATE TABLE,
// ALTER TABLE, DROP TABLE, renames, enum types, unique indexes) to a model of the schema, which
// then answers with each table's columns, keys, foreign keys and the CHECK constraints that bound
// a column's values. PostgreSQL is read with PostgreSQL's own parser (libpg-query); MySQL and
// SQLite with node-sql-parser. A statement neither parser accepts, or that does something the
// model does not follow, is listed as skipped and never stops the reading.
import { createRequire } from 'node:module';
import { parseSync, scanSync } from 'libpg-query';
import { loadSqlParser } from '../detect/analysis/sql.js';

export type OnDelete = 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';

export interface ColumnCheck {
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
  oneOf?: (string | number)[];
}

export interface ColumnSchema {
  name: string;
  /** Normalised lower-case base type ('text', 'varchar', 'integer', 'timestamptz', …); `[]` ends an array type; a PostgreSQL enum keeps its type's name. */
  type: string;
  /** char(3) → 3, varchar(64) → 64 */
  length?: number;
  nullable: boolean;
  /** DEFAULT, serial, identity, AUTO_INCREMENT, SQLite's INTEGER PRIMARY KEY, generated */
  hasDefault: boolean;
  /** Values are distinct: a one-column UNIQUE constraint, unique index or primary key. */
  unique: boolean;
  check?: ColumnCheck;
  /** The foreign key this column alone makes; onDelete is absent for NO ACTION (the default). */
  references?: { table: string; column: string; onDelete?: OnDelete };
}

export interface ForeignKey {
  columns: string[];
  table: string;
  references: string[];
  onDelete?: OnDelete;
}

export interface TableSchema {
  name: string;
  columns: ColumnSchema[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
}

export type SqlDialect = 'postgresql' | 'mysql' | 'sqlite';

export interface SkippedStatement {
  path: string;
  statement: string;
  reason: string;
}

/** libpg-query is WebAssembly: await this once before reading PostgreSQL migrations. */
export function loadSqlSchemaParser(): Promise<void> {
  return loadSqlParser();
}

/**
 * Applies the files in order (CREATE TABLE, ALTER TABLE ADD/DROP/RENAME COLUMN, ADD/DROP
 * CONSTRAINT, DROP TABLE; plain CREATE INDEX ignored). Unknown statements are skipped, never
 * thrown on. For PostgreSQL, `loadSqlSchemaParser()` must have resolved first.
 */
export function readSqlSchema(
  files: { path: string; text: string }[],
  dialect: SqlDialect,
): { tables: TableSchema[]; skipped: SkippedStatement[] } {
  const model = new Model(dialect);
  const skipped: SkippedStatement[] = [];
  for (const file of files) {
    for (const statement of dialect === 'postgresql'
      ? postgresStatements(file.text)
      : otherStatements(file.text, dialect)) {
      const text = statementText(statement.text);
      const skip = (reason: string) => skipped.push({ path: file.path, statement: text, reason });
      if (statement.error !== undefined) {
        skip(statement.error);
        continue;
      }
      for (const reason of statement.unmodelled) skip(reason);
      for (const op of statement.ops) {
        const reason = model.apply(op);
        if (reason) skip(reason);
      }
    }
  }
  return { tables: model.tables(), skipped };
}

/** Tables ordered so that every table comes after the tables it references (for inserts); reverse for deletes. */
export function insertionOrder(tables: TableSchema[]): TableSchema[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const placed = new Set<string>();
  const order: TableSchema[] = [];
  const visiting = new Set<string>();
  // Depth first in the given order: a table's parents go before it; a cycle is broken where it
  // closes (those rows need a nullable key or a deferred constraint whatever the order).
  const visit = (table: TableSchema) => {
    if (placed.has(table.name) || visiting.has(table.name)) return;
    visiting.add(table.name);
    for (const key of table.foreignKeys) {
      const parent = byName.get(key.table);
      if (parent && parent !== table) visit(parent);
    }
    visiting.delete(table.name);
    placed.add(table.name);
    order.push(table);
  };
  for (const table of tables) visit(table);
  return order;
}

// ---------------------------------------------------------------------------------------------
// The model: dialect-neutral operations applied to tables that keep their constraints by name, so
// a later DROP CONSTRAINT, a dropped or renamed column, or a renamed table carries through.

interface ColumnDefinition {
  name: string;
  type: string;
  length?: number;
  notNull: boolean;
  hasDefault: boolean;
  /** MySQL ENUM('a','b') and UNSIGNED */
  check?: ColumnCheck;
  constraints: ConstraintDefinition[];
}

type ConstraintDefinition =
  | { kind: 'primary' | 'unique'; name?: string; columns: string[] }
  | {
      kind: 'foreign';
      name?: string;
      columns: string[];
      table: string;
      references: string[];
      onDelete?: OnDelete;
    }
  | { kind: 'check'; name?: string; facts: Map<string, ColumnCheck> };

/** `ifTableExists`: ALTER TABLE IF EXISTS, a no-op when the table is not there. */
type Op = { ifTableExists?: boolean } & (
  | {
      op: 'create-table';
      table: string;
      ifNotExists: boolean;
      columns: ColumnDefinition[];
      constraints: ConstraintDefinition[];
    }
  | { op: 'add-column'; table: string; column: ColumnDefinition; ifNotExists: boolean }
  | { op: 'drop-column'; table: string; column: string; ifExists: boolean }
  | { op: 'rename-column'; table: string; from: string; to: string }
  | { op: 'replace-column'; table: string; from: string; column: ColumnDefinition }
  | {
      op: 'alter-column';
      table: string;
      column: string;
      notNull?: boolean;
      hasDefault?: boolean;
      type?: { type: string; length?: number };
    }
  | { op: 'rename-table'; table: string; to: string }
  | { op: 'drop-table'; table: string; ifExists: boolean }
  | { op: 'add-constraint'; table: string; constraint: ConstraintDefinition }
  | { op: 'drop-constraint'; table: string; name: string; ifExists: boolean }
  | { op: 'drop-primary-key'; table: string }
  | { op: 'rename-constraint'; table: string; from: string; to: string }
  | { op: 'drop-index'; name: string; table?: string }
  | { op: 'create-enum'; name: string; labels: string[] }
  | { op: 'add-enum-value'; name: string; label: string; before?: string; after?: string }
);

interface ColumnState {
  name: string;
  type: string;
  length?: number;
  notNull: boolean;
  hasDefault: boolean;
  check?: ColumnCheck;
}

interface TableState {
  name: string;
  columns: ColumnState[];
  constraints: ConstraintDefinition[];
}

class Model {
  private readonly list: TableState[] = [];
  private readonly enums = new Map<string, string[]>();
  constructor(private readonly dialect: SqlDialect) {}

  private same(a: string, b: string): boolean {
    return this.dialect === 'postgresql' ? a === b : a.toLowerCase() === b.toLowerCase();
  }

  private table(name: string): TableState | undefined {
    return this.list.find((table) => this.same(table.name, name));
  }

  private column(table: TableState, name: string): ColumnState | undefined {
    return table.columns.find((column) => this.same(column.name, name));
  }

  /** Applies one operation; a reason when it could not be. */
  apply(op: Op): string | undefined {
    switch (op.op) {
      case 'create-enum':
        this.enums.set(op.name, [...op.labels]);
        return undefined;
      case 'add-enum-value': {
        const labels = this.enums.get(op.name);
        if (!labels) return `enum type ${op.name} is not defined by earlier migrations`;
        if (labels.includes(op.label)) return undefined;
        const anchor = op.before ?? op.after;
        const at = anchor === undefined ? -1 : labels.indexOf(anchor);
        if (at < 0) labels.push(op.label);
        else labels.splice(op.before !== undefined ? at : at + 1, 0, op.label);
        return undefined;
      }
      case 'create-table': {
        if (this.table(op.table)) {
          return op.ifNotExists ? undefined : `table ${op.table} already exists`;
        }
        const table: TableState = { name: op.table, columns: [], constraints: [] };
        this.list.push(table);
        for (const column of op.columns) this.addColumn(table, column);
        for (const constraint of op.constraints) this.addConstraint(table, constraint);
        return undefined;
      }
      case 'drop-index':
        for (const table of this.list) {
          if (op.table && !this.same(table.name, op.table)) continue;
          table.constraints = table.constraints.filter(
            (constraint) => constraint.kind !== 'unique' || constraint.name !== op.name,
          );
        }
        return undefined;
      default:
        break;
    }
    const table = this.table(op.table);
    if (!table) {
      if (op.ifTableExists || (op.op === 'drop-table' && op.ifExists)) return undefined;
      return `table ${op.table} is not defined by earlier migrations`;
    }
    switch (op.op) {
      case 'drop-table':
        this.list.splice(this.list.indexOf(table), 1);
        for (const other of this.list) {
          other.constraints = other.constraints.filter(
            (constraint) =>
              constraint.kind !== 'foreign' || !this.same(constraint.table, table.name),
          );
        }
        return undefined;
      case 'rename-table':
        for (const other of this.list) {
          for (const constraint of other.constraints) {
            if (constraint.kind === 'foreign' && this.same(constraint.table, table.name)) {
              constraint.table = op.to;
            }
          }
        }
        table.name = op.to;
        return undefined;
      case 'add-column':
        if (this.column(table, op.column.name)) {
          return op.ifNotExists ? undefined : `column ${op.table}.${op.column.name} already exists`;
        }
        this.addColumn(table, op.column);
        return undefined;
      case 'drop-column': {
        const column = this.column(table, op.column);
        if (!column) {
          return op.ifExists ? undefined : `column ${op.table}.${op.column} does not exist`;
        }
        table.columns.splice(table.columns.indexOf(column), 1);
        table.constraints = table.constraints.filter((constraint) => {
          if (constraint.kind === 'check') {
            for (const name of constraint.facts.keys()) {
              if (this.same(name, column.name)) return false;
            }
            return true;
          }
          return !constraint.columns.some((name) => this.same(name, column.name));
        });
        for (const other of this.list) {
          other.constraints = other.constraints.filter(
            (constraint) =>
              constraint.kind !== 'foreign' ||
              !this.same(constraint.table, table.name) ||
              !constraint.references.some((name) => this.same(name, column.name)),
          );
        }
        return undefined;
      }
      case 'rename-column': {
        const column = this.column(table, op.from);
        if (!column) return `column ${op.table}.${op.from} does not exist`;
        this.renameColumn(table, column.name, op.to);
        return undefined;
      }
      case 'replace-column': {
        const column = this.column(table, op.from);
        if (!column) return `column ${op.table}.${op.from} does not exist`;
        table.columns[table.columns.indexOf(column)] = {
          ...columnState(op.column),
          name: column.name,
        };
        if (!this.same(column.name, op.column.name))
          this.renameColumn(table, column.name, op.column.name);
        for (const constraint of op.column.constraints) this.addConstraint(table, constraint);
        return undefined;
      }
      case 'alter-column': {
        const column = this.column(table, op.column);
        if (!column) return `column ${op.table}.${op.column} does not exist`;
        if (op.notNull !== undefined) column.notNull = op.notNull;
        if (op.hasDefault !== undefined) column.hasDefault = op.hasDefault;
        if (op.type) {
          column.type = op.type.type;
          if (op.type.length === undefined) delete column.length;
          else column.length = op.type.length;
        }
        return undefined;
      }
      case 'add-constraint':
        this.addConstraint(table, op.constraint);
        return undefined;
      case 'drop-constraint': {
        const before = table.constraints.length;
        table.constraints = table.constraints.filter(
          (constraint) => constraint.name === undefined || !this.same(constraint.name, op.name),
        );
        if (table.constraints.length === before && !op.ifExists) {
          return `constraint ${op.name} is not known on ${table.name}`;
        }
        return undefined;
      }
      case 'drop-primary-key':
        table.constraints = table.constraints.filter((constraint) => constraint.kind !== 'primary');
        return undefined;
      case 'rename-constraint':
        for (const constraint of table.constraints) {
          if (constraint.name !== undefined && this.same(constraint.name, op.from)) {
            constraint.name = op.to;
          }
        }
        return undefined;
    }
  }

  private addColumn(table: TableState, column: ColumnDefinition): void {
    table.columns.push(columnState(column));
    for (const constraint of column.constraints) this.addConstraint(table, constraint);
  }

  private renameColumn(table: TableState, from: string, to: string): void {
    const rename = (name: string) => (this.same(name, from) ? to : name);
    const column = this.column(table, from);
    if (column) column.name = to;
    for (const constraint of table.constraints) {
      if (constraint.kind === 'check') {
        constraint.facts = new Map(
          [...constraint.facts].map(([name, check]) => [rename(name), check]),
        );
      } else {
        constraint.columns = constraint.columns.map(rename);
      }
    }
    for (const other of this.list) {
      for (const constraint of other.constraints) {
        if (constraint.kind === 'foreign' && this.same(constraint.table, table.name)) {
          constraint.references = constraint.references.map(rename);
        }
      }
    }
  }

  private addConstraint(table: TableState, constraint: ConstraintDefinition): void {
    const named = { ...constraint };
    if (named.kind === 'foreign' && named.references.length === 0) {
      // REFERENCES parent without a column list: the parent's primary key.
      const parent = this.same(named.table, table.name) ? table : this.table(named.table);
      const key = parent?.constraints.find((entry) => entry.kind === 'primary');
      named.references = key && key.kind === 'primary' ? [...key.columns] : ['id'];
    }
    if (named.name === undefined && this.dialect === 'postgresql') {
      named.name = defaultConstraintName(table.name, named);
    }
    if (named.kind === 'primary') {
      table.constraints = table.constraints.filter((entry) => entry.kind !== 'primary');
    }
    table.constraints.push(named);
  }

  tables(): TableSchema[] {
    return this.list.map((table) => this.derive(table));
  }

  private derive(table: TableState): TableSchema {
    const primary = table.constraints.find((constraint) => constraint.kind === 'primary');
    const primaryKey = primary && primary.kind === 'primary' ? [...primary.columns] : [];
    const foreignKeys: ForeignKey[] = [];
    for (const constraint of table.constraints) {
      if (constraint.kind !== 'foreign') continue;
      foreignKeys.push({
        columns: [...constraint.columns],
        table: constraint.table,
        references: [...constraint.references],
        ...(constraint.onDelete ? { onDelete: constraint.onDelete } : {}),
      });
    }
    const columns = table.columns.map((column): ColumnSchema => {
      const isColumn = (name: string) => this.same(name, column.name);
      const inKey = primaryKey.some(isColumn);
      const unique = table.constraints.some(
        (constraint) =>
          (constraint.kind === 'primary' || constraint.kind === 'unique') &&
          constraint.columns.length === 1 &&
          isColumn(constraint.columns[0] ?? ''),
      );
      let check = column.check ? { ...column.check } : undefined;
      const labels = this.enums.get(column.type.replace(/\[\]$/, ''));
      if (labels) check = mergeChecks(check, { oneOf: [...labels] });
      for (const constraint of table.constraints) {
        if (constraint.kind !== 'check') continue;
        for (const [name, facts] of constraint.facts) {
          if (isColumn(name)) check = mergeChecks(check, facts);
        }
      }
      const key = foreignKeys.find(
        (entry) => entry.columns.length === 1 && isColumn(entry.columns[0] ?? ''),
      );
      const schema: ColumnSchema = {
        name: column.name,
        type: column.type,
        ...(column.length !== undefined ? { length: column.length } : {}),
        nullable: !column.notNull && !inKey,
        hasDefault: column.hasDefault,
        unique,
      };
      if (check && Object.keys(check).length > 0) schema.check = check;
      if (key) {
        schema.references = {
          table: key.table,
          column: key.references[0] ?? 'id',
          ...(key.onDelete ? { onDelete: key.onDelete } : {}),
        };
      }
      return schema;
    });
    return { name: table.name, columns, primaryKey, foreignKeys };
  }
}

function columnState(column: ColumnDefinition): ColumnState {
  const state: ColumnState = {
    name: column.name,
    type: column.type,
    notNull: column.notNull,
    hasDefault: column.hasDefault,
  };
  if (column.length !== undefined) state.length = column.length;
  if (column.check) state.check = { ...column.check };
  return state;
}

/** The names PostgreSQL gives unnamed constraints, so a later DROP CONSTRAINT finds them. */
function defaultConstraintName(table: string, constraint: ConstraintDefinition): string {
  switch (constraint.kind) {
    case 'primary':
      return `${table}_pkey`;
    case 'unique':
      return `${table}_${constraint.columns.join('_')}_key`;
    case 'foreign':
      return `${table}_${constraint.columns.join('_')}_fkey`;
    case 'check': {
      const [first] = constraint.facts.keys();
      return first === undefined ? `${table}_check` : `${table}_${first}_check`;
    }
  }
}

function mergeChecks(a: ColumnCheck | undefined, b: ColumnCheck): ColumnCheck {
  if (!a) return { ...b };
  const merged: ColumnCheck = { ...a };
  if (b.min !== undefined)
    merged.min = merged.min === undefined ? b.min : Math.max(merged.min, b.min);
  if (b.max !== undefined)
    merged.max = merged.max === undefined ? b.max : Math.min(merged.max, b.max);
  if (b.exclusiveMin !== undefined) {
    merged.exclusiveMin =
      merged.exclusiveMin === undefined
        ? b.exclusiveMin
        : Math.max(merged.exclusiveMin, b.exclusiveMin);
  }
  if (b.exclusiveMax !== undefined) {
    merged.exclusiveMax =
      merged.exclusiveMax === undefined
        ? b.exclusiveMax
        : Math.min(merged.exclusiveMax, b.exclusiveMax);
  }
  if (b.oneOf !== undefined) {
    merged.oneOf =
      merged.oneOf === undefined
        ? [...b.oneOf]
        : merged.oneOf.filter((value) => b.oneOf?.includes(value));
  }
  return merged;
}

// ---------------------------------------------------------------------------------------------
// CHECK expressions, in a form both parsers' trees are turned into.

type Expr =
  | { kind: 'column'; name: string }
  | { kind: 'const'; value: string | number | boolean | null }
  | { kind: 'compare'; operator: string; left: Expr; right: Expr }
  | { kind: 'in'; subject: Expr; values: Expr[] }
  | { kind: 'between'; subject: Expr; low: Expr; high: Expr }
  | { kind: 'and'; args: Expr[] }
  | { kind: 'other' };

const FLIPPED: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '=': '=' };

/** What a CHECK says about single columns' values: bounds and lists of allowed values. */
function checkFacts(expr: Expr, facts = new Map<string, ColumnCheck>()): Map<string, ColumnCheck> {
  const add = (name: string, check: ColumnCheck) =>
    facts.set(name, mergeChecks(facts.get(name), check));
  switch (expr.kind) {
    case 'and':
      for (const arg of expr.args) checkFacts(arg, facts);
      break;
    case 'compare': {
      let { operator, left, right } = expr;
      if (left.kind === 'const' && right.kind === 'column') {
        [left, right] = [right, left];
        operator = FLIPPED[operator] ?? '';
      }
      if (left.kind !== 'column' || right.kind !== 'const') break;
      const value = right.value;
      if (operator === '=' && (typeof value === 'string' || typeof value === 'number')) {
        add(left.name, { oneOf: [value] });
      }
      if (typeof value !== 'number') break;
      if (operator === '>=') add(left.name, { min: value });
      if (operator === '>') add(left.name, { exclusiveMin: value });
      if (operator === '<=') add(left.name, { max: value });
      if (operator === '<') add(left.name, { exclusiveMax: value });
      break;
    }
    case 'in': {
      if (expr.subject.kind !== 'column') break;
      const values: (string | number)[] = [];
      for (const value of expr.values) {
        if (value.kind !== 'const') return facts;
        if (typeof value.value !== 'string' && typeof value.value !== 'number') return facts;
        values.push(value.value);
      }
      add(expr.subject.name, { oneOf: values });
      break;
    }
    case 'between':
      if (
        expr.subject.kind === 'column' &&
        expr.low.kind === 'const' &&
        typeof expr.low.value === 'number' &&
        expr.high.kind === 'const' &&
        typeof expr.high.value === 'number'
      ) {
        add(expr.subject.name, { min: expr.low.value, max: expr.high.value });
      }
      break;
    default:
      break;
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Statements of a file.

interface Statement {
  text: string;
  ops: Op[];
  /** Parts of the statement the model does not follow (the rest applies). */
  unmodelled: string[];
  error?: string;
}

/** The statement as reported: leading comments and surrounding space cut. */
function statementText(text: string): string {
  return text
    .replace(/^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '')
    .trim()
    .replace(/;$/, '')
    .trim();
}

/** Splits SQL text on semicolons outside quotes, comments and (SQLite) trigger bodies. */
function splitStatements(text: string, dialect: SqlDialect): string[] {
  const statements: string[] = [];
  const delimiterCommand = /DELIMITER[ \t]+(\S+)[^\n]*(?:\n|$)/iy;
  const dollarQuote = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;
  let delimiter = ';';
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (
      dialect === 'mysql' &&
      (char === 'D' || char === 'd') &&
      text.slice(start, i).trim() === ''
    ) {
      delimiterCommand.lastIndex = i;
      const command = delimiterCommand.exec(text);
      if (command) {
        delimiter = command[1] ?? ';';
        i += command[0].length;
        start = i;
        continue;
      }
    }
    if (text.startsWith('--', i) || (dialect === 'mysql' && char === '#')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (char === "'" || char === '"' || char === '`' || (dialect === 'sqlite' && char === '[')) {
      const close = char === '[' ? ']' : char;
      i++;
      while (i < text.length) {
        const c = text[i];
        if (dialect === 'mysql' && c === '\\') i += 2;
        else if (c === close && text[i + 1] === close && close !== ']') i += 2;
        else if (c === close) break;
        else i++;
      }
      i++;
      continue;
    }
    if (dialect === 'postgresql' && char === '$') {
      dollarQuote.lastIndex = i;
      const tag = dollarQuote.exec(text);
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? text.length : end + tag[0].length;
        continue;
      }
    }
    if (text.startsWith(delimiter, i)) {
      const body = text.slice(start, i);
      const trigger =
        dialect === 'sqlite' && /^create\s+(?:temp\w*\s+)?trigger\b/i.test(statementText(body));
      if (!trigger || /\bend\s*$/i.test(body)) {
        statements.push(body);
        i += delimiter.length;
        start = i;
        continue;
      }
    }
    i++;
  }
  statements.push(text.slice(start));
  return statements.filter((statement) => statementText(statement) !== '');
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL, through libpg-query.

type Node = Record<string, unknown>;

function pgParse(text: string): { stmt: Node; stmt_location?: number; stmt_len?: number }[] {
  return ((parseSync(text) as { stmts?: unknown[] }).stmts ?? []) as {
    stmt: Node;
    stmt_location?: number;
    stmt_len?: number;
  }[];
}

function postgresStatements(text: string): Statement[] {
  try {
    const parsed = pgParse(text);
    // Locations count bytes of UTF-8.
    const bytes = Buffer.from(text, 'utf8');
    return parsed.map((entry) => {
      const start = entry.stmt_location ?? 0;
      const end = entry.stmt_len ? start + entry.stmt_len : bytes.length;
      return { text: bytes.subarray(start, end).toString('utf8'), ...pgStatement(entry.stmt) };
    });
  } catch (error) {
    if (/not initiali[sz]ed|loadModule/i.test(String(error))) {
      throw new Error('readSqlSchema: await loadSqlSchemaParser() before reading PostgreSQL');
    }
  }
  // One statement the parser refuses: read the others one at a time.
  return pgPieces(text).map((piece) => {
    try {
      const parsed = pgParse(piece);
      const statement: Statement = { text: piece, ops: [], unmodelled: [] };
      for (const entry of parsed) {
        const part = pgStatement(entry.stmt);
        statement.ops.push(...part.ops);
        statement.unmodelled.push(...part.unmodelled);
      }
      return statement;
    } catch (error) {
      return { text: piece, ops: [], unmodelled: [], error: parseError('PostgreSQL', error) };
    }
  });
}

/** Statements cut at the semicolons PostgreSQL's own scanner finds, else by a plain splitter. */
function pgPieces(text: string): string[] {
  try {
    const bytes = Buffer.from(text, 'utf8');
    const pieces: string[] = [];
    let start = 0;
    for (const token of scanSync(text).tokens) {
      if (token.text !== ';') continue;
      pieces.push(bytes.subarray(start, token.start).toString('utf8'));
      start = token.end;
    }
    pieces.push(bytes.subarray(start).toString('utf8'));
    return pieces.filter((piece) => statementText(piece) !== '');
  } catch {
    return splitStatements(text, 'postgresql');
  }
}

function parseError(parser: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `the ${parser} parser does not accept it: ${message.split('\n')[0]?.slice(0, 160)}`;
}

/** Statements that change no table's columns or constraints. */
const PG_NO_EFFECT = new Set([
  'TransactionStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'CommentStmt',
  'GrantStmt',
  'GrantRoleStmt',
  'CreateExtensionStmt',
  'AlterExtensionStmt',
  'CreateSchemaStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'CreateFunctionStmt',
  'AlterFunctionStmt',
  'CreateTrigStmt',
  'CreatePolicyStmt',
  'AlterPolicyStmt',
  'CreateRoleStmt',
  'AlterRoleStmt',
  'AlterOwnerStmt',
  'ViewStmt',
  'DoStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'SelectStmt',
  'MergeStmt',
  'LockStmt',
  'CreatePublicationStmt',
  'AlterDefaultPrivilegesStmt',
  'RefreshMatViewStmt',
  'VacuumStmt',
  'ClusterStmt',
  'ReindexStmt',
  'NotifyStmt',
  'CallStmt',
]);

/** ALTER TABLE subcommands that change nothing the model holds. */
const PG_ALTER_NO_EFFECT = new Set([
  'AT_EnableRowSecurity',
  'AT_DisableRowSecurity',
  'AT_ForceRowSecurity',
  'AT_NoForceRowSecurity',
  'AT_SetStatistics',
  'AT_SetStorage',
  'AT_SetCompression',
  'AT_ChangeOwner',
  'AT_ClusterOn',
  'AT_DropCluster',
  'AT_SetRelOptions',
  'AT_ResetRelOptions',
  'AT_ReplicaIdentity',
  'AT_EnableTrig',
  'AT_DisableTrig',
  'AT_EnableTrigAll',
  'AT_DisableTrigAll',
  'AT_ValidateConstraint',
  'AT_SetLogged',
  'AT_SetUnLogged',
  'AT_SetTableSpace',
]);

function pgStatement(stmt: Node): { ops: Op[]; unmodelled: string[] } {
  const [kind = '', body] = Object.entries(stmt)[0] ?? [];
  const node = (body ?? {}) as Node;
  const ops: Op[] = [];
  const unmodelled: string[] = [];
  switch (kind) {
    case 'CreateStmt': {
      const relation = node.relation as Node;
      const table = String(relation.relname);
      if (node.partbound || node.inhRelations) {
        unmodelled.push('a partition or inheriting table is not modelled');
      }
      const columns: ColumnDefinition[] = [];
      const constraints: ConstraintDefinition[] = [];
      for (const element of (node.tableElts ?? []) as Node[]) {
        if (element.ColumnDef) columns.push(pgColumn(element.ColumnDef as Node));
        else if (element.Constraint) {
          const constraint = pgConstraint(element.Constraint as Node, undefined);
          if (constraint) constraints.push(constraint);
          const notNull = pgNotNullAsAlter(table, element.Constraint as Node);
          const target = notNull?.op === 'alter-column' ? notNull.column : undefined;
          for (const column of columns) if (column.name === target) column.notNull = true;
        } else unmodelled.push(`${Object.keys(element)[0]} in CREATE TABLE is not modelled`);
      }
      ops.push({
        op: 'create-table',
        table,
        ifNotExists: node.if_not_exists === true,
        columns,
        constraints,
      });
      break;
    }
    case 'AlterTableStmt': {
      if (node.objtype !== 'OBJECT_TABLE') break;
      const table = String((node.relation as Node).relname);
      for (const entry of (node.cmds ?? []) as Node[]) {
        const cmd = (entry.AlterTableCmd ?? {}) as Node;
        const subtype = String(cmd.subtype);
        const name = String(cmd.name ?? '');
        const missingOk = cmd.missing_ok === true;
        const def = (cmd.def ?? {}) as Node;
        switch (subtype) {
          case 'AT_AddColumn':
            ops.push({
              op: 'add-column',
              table,
              column: pgColumn(def.ColumnDef as Node),
              ifNotExists: missingOk,
            });
            break;
          case 'AT_DropColumn':
            ops.push({ op: 'drop-column', table, column: name, ifExists: missingOk });
            break;
          case 'AT_AddConstraint': {
            const constraint = pgConstraint(def.Constraint as Node, undefined);
            if (constraint) ops.push({ op: 'add-constraint', table, constraint });
            else {
              const alter = pgNotNullAsAlter(table, def.Constraint as Node);
              const kind = String((def.Constraint as Node)?.contype).replace(/^CONSTR_/, '');
              if (alter) ops.push(alter);
              else unmodelled.push(`ADD CONSTRAINT … ${kind} is not modelled`);
            }
            break;
          }
          case 'AT_DropConstraint':
            ops.push({ op: 'drop-constraint', table, name, ifExists: missingOk });
            break;
          case 'AT_SetNotNull':
            ops.push({ op: 'alter-column', table, column: name, notNull: true });
            break;
          case 'AT_DropNotNull':
            ops.push({ op: 'alter-column', table, column: name, notNull: false });
            break;
          case 'AT_ColumnDefault':
            ops.push({
              op: 'alter-column',
              table,
              column: name,
              hasDefault: cmd.def !== undefined,
            });
            break;
          case 'AT_AddIdentity':
          case 'AT_SetIdentity':
            ops.push({ op: 'alter-column', table, column: name, hasDefault: true, notNull: true });
            break;
          case 'AT_DropIdentity':
          case 'AT_DropExpression':
            ops.push({ op: 'alter-column', table, column: name, hasDefault: false });
            break;
          case 'AT_AlterColumnType': {
            const type = pgType((def.ColumnDef as Node).typeName as Node);
            ops.push({ op: 'alter-column', table, column: name, type });
            break;
          }
          default:
            if (!PG_ALTER_NO_EFFECT.has(subtype)) {
              unmodelled.push(`ALTER TABLE ${subtype.replace(/^AT_/, '')} is not modelled`);
            }
        }
      }
      if (node.missing_ok === true) for (const op of ops) op.ifTableExists = true;
      break;
    }
    case 'RenameStmt': {
      const table = String((node.relation as Node | undefined)?.relname ?? '');
      if (node.renameType === 'OBJECT_TABLE') {
        ops.push({ op: 'rename-table', table, to: String(node.newname) });
      } else if (node.renameType === 'OBJECT_COLUMN' && node.relationType === 'OBJECT_TABLE') {
        ops.push({
          op: 'rename-column',
          table,
          from: String(node.subname),
          to: String(node.newname),
        });
      } else if (node.renameType === 'OBJECT_TABCONSTRAINT') {
        ops.push({
          op: 'rename-constraint',
          table,
          from: String(node.subname),
          to: String(node.newname),
        });
      } else if (node.renameType !== 'OBJECT_INDEX' && node.renameType !== 'OBJECT_SEQUENCE') {
        unmodelled.push(
          `RENAME of ${String(node.renameType)
            .replace(/^OBJECT_/, '')
            .toLowerCase()} is not modelled`,
        );
      }
      break;
    }
    case 'DropStmt': {
      const names = ((node.objects ?? []) as Node[]).map((object) => {
        const items = ((object.List as Node | undefined)?.items ?? []) as Node[];
        return sval(items[items.length - 1]);
      });
      if (node.removeType === 'OBJECT_TABLE') {
        for (const table of names)
          ops.push({ op: 'drop-table', table, ifExists: node.missing_ok === true });
      } else if (node.removeType === 'OBJECT_INDEX') {
        for (const name of names) ops.push({ op: 'drop-index', name });
      }
      break;
    }
    case 'IndexStmt': {
      if (node.unique !== true || node.whereClause) break;
      const params = ((node.indexParams ?? []) as Node[]).map(
        (param) => (param.IndexElem as Node).name,
      );
      if (params.length !== 1 || typeof params[0] !== 'string') break;
      ops.push({
        op: 'add-constraint',
        table: String((node.relation as Node).relname),
        constraint: { kind: 'unique', name: String(node.idxname ?? ''), columns: [params[0]] },
      });
      break;
    }
    case 'CreateEnumStmt': {
      const names = (node.typeName ?? []) as Node[];
      ops.push({
        op: 'create-enum',
        name: sval(names[names.length - 1]),
        labels: ((node.vals ?? []) as Node[]).map(sval),
      });
      break;
    }
    case 'AlterEnumStmt': {
      if (node.oldVal) break; // RENAME VALUE
      const names = (node.typeName ?? []) as Node[];
      const anchor = typeof node.newValNeighbor === 'string' ? node.newValNeighbor : undefined;
      ops.push({
        op: 'add-enum-value',
        name: sval(names[names.length - 1]),
        label: String(node.newVal),
        ...(anchor === undefined
          ? {}
          : node.newValIsAfter === false
            ? { before: anchor }
            : { after: anchor }),
      });
      break;
    }
    default:
      if (!PG_NO_EFFECT.has(kind)) unmodelled.push(`${kind.replace(/Stmt$/, '')} is not modelled`);
  }
  return { ops, unmodelled };
}

function sval(node: Node | undefined): string {
  return String(((node?.String as Node | undefined)?.sval as string | undefined) ?? '');
}

const PG_TYPES: Record<string, string> = {
  int4: 'integer',
  int: 'integer',
  integer: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  serial4: 'serial',
  serial8: 'bigserial',
  serial2: 'smallserial',
  bpchar: 'char',
  bool: 'boolean',
  float4: 'real',
  float8: 'double precision',
  decimal: 'numeric',
  varbit: 'bit varying',
};

function pgType(typeName: Node): { type: string; length?: number } {
  const names = ((typeName.names ?? []) as Node[]).map(sval);
  const last = names[names.length - 1] ?? 'unknown';
  const builtin = names.length === 1 || names[0] === 'pg_catalog';
  let type = builtin ? (PG_TYPES[last.toLowerCase()] ?? last.toLowerCase()) : last;
  const array = Array.isArray(typeName.arrayBounds) && typeName.arrayBounds.length > 0;
  const result: { type: string; length?: number } = { type };
  if (['char', 'varchar', 'bit', 'bit varying'].includes(type)) {
    const first = ((typeName.typmods ?? []) as Node[])[0];
    const value = pgConst(first);
    if (typeof value === 'number') result.length = value;
  }
  if (array) {
    type = `${type}[]`;
    result.type = type;
  }
  return result;
}

function pgColumn(def: Node): ColumnDefinition {
  const name = String(def.colname);
  const { type, length } = pgType(def.typeName as Node);
  const serial = ['serial', 'bigserial', 'smallserial'].includes(type);
  const column: ColumnDefinition = {
    name,
    type,
    ...(length !== undefined ? { length } : {}),
    notNull: serial,
    hasDefault: serial || def.raw_default !== undefined,
    constraints: [],
  };
  for (const entry of (def.constraints ?? []) as Node[]) {
    const constraint = entry.Constraint as Node;
    switch (constraint.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_NULL':
        column.notNull = false;
        break;
      case 'CONSTR_DEFAULT':
      case 'CONSTR_GENERATED':
        column.hasDefault = true;
        break;
      case 'CONSTR_IDENTITY':
        column.hasDefault = true;
        column.notNull = true;
        break;
      default: {
        const table = pgConstraint(constraint, name);
        if (table) column.constraints.push(table);
      }
    }
  }
  return column;
}

/** ALTER TABLE ADD CONSTRAINT … NOT NULL (PostgreSQL 18) as a column change. */
/** A table-level NOT NULL constraint (PostgreSQL 18) as a column change. */
function pgNotNullAsAlter(table: string, constraint: Node | undefined): Op | undefined {
  if (constraint?.contype !== 'CONSTR_NOTNULL') return undefined;
  const [column] = ((constraint.keys ?? []) as Node[]).map(sval);
  return column ? { op: 'alter-column', table, column, notNull: true } : undefined;
}

const PG_ON_DELETE: Record<string, OnDelete> = {
  c: 'cascade',
  n: 'set null',
  d: 'set default',
  r: 'restrict',
};

/** A key, foreign key or CHECK; `column` is the column a column-level constraint sits on. */
function pgConstraint(
  constraint: Node,
  column: string | undefined,
): ConstraintDefinition | undefined {
  const name = typeof constraint.conname === 'string' ? constraint.conname : undefined;
  const named = name === undefined ? {} : { name };
  const keys = ((constraint.keys ?? []) as Node[]).map(sval);
  switch (constraint.contype) {
    case 'CONSTR_PRIMARY':
      return { kind: 'primary', ...named, columns: column ? [column] : keys };
    case 'CONSTR_UNIQUE':
      return { kind: 'unique', ...named, columns: column ? [column] : keys };
    case 'CONSTR_FOREIGN': {
      const onDelete = PG_ON_DELETE[String(constraint.fk_del_action)];
      return {
        kind: 'foreign',
        ...named,
        columns: column ? [column] : ((constraint.fk_attrs ?? []) as Node[]).map(sval),
        table: String((constraint.pktable as Node).relname),
        references: ((constraint.pk_attrs ?? []) as Node[]).map(sval),
        ...(onDelete ? { onDelete } : {}),
      };
    }
    case 'CONSTR_CHECK': {
      if (constraint.is_enforced === false) return undefined;
      return { kind: 'check', ...named, facts: checkFacts(pgExpr(constraint.raw_expr as Node)) };
    }
    default:
      return undefined;
  }
}

function pgConst(node: Node | undefined): string | number | boolean | null | undefined {
  const constant = node?.A_Const as Node | undefined;
  if (!constant) return undefined;
  if (constant.isnull) return null;
  // Protocol-buffer JSON leaves out zero values: { ival: {} } is 0, { boolval: {} } false.
  if (constant.ival) return Number((constant.ival as Node).ival ?? 0);
  if (constant.fval) return Number((constant.fval as Node).fval ?? 0);
  if (constant.sval) return String((constant.sval as Node).sval ?? '');
  if (constant.boolval) return (constant.boolval as Node).boolval === true;
  return undefined;
}

function pgExpr(node: Node | undefined): Expr {
  if (!node) return { kind: 'other' };
  if (node.TypeCast) return pgExpr((node.TypeCast as Node).arg as Node);
  if (node.A_Const) {
    const value = pgConst(node);
    return value === undefined ? { kind: 'other' } : { kind: 'const', value };
  }
  if (node.ColumnRef) {
    const fields = ((node.ColumnRef as Node).fields ?? []) as Node[];
    return { kind: 'column', name: sval(fields[fields.length - 1]) };
  }
  if (node.BoolExpr) {
    const bool = node.BoolExpr as Node;
    if (bool.boolop !== 'AND_EXPR') return { kind: 'other' };
    return { kind: 'and', args: ((bool.args ?? []) as Node[]).map(pgExpr) };
  }
  if (node.A_Expr) {
    const expr = node.A_Expr as Node;
    const operator = sval(((expr.name ?? []) as Node[])[0]);
    const left = pgExpr(expr.lexpr as Node);
    const right = expr.rexpr as Node | undefined;
    const list = (items: Node[] | undefined) => (items ?? []).map(pgExpr);
    switch (expr.kind) {
      case 'AEXPR_OP':
        return { kind: 'compare', operator, left, right: pgExpr(right) };
      case 'AEXPR_IN':
        if (operator !== '=') return { kind: 'other' };
        return {
          kind: 'in',
          subject: left,
          values: list((right?.List as Node | undefined)?.items as Node[]),
        };
      case 'AEXPR_OP_ANY': {
        const array = right?.A_ArrayExpr as Node | undefined;
        if (operator !== '=' || !array) return { kind: 'other' };
        return { kind: 'in', subject: left, values: list(array.elements as Node[]) };
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_BETWEEN_SYM': {
        const [low, high] = list((right?.List as Node | undefined)?.items as Node[]);
        if (!low || !high) return { kind: 'other' };
        if (expr.kind === 'AEXPR_BETWEEN_SYM' && low.kind === 'const' && high.kind === 'const') {
          if (
            typeof low.value === 'number' &&
            typeof high.value === 'number' &&
            low.value > high.value
          ) {
            return { kind: 'between', subject: left, low: high, high: low };
          }
        }
        return { kind: 'between', subject: left, low, high };
      }
      default:
        return { kind: 'other' };
    }
  }
  return { kind: 'other' };
}

// ---------------------------------------------------------------------------------------------
// MySQL and SQLite, through node-sql-parser.

interface SqlParser {
  astify(sql: string, options: { database: string }): unknown;
}

const require = createRequire(import.meta.url);
const parsers = new Map<string, SqlParser>();

function parserFor(dialect: 'mysql' | 'sqlite'): SqlParser {
  let parser = parsers.get(dialect);
  if (!parser) {
    const build = require(`node-sql-parser/build/${dialect}`) as { Parser: new () => SqlParser };
    parser = new build.Parser();
    parsers.set(dialect, parser);
  }
  return parser;
}

// biome-ignore lint/suspicious/noExplicitAny: node-sql-parser's trees are untyped JSON, read defensively
type Any = Record<string, any>;

function otherStatements(text: string, dialect: 'mysql' | 'sqlite'): Statement[] {
  const database = dialect === 'mysql' ? 'MySQL' : 'Sqlite';
  return splitStatements(text, dialect).map((piece) => {
    let ast: unknown;
    try {
      ast = parserFor(dialect).astify(piece, { database });
    } catch (error) {
      return { text: piece, ops: [], unmodelled: [], error: parseError(database, error) };
    }
    const statement: Statement = { text: piece, ops: [], unmodelled: [] };
    for (const node of (Array.isArray(ast) ? ast : [ast]) as Any[]) {
      try {
        otherStatement(node, dialect, statement);
      } catch (error) {
        statement.unmodelled.push(
          `not understood: ${error instanceof Error ? error.message : error}`,
        );
      }
    }
    return statement;
  });
}

/** SQL-level statements with no effect on tables' columns or constraints. */
const OTHER_NO_EFFECT = new Set([
  'select',
  'insert',
  'replace',
  'update',
  'delete',
  'set',
  'use',
  'transaction',
  'grant',
  'show',
  'lock',
  'unlock',
]);

function otherStatement(node: Any, dialect: 'mysql' | 'sqlite', statement: Statement): void {
  const { ops, unmodelled } = statement;
  const type = String(node.type ?? '').toLowerCase();
  const keyword = String(node.keyword ?? '').toLowerCase();
  if (type === 'create' && keyword === 'table') {
    if (node.query_expr || node.like) {
      unmodelled.push('CREATE TABLE … AS / LIKE is not modelled');
      return;
    }
    const table = otherTableName(node.table?.[0]);
    const columns: ColumnDefinition[] = [];
    const constraints: ConstraintDefinition[] = [];
    for (const definition of (node.create_definitions ?? []) as Any[]) {
      if (definition.resource === 'column') columns.push(otherColumn(definition, dialect));
      else if (definition.resource === 'constraint') {
        const constraint = otherConstraint(definition);
        if (constraint) constraints.push(constraint);
      }
    }
    ops.push({
      op: 'create-table',
      table,
      ifNotExists: Boolean(node.if_not_exists),
      columns,
      constraints,
    });
    return;
  }
  if (type === 'create' && keyword === 'index') {
    const columns = ((node.index_columns ?? []) as Any[]).map((entry) => columnName(entry));
    if (
      String(node.index_type ?? '').toLowerCase() === 'unique' &&
      columns.length === 1 &&
      !node.where
    ) {
      ops.push({
        op: 'add-constraint',
        table: otherTableName(node.table),
        constraint: { kind: 'unique', name: indexName(node.index), columns: [columns[0] ?? ''] },
      });
    }
    return;
  }
  if (type === 'create') return; // views, triggers, databases: no table shape
  if (type === 'drop') {
    if (keyword === 'table') {
      for (const name of (node.name ?? []) as Any[]) {
        ops.push({
          op: 'drop-table',
          table: otherTableName(name),
          ifExists: /exists/i.test(String(node.prefix ?? '')),
        });
      }
    } else if (keyword === 'index') {
      const name = columnName(node.name) || indexName(node.name);
      ops.push({
        op: 'drop-index',
        name,
        ...(node.table ? { table: otherTableName(node.table) } : {}),
      });
    }
    return;
  }
  if (type === 'rename') {
    for (const pair of (node.table ?? []) as Any[][]) {
      ops.push({ op: 'rename-table', table: otherTableName(pair[0]), to: otherTableName(pair[1]) });
    }
    return;
  }
  if (type === 'alter') {
    const table = otherTableName(node.table?.[0]);
    for (const expr of (node.expr ?? []) as Any[])
      otherAlter(table, expr, dialect, ops, unmodelled);
    return;
  }
  if (!OTHER_NO_EFFECT.has(type)) unmodelled.push(`${type || 'the statement'} is not modelled`);
}

function otherAlter(
  table: string,
  expr: Any,
  dialect: 'mysql' | 'sqlite',
  ops: Op[],
  unmodelled: string[],
): void {
  const action = String(expr.action ?? '').toLowerCase();
  const resource = String(expr.resource ?? '').toLowerCase();
  if (action === 'add' && resource === 'column') {
    ops.push({
      op: 'add-column',
      table,
      column: otherColumn(expr, dialect),
      ifNotExists: Boolean(expr.if_not_exists),
    });
  } else if (action === 'add' && (resource === 'constraint' || resource === 'index')) {
    const constraint = expr.create_definitions
      ? otherConstraint(expr.create_definitions)
      : undefined;
    if (constraint) ops.push({ op: 'add-constraint', table, constraint });
  } else if (action === 'drop' && resource === 'column') {
    ops.push({
      op: 'drop-column',
      table,
      column: columnName(expr.column),
      ifExists: Boolean(expr.if_exists),
    });
  } else if (action === 'drop' && /primary/i.test(String(expr.keyword))) {
    ops.push({ op: 'drop-primary-key', table });
  } else if (action === 'drop') {
    const name = String(expr.constraint ?? expr.key ?? expr.index ?? '');
    ops.push({
      op: 'drop-constraint',
      table,
      name,
      ifExists: resource === 'index' || resource === 'key',
    });
  } else if (action === 'rename' && resource === 'column') {
    ops.push({
      op: 'rename-column',
      table,
      from: columnName(expr.old_column),
      to: columnName(expr.column),
    });
  } else if (action === 'rename' && resource === 'table') {
    ops.push({ op: 'rename-table', table, to: otherTableName(expr.table) });
  } else if (action === 'modify' || action === 'change') {
    const column = otherColumn(expr, dialect);
    const from = action === 'change' ? columnName(expr.old_column) : column.name;
    ops.push({ op: 'replace-column', table, from, column });
  } else {
    unmodelled.push(
      `ALTER TABLE ${action.toUpperCase()} ${resource.toUpperCase()} is not modelled`,
    );
  }
}

function otherTableName(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  const table = (entry as Any | undefined)?.table;
  return typeof table === 'string' ? table : columnName(table);
}

function indexName(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  const value = entry as Any | undefined;
  return String(value?.name ?? value?.value ?? '');
}

/** A column reference's name, as the parser versions spell it. */
function columnName(ref: unknown): string {
  if (typeof ref === 'string') return ref;
  const value = ref as Any | undefined;
  if (!value) return '';
  if (typeof value.column === 'string') return value.column;
  if (value.column) return columnName(value.column);
  if (value.expr) return columnName(value.expr);
  if (typeof value.value === 'string') return value.value;
  return '';
}

const OTHER_TYPES: Record<string, string> = {
  int: 'integer',
  integer: 'integer',
  'unsigned big int': 'bigint',
  int2: 'smallint',
  int8: 'bigint',
  bool: 'boolean',
  boolean: 'boolean',
  decimal: 'numeric',
  dec: 'numeric',
  fixed: 'numeric',
  numeric: 'numeric',
  float: 'real',
  double: 'double precision',
  'double precision': 'double precision',
  character: 'char',
  'character varying': 'varchar',
  nvarchar: 'varchar',
  nchar: 'char',
  'varying character': 'varchar',
  'native character': 'char',
  clob: 'text',
  tinytext: 'text',
  mediumtext: 'text',
  longtext: 'text',
  tinyblob: 'blob',
  mediumblob: 'blob',
  longblob: 'blob',
};

function otherColumn(definition: Any, dialect: 'mysql' | 'sqlite'): ColumnDefinition {
  const name = columnName(definition.column);
  const dataType = String(definition.definition?.dataType ?? 'text').toLowerCase();
  let type = OTHER_TYPES[dataType] ?? dataType;
  // MySQL's REAL is a DOUBLE; SQLite's REAL an 8-byte float too.
  if (dataType === 'real') type = 'double precision';
  const length = definition.definition?.length;
  const column: ColumnDefinition = {
    name,
    type,
    notNull: String(definition.nullable?.type ?? '').toLowerCase() === 'not null',
    hasDefault: Boolean(
      definition.default_val || definition.auto_increment || definition.generated,
    ),
    constraints: [],
  };
  if (
    typeof length === 'number' &&
    ['char', 'varchar', 'binary', 'varbinary', 'bit'].includes(type)
  ) {
    column.length = length;
  }
  if (dataType === 'tinytext') column.length = 255;
  const suffix = ((definition.definition?.suffix ?? []) as unknown[]).map((entry) =>
    String(entry).toLowerCase(),
  );
  if (suffix.includes('unsigned')) column.check = { min: 0 };
  if (type === 'enum') {
    const values = ((definition.definition?.expr?.value ?? []) as Any[]).map(
      (entry) => entry.value,
    );
    column.check = {
      oneOf: values.filter((value) => typeof value === 'string' || typeof value === 'number'),
    };
  }
  const primary = Boolean(definition.primary_key);
  if (primary) {
    column.constraints.push({ kind: 'primary', columns: [name] });
    column.notNull = true;
    // SQLite: an INTEGER PRIMARY KEY is the rowid, numbered when left out.
    if (dialect === 'sqlite' && dataType === 'integer') column.hasDefault = true;
  }
  if (definition.unique || definition.unique_or_primary === 'unique') {
    column.constraints.push({ kind: 'unique', columns: [name] });
  }
  if (definition.check) {
    const constraint = otherConstraint(definition.check);
    if (constraint) column.constraints.push(constraint);
  }
  if (definition.reference_definition) {
    const reference = otherReference(definition.reference_definition);
    column.constraints.push({ kind: 'foreign', columns: [name], ...reference });
  }
  return column;
}

function otherReference(reference: Any): {
  table: string;
  references: string[];
  onDelete?: OnDelete;
} {
  const action = ((reference.on_action ?? []) as Any[]).find((entry) =>
    /delete/i.test(String(entry.type)),
  );
  const value = String(action?.value?.value ?? action?.value ?? '').toLowerCase();
  const onDelete = (['cascade', 'set null', 'set default', 'restrict'] as const).find(
    (entry) => entry === value,
  );
  return {
    table: otherTableName(reference.table?.[0]),
    references: ((reference.definition ?? []) as Any[]).map(columnName),
    ...(onDelete ? { onDelete } : {}),
  };
}

function otherConstraint(definition: Any): ConstraintDefinition | undefined {
  const type = String(definition.constraint_type ?? '').toLowerCase();
  const name =
    typeof definition.constraint === 'string'
      ? definition.constraint
      : typeof definition.index === 'string'
        ? definition.index
        : undefined;
  const named = name === undefined ? {} : { name };
  const columns = ((definition.definition ?? []) as Any[]).map(columnName);
  if (type === 'primary key') return { kind: 'primary', ...named, columns };
  if (type.startsWith('unique')) {
    // UNIQUE (name(10)): a prefix of the value is unique, not the value.
    const prefix = ((definition.definition ?? []) as Any[]).some((entry) => entry.suffix);
    return prefix ? undefined : { kind: 'unique', ...named, columns };
  }
  if (type === 'foreign key') {
    return {
      kind: 'foreign',
      ...named,
      columns,
      ...otherReference(definition.reference_definition ?? {}),
    };
  }
  if (type === 'check') {
    if (/not\s+enforced/i.test(String(definition.enforced ?? ''))) return undefined;
    const facts = new Map<string, ColumnCheck>();
    for (const expr of (definition.definition ?? []) as Any[]) checkFacts(otherExpr(expr), facts);
    return { kind: 'check', ...named, facts };
  }
  return undefined;
}

function otherExpr(node: Any | undefined): Expr {
  if (!node) return { kind: 'other' };
  switch (node.type) {
    case 'column_ref':
      return { kind: 'column', name: columnName(node) };
    case 'number':
      return { kind: 'const', value: Number(node.value) };
    case 'single_quote_string':
    case 'string':
    case 'natural_string':
      return { kind: 'const', value: String(node.value) };
    case 'bool':
      return { kind: 'const', value: Boolean(node.value) };
    case 'null':
      return { kind: 'const', value: null };
    case 'unary_expr': {
      const inner = otherExpr(node.expr);
      if (node.operator === '-' && inner.kind === 'const' && typeof inner.value === 'number') {
        return { kind: 'const', value: -inner.value };
      }
      return { kind: 'other' };
    }
    case 'binary_expr': {
      const operator = String(node.operator).toUpperCase();
      if (operator === 'AND')
        return { kind: 'and', args: [otherExpr(node.left), otherExpr(node.right)] };
      const right = node.right as Any | undefined;
      const list = () => ((right?.value ?? []) as Any[]).map(otherExpr);
      if (operator === 'IN') return { kind: 'in', subject: otherExpr(node.left), values: list() };
      if (operator === 'BETWEEN') {
        const [low, high] = list();
        if (!low || !high) return { kind: 'other' };
        return { kind: 'between', subject: otherExpr(node.left), low, high };
      }
      if (['>', '>=', '<', '<=', '='].includes(operator)) {
        return { kind: 'compare', operator, left: otherExpr(node.left), right: otherExpr(right) };
      }
      return { kind: 'other' };
    }
    default:
      return { kind: 'other' };
  }
}
