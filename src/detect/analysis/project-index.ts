// Every parsed file of a project with its imports, and the module resolution between them, so
// that detectors can follow a value or a call from one file into another.
import path from 'node:path';
import type * as TS from 'typescript';
import { aliasCandidates } from '../../project/module-aliases.js';
import type { Project, SourceFile } from '../../project/types.js';
import { ts } from '../../typescript.js';
import { collectImports, type ImportBinding } from './imports.js';

export interface IndexedFile {
  source: SourceFile;
  ast: TS.SourceFile;
  imports: ReadonlyMap<string, ImportBinding>;
}

const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const INDEX_FILES = ['/index.ts', '/index.tsx', '/index.js', '/index.mjs', '/index.cjs'];
// Compiled ESM TypeScript imports './x.js' while the file on disk is './x.ts'.
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};

export class ProjectIndex {
  private readonly byPath = new Map<string, IndexedFile>();

  constructor(
    readonly project: Project,
    files: readonly { source: SourceFile; ast: TS.SourceFile }[],
  ) {
    for (const file of files) {
      this.byPath.set(file.source.path, { ...file, imports: collectImports(file.ast) });
    }
  }

  get files(): IterableIterator<IndexedFile> {
    return this.byPath.values();
  }

  file(filePath: string): IndexedFile | undefined {
    return this.byPath.get(filePath);
  }

  fileOfNode(node: TS.Node): IndexedFile | undefined {
    return this.byPath.get(node.getSourceFile().fileName);
  }

  /** The project file a relative import points at, or undefined for a package import. */
  resolveModule(fromFile: string, specifier: string): IndexedFile | undefined {
    if (specifier.startsWith('.')) {
      return this.resolvePath(
        path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier)),
      );
    }
    for (const candidate of aliasCandidates(this.project.pathAliases, fromFile, specifier)) {
      const found = this.resolvePath(candidate);
      if (found) return found;
    }
    return this.resolveWorkspacePackage(specifier);
  }

  /** `@shop/common` or `@shop/common/db`: a package of the project itself. */
  private resolveWorkspacePackage(specifier: string): IndexedFile | undefined {
    const pkg = this.project.packages.find(
      (candidate) =>
        candidate.dir !== '' &&
        (specifier === candidate.name || specifier.startsWith(`${candidate.name}/`)),
    );
    if (!pkg) return undefined;
    const subpath = specifier.slice(pkg.name.length).replace(/^\//, '');
    if (subpath)
      return (
        this.resolvePath(`${pkg.dir}/${subpath}`) ?? this.resolvePath(`${pkg.dir}/src/${subpath}`)
      );
    const main = pkg.manifest.main
      ? path.posix.normalize(`${pkg.dir}/${pkg.manifest.main}`)
      : undefined;
    return (
      (main ? this.resolvePath(main) : undefined) ??
      this.resolvePath(`${pkg.dir}/src/index`) ??
      this.resolvePath(`${pkg.dir}/index`)
    );
  }

  private resolvePath(base: string): IndexedFile | undefined {
    const extension = path.posix.extname(base);
    const candidates = [
      ...(SOURCE_FOR_OUTPUT[extension] ?? []).map(
        (source) => base.slice(0, -extension.length) + source,
      ),
      ...RESOLVE_SUFFIXES.map((suffix) => base + suffix),
      ...INDEX_FILES.map((suffix) => base + suffix),
    ];
    for (const candidate of candidates) {
      const found = this.byPath.get(candidate);
      if (found) return found;
    }
    return undefined;
  }

  /** The node an export name of a file is bound to: a declaration or an expression. */
  exported(file: IndexedFile, name: string, depth = 0): TS.Node | undefined {
    for (const statement of file.ast.statements) {
      const reexported = depth < 8 ? this.reexport(file, statement, name, depth) : undefined;
      if (reexported) return reexported;
      const found = exportIn(statement, name);
      if (found) return found;
    }
    return undefined;
  }

  /** `export { x } from './x.js'`, `export { y as x } from …`, `export * from './all.js'`. */
  private reexport(
    file: IndexedFile,
    statement: TS.Statement,
    name: string,
    depth: number,
  ): TS.Node | undefined {
    if (
      !ts.isExportDeclaration(statement) ||
      !statement.moduleSpecifier ||
      !ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      return undefined;
    }
    const target = this.resolveModule(file.source.path, statement.moduleSpecifier.text);
    if (!target) return undefined;
    const clause = statement.exportClause;
    if (!clause) return name === 'default' ? undefined : this.exported(target, name, depth + 1);
    if (!ts.isNamedExports(clause)) return undefined;
    const element = clause.elements.find((candidate) => candidate.name.text === name);
    return element
      ? this.exported(target, (element.propertyName ?? element.name).text, depth + 1)
      : undefined;
  }
}

function hasExportModifier(node: TS.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function isDefaultExport(node: TS.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)
  );
}

function exportIn(statement: TS.Statement, name: string): TS.Node | undefined {
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
    if (!hasExportModifier(statement)) return undefined;
    if (name === 'default' ? isDefaultExport(statement) : statement.name?.text === name)
      return statement;
    return undefined;
  }
  if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
    return statement.declarationList.declarations.find(
      (declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name,
    );
  }
  if (ts.isExportAssignment(statement) && !statement.isExportEquals) {
    return name === 'default' ? statement.expression : undefined;
  }
  if (
    ts.isExportDeclaration(statement) &&
    statement.exportClause &&
    ts.isNamedExports(statement.exportClause)
  ) {
    const element = statement.exportClause.elements.find(
      (candidate) => candidate.name.text === name,
    );
    return element ? (element.propertyName ?? element.name) : undefined;
  }
  if (ts.isExpressionStatement(statement)) return commonJsExport(statement.expression, name);
  return undefined;
}

/** `module.exports = …`, `module.exports = { a }`, `exports.a = …`, `module.exports.a = …`. */
function commonJsExport(expression: TS.Expression, name: string): TS.Node | undefined {
  if (
    !ts.isBinaryExpression(expression) ||
    expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken
  ) {
    return undefined;
  }
  const target = expression.left.getText();
  const value = expression.right;
  if (target === 'module.exports') {
    if (name === 'default') return value;
    if (ts.isObjectLiteralExpression(value)) {
      for (const property of value.properties) {
        if (ts.isShorthandPropertyAssignment(property) && property.name.text === name)
          return property.name;
        if (ts.isPropertyAssignment(property) && property.name.getText() === name)
          return property.initializer;
        if (ts.isMethodDeclaration(property) && property.name.getText() === name) return property;
      }
    }
    return undefined;
  }
  if (target === `exports.${name}` || target === `module.exports.${name}`) return value;
  return undefined;
}
