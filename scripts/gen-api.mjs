// Writes the OpenAPI document and the web client's TypeScript types from the server routes.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const { generateOpenApi, GENERATED_DIR } = await import('../packages/server/src/openapi.ts');
const { document, types } = await generateOpenApi();
await writeFile(path.join(GENERATED_DIR, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
await writeFile(path.join(GENERATED_DIR, 'schema.ts'), types);
console.log(`写入 ${GENERATED_DIR}/openapi.json 与 schema.ts`);
