// Writes the OpenAPI document the API serves at /openapi.json, for linting and for client generators.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_VERSION } from '../api/app';
import { buildOpenApiDocument } from '../api/http/openapi';
import { allRoutes } from '../api/routes';

const target = process.argv[2] ?? 'openapi.json';
const document = buildOpenApiDocument(allRoutes, {
  version: API_VERSION,
  serverUrl: process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000',
});
await mkdir(path.dirname(path.resolve(target)), { recursive: true });
await writeFile(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`OpenAPI document written to ${target}`);
