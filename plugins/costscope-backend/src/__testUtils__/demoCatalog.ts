import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';

/** The repository's examples/ folder: the demo catalog and billing generator. */
export const EXAMPLES = path.resolve(__dirname, '../../../../examples');

/** The demo organisation and its software, as the catalog reads them. */
export async function demoCatalog(): Promise<Entity[]> {
  const docs: Entity[] = [];
  for (const file of ['org.yaml', 'entities.yaml']) {
    const text = await fs.readFile(path.join(EXAMPLES, file), 'utf8');
    docs.push(
      ...parseAllDocuments(text)
        .map(doc => doc.toJSON() as Entity)
        .filter(Boolean),
    );
  }
  return docs;
}
