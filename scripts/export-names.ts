/**
 * The names a package entry exports, read from its source: the packages' `test/exports.test.ts`
 * snapshot them, so growing a public surface is a visible decision in review. Entries name
 * every export (`export { a, type B } from './x.js'`); with `verbatimModuleSyntax` a type can
 * only be re-exported with `type`, so the source alone tells values from types.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** An entry's exported names, sorted; `star` lists the modules it re-exports wholesale. */
export interface ExportNames {
  /** Names that exist at run time (functions, classes, constants). */
  values: string[];
  /** Names that exist for TypeScript only (interfaces, type aliases, type-only re-exports). */
  types: string[];
  /** The specifiers of `export * from '…'` lines (an explicit entry has none). */
  star: string[];
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** Reads `file` (a TypeScript entry) and lists what it exports. */
export function exportNames(file: string): ExportNames {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const values = new Set<string>();
  const types = new Set<string>();
  const star: string[] = [];
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node)) {
      const from = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : '';
      if (!node.exportClause) star.push(from);
      else if (ts.isNamespaceExport(node.exportClause)) (node.isTypeOnly ? types : values).add(node.exportClause.name.text);
      else for (const element of node.exportClause.elements) (node.isTypeOnly || element.isTypeOnly ? types : values).add(element.name.text);
    } else if (isExported(node)) {
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) types.add(node.name.text);
      else if (ts.isVariableStatement(node)) {
        for (const declaration of node.declarationList.declarations) if (ts.isIdentifier(declaration.name)) values.add(declaration.name.text);
      } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isEnumDeclaration(node)) && node.name) {
        values.add(node.name.text);
      }
    }
  }
  const sorted = (names: Set<string>): string[] => [...names].sort((a, b) => a.localeCompare(b, 'en'));
  return { values: sorted(values), types: sorted(types), star };
}
