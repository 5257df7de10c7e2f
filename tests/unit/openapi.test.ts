import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { openApiDocument } from '@/lib/api/openapi';

const API_DIR = path.resolve(import.meta.dirname, '../../app/api/v1');
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * Every route handler under app/api/v1 with its exported HTTP methods, read from the source
 * with the TypeScript parser (importing the modules would pull in next-auth and the database).
 * Nothing is left out: the public openapi.json route is documented too (with `security: []`).
 */
function routeHandlers(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^route\.(ts|tsx|js|mjs)$/.test(e.name))
        out.set(openApiPath(path.relative(API_DIR, dir)), exportedMethods(p));
    }
  };
  walk(API_DIR);
  return out;
}

/** clouds/[slug] -> /clouds/{slug}; route groups "(x)" vanish from the URL. */
function openApiPath(rel: string): string {
  const segments = rel.split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return '/' + segments.map((s) => s.replace(/^\[(?:\.\.\.)?(\w+)\]$/, '{$1}')).join('/');
}

function exportedMethods(file: string): string[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const exported = (n: ts.Node) =>
    ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const bindingNames = (b: ts.BindingName): string[] =>
    ts.isIdentifier(b)
      ? [b.text]
      : b.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : bindingNames(el.name)));
  for (const st of src.statements) {
    if (ts.isFunctionDeclaration(st) && exported(st) && st.name) names.push(st.name.text);
    else if (ts.isVariableStatement(st) && exported(st))
      for (const d of st.declarationList.declarations) names.push(...bindingNames(d.name));
    else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause))
      for (const el of st.exportClause.elements) names.push(el.name.text);
  }
  return names.filter((n) => HTTP_METHODS.includes(n)).sort();
}

describe('OpenAPI document', () => {
  const doc = openApiDocument();

  test('is OpenAPI 3.1 and JSON-serializable', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  test('finds the route handlers it should (guards the enumeration itself)', () => {
    const routes = routeHandlers();
    expect(routes.get('/clouds/{slug}')).toEqual(['GET']);
    expect(routes.get('/clouds')).toEqual(['GET', 'POST']);
    expect(routes.size).toBeGreaterThanOrEqual(5);
  });

  test('documents exactly the route handlers under app/api/v1 and their methods', () => {
    const fromRoutes = Object.fromEntries([...routeHandlers()].sort(([a], [b]) => a.localeCompare(b)));
    const fromDoc = Object.fromEntries(
      Object.entries(doc.paths)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, ops]) => [
          p,
          Object.keys(ops)
            .map((m) => m.toUpperCase())
            .sort(),
        ]),
    );
    expect(fromDoc).toEqual(fromRoutes);
  });

  test('path parameters match the templated segments', () => {
    for (const [p, ops] of Object.entries(doc.paths)) {
      const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const op of Object.values(ops) as { parameters?: { name: string; in: string }[] }[]) {
        expect(
          (op.parameters ?? [])
            .filter((x) => x.in === 'path')
            .map((x) => x.name)
            .sort(),
          `${p}`,
        ).toEqual(templated);
      }
    }
  });

  test('every $ref resolves and every operation has an id and responses', () => {
    const text = JSON.stringify(doc);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
    const ids = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((o) => (o as { operationId: string }).operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops))
        expect(Object.keys((op as { responses: object }).responses).length).toBeGreaterThan(0);
  });

  // Public by design: the document, (issue 7, SCS-0004) the status of publicly listed clouds and the
  // certificate revocation list, and (issue 13) the instance's public signing key. Any other public
  // operation fails here.
  test('only the document, the public status, the revocation list and the signing key are public', () => {
    const publicOps = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops)
        .filter(
          ([, op]) =>
            Array.isArray((op as { security?: unknown[] }).security) &&
            (op as { security: unknown[] }).security.length === 0,
        )
        .map(([m]) => `${m} ${p}`),
    );
    expect(publicOps.sort()).toEqual([
      'get /certificates/revoked',
      'get /openapi.json',
      'get /signing-key',
      'get /status',
    ]);
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
  });

  test('request schemas come from the lib input schemas', () => {
    const cloud = doc.components.schemas.CloudCreate as {
      required: string[];
      properties: Record<string, { pattern?: string }>;
    };
    expect(cloud.required.sort()).toEqual(['name', 'organization', 'public', 'region', 'slug']);
    expect(cloud.properties.slug.pattern).toBeDefined();
    const org = doc.components.schemas.OrganizationCreate as { required: string[] };
    expect(org.required.sort()).toEqual(['name', 'slug']);
  });
});
