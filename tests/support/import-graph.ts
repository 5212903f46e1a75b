// The real import graph of a source tree, parsed by the TypeScript compiler (not matched by a
// regular expression, which misses multi-line imports and re-exports and counts commented-out
// ones): every `import … from`, `export … from`, `import x = require()` and `import('…')` with a
// literal specifier, resolved to the file it names. Only relative imports inside the tree count;
// packages and Node built-ins are leaves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`, or every named binding `type`: erased when the code runs. */
  typeOnly: boolean;
}

export interface ImportGraph {
  /** Absolute root the paths below are relative to. */
  root: string;
  /** Every .ts file of the tree, relative to `root` with forward slashes. */
  files: string[];
  edges: ImportEdge[];
}

function typeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false; // `import './x.ts'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

function typeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((element) => element.isTypeOnly)
  );
}

/** The specifiers a file imports, with whether each import is erased at run time. */
export function importsOf(fileName: string, source: string): Array<{ specifier: string; typeOnly: boolean }> {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: typeOnlyImport(node) });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: typeOnlyExport(node) });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteral(literal)) found.push({ specifier: literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Parses every .ts file under `root` (recursively) into its graph of relative imports. */
export function importGraph(root: string): ImportGraph {
  const absolute = readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const edges: ImportEdge[] = [];
  for (const file of absolute) {
    for (const { specifier, typeOnly } of importsOf(file, readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier);
      // Outside the tree (the core importing nothing else is checked elsewhere) or not a file here.
      if (!target.startsWith(root + path.sep) || !existsSync(target)) continue;
      edges.push({ from: relative(file), to: relative(target), typeOnly });
    }
  }
  return { root, files: absolute.map(relative), edges };
}

/** The folder of a file relative to the root ("backtest/kernels" for "backtest/kernels/rsi-kernel.ts"). */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/**
 * One cycle through `start` in the graph given by `next`, as the list of nodes with `start` at both
 * ends ("a → b → a"), or null when `start` is on none. Breadth-first, so the cycle is a shortest one.
 */
export function cycleThrough(start: string, next: (node: string) => readonly string[]): string[] | null {
  const cameFrom = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const target of next(node)) {
      if (target === start) {
        const cycle = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at))
          cycle.push(at);
        cycle.push(start);
        return cycle.reverse();
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return null;
}

/** A shortest path from `from` to `to` ("a → b → c"), or null when `to` cannot be reached. */
export function pathBetween(
  from: string,
  to: string,
  next: (node: string) => readonly string[],
): string[] | null {
  if (from === to) return [from];
  const cameFrom = new Map<string, string>([[from, from]]);
  const queue: string[] = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const target of next(node)) {
      if (cameFrom.has(target)) continue;
      cameFrom.set(target, node);
      if (target === to) {
        const path = [to];
        for (let at = node; at !== from; at = cameFrom.get(at)!) path.push(at);
        path.push(from);
        return path.reverse();
      }
      queue.push(target);
    }
  }
  return null;
}

/** Adjacency from edges, optionally mapped (e.g. to folders) and filtered; self-loops dropped. */
export function adjacency(
  edges: readonly ImportEdge[],
  options: { map?: (file: string) => string; keep?: (edge: ImportEdge) => boolean } = {},
): (node: string) => string[] {
  const map = options.map ?? ((file: string) => file);
  const out = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (options.keep && !options.keep(edge)) continue;
    const from = map(edge.from);
    const to = map(edge.to);
    if (from === to) continue;
    if (!out.has(from)) out.set(from, new Set());
    out.get(from)!.add(to);
  }
  return (node) => [...(out.get(node) ?? [])].sort();
}

/** The edges behind one step of a folder cycle, for the failure message ("a/x.ts → b/y.ts"). */
export function edgesBetween(edges: readonly ImportEdge[], fromFolder: string, toFolder: string): string[] {
  return edges
    .filter((edge) => folderOf(edge.from) === fromFolder && folderOf(edge.to) === toFolder)
    .map((edge) => `${edge.from} → ${edge.to}`);
}
