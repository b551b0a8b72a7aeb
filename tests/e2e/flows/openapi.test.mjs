// Lints docs/openapi.yaml: valid against the OpenAPI 3.1 schema with every
// $ref resolved (@apidevtools/swagger-parser), and the rules that schema
// cannot express: every operation has a response and an operationId or
// summary, and every {param} of a path is a path parameter of each of its
// operations (and no operation declares a path parameter the path lacks).
// Needs no server or browser: `node --test flows/openapi.test.mjs`.
// OPENAPI_FILE=… lints another file (e.g. a deliberately broken copy).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';

const FILE = process.env.OPENAPI_FILE
  ? path.resolve(process.env.OPENAPI_FILE)
  : fileURLToPath(new URL('../../../docs/openapi.yaml', import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// Every operation with its path-level parameters merged in (an operation's
// own parameter overrides the path's one of the same name and location).
function operations(api) {
  const out = [];
  for (const [route, item] of Object.entries(api.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const params = new Map();
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) params.set(`${p.in}:${p.name}`, p);
      out.push({ route, method, op, params: [...params.values()], where: `${method.toUpperCase()} ${route}` });
    }
  }
  return out;
}

describe('docs/openapi.yaml', () => {
  let api;  // dereferenced; set once the document validates

  it('is a valid OpenAPI 3.1 document whose $refs all resolve', async () => {
    const parsed = await SwaggerParser.validate(FILE);
    assert.match(parsed.openapi, /^3\.1\./, 'openapi must be 3.1.x');
    api = await SwaggerParser.dereference(FILE);
    assert.ok(operations(api).length > 0, 'the document has no operations');
  });

  it('gives every operation at least one response and an operationId or summary', (t) => {
    if (!api) return t.skip('the document did not validate');
    const problems = [];
    const ids = new Map();
    for (const { op, where } of operations(api)) {
      if (!op.responses || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
      const named = [op.operationId, op.summary].some((s) => typeof s === 'string' && s.trim() !== '');
      if (!named) problems.push(`${where}: neither operationId nor summary`);
      if (op.operationId) {
        if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} also on ${ids.get(op.operationId)}`);
        ids.set(op.operationId, where);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('declares every {param} of a path as a required path parameter of each operation', (t) => {
    if (!api) return t.skip('the document did not validate');
    const problems = [];
    for (const { route, params, where } of operations(api)) {
      const inTemplate = [...route.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = params.filter((p) => p.in === 'path');
      for (const name of inTemplate) {
        const p = declared.find((d) => d.name === name);
        if (!p) problems.push(`${where}: {${name}} is not declared as a path parameter`);
        else if (p.required !== true) problems.push(`${where}: path parameter ${name} must be required: true`);
      }
      for (const p of declared) {
        if (!inTemplate.includes(p.name)) problems.push(`${where}: path parameter ${p.name} is not in the path`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
