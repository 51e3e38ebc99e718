import type { Connection } from '@temporalio/client';
// a CommonJS module whose names Node cannot list for an ESM import
import proto from '@temporalio/proto';
import { PROCESS_SEARCH_ATTRIBUTES } from '../workflows/kit/search-attributes';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

export const SEARCH_ATTRIBUTE_NAMES = Object.keys(PROCESS_SEARCH_ATTRIBUTES);

/** `--search-attribute` flags of `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return SEARCH_ATTRIBUTE_NAMES.flatMap((name) => ['--search-attribute', `${name}=Keyword`]);
}

/**
 * Adds the process search attributes the namespace lacks, through the operator service; answers the
 * names it added. A name registered with another type stops the start: workflows setting it would fail.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing = customAttributes ?? {};
  const wrong = SEARCH_ATTRIBUTE_NAMES.filter((name) => name in existing && existing[name] !== KEYWORD);
  if (wrong.length) {
    throw new Error(
      `search attributes ${wrong.join(', ')} exist in namespace ${namespace} with a type other than Keyword`,
    );
  }
  const missing = SEARCH_ATTRIBUTE_NAMES.filter((name) => !(name in existing));
  if (missing.length) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
  }
  return missing;
}
