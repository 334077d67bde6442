/** The web application is typed from the API as it is: the committed OpenAPI copy and types are current. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './web-api-types.js';

describe('web/src/api generated from the OpenAPI document', () => {
  it('matches the API (run `npm run web:api-types` after changing a route)', async () => {
    for (const [path, text] of await generatedFiles()) expect(await readFile(path, 'utf8'), path).toBe(text);
  }, 60_000);
});
