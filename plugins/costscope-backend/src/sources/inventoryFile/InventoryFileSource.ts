import fs from 'node:fs/promises';
import {
  InventoryReadContext,
  InventoryResource,
  InventorySource,
} from '@costscope/backstage-plugin-node';
import { parseInventoryFile } from './parseInventoryFile';

/** Options of an inventory file source, from app-config `costscope.sources[]`. */
export interface InventoryFileSourceOptions {
  id: string;
  /** A JSON file `{ "resources": [...] }` in the shape of InventoryResource. */
  path: string;
}

/**
 * Serves resources from a JSON file: the demo inventory of `npm start`, or an export an
 * adopter produces from a tool Costscope has no source for.
 */
export class InventoryFileSource implements InventorySource {
  readonly id: string;
  readonly description: string;

  constructor(private readonly options: InventoryFileSourceOptions) {
    this.id = options.id;
    this.description = `inventory file ${options.path}`;
  }

  async *read(context: InventoryReadContext): AsyncIterable<InventoryResource> {
    const { id, path } = this.options;
    const text = await fs.readFile(path, 'utf8').catch(error => {
      throw new Error(
        `inventory source '${id}': cannot read ${path}: ${error.message}`,
      );
    });
    context.apiCall('ReadFile');
    let resources: InventoryResource[];
    try {
      resources = parseInventoryFile(text);
    } catch (error) {
      throw new Error(
        `inventory source '${id}': ${path}: ${(error as Error).message}`,
      );
    }
    yield* resources;
  }
}
