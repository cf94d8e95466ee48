import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruiseHouse, folderCycles, REPO, violationsOf } from './house-rules.ts';

/*
 * The architecture's rules (docs/architecture.md, .dependency-cruiser.cjs) hold for the
 * repository, and they are able to fail: a fixture tree laid out like the repository breaks
 * each one on purpose.
 */
describe('the house’s rules', () => {
  it('hold for the engine, the plugins and the editor', async () => {
    const result = await cruiseHouse(REPO, ['engine/src', 'plugins', 'editor/src']);
    expect(violationsOf(result)).toEqual([]);
    expect(folderCycles(result)).toEqual([]);
  }, 120_000);

  it('catch each kind of break in a tree made to break them', async () => {
    const fixture = path.join(REPO, 'tests', 'fixtures', 'architecture');
    const result = await cruiseHouse(fixture, ['engine/src', 'plugins', 'editor/src']);
    expect(violationsOf(result).sort()).toEqual([
      'editor-takes-only-types-from-the-engine: editor/src/page.ts → engine/src/definitions/duration.ts',
      'engine-names-plugins-only-in-the-installed-list: engine/src/api/surveys.ts → plugins/surveys/src/index.ts',
      'plugins-see-only-the-sdk: plugins/surveys/src/index.ts → engine/src/store/db.ts',
      'plugins-see-only-the-sdk: plugins/surveys/src/index.ts → plugins/tasks/src/index.ts',
      'pure-core-does-no-io: engine/src/core/read-file.ts → fs',
      'pure-core-reads-only-stored-types: engine/src/definitions/duration.ts → engine/src/store/db.ts',
      'store-is-the-bottom: engine/src/store/db.ts → engine/src/workers/dispatch.ts',
    ]);
    expect(folderCycles(result)).toEqual([['api', 'workers']]);
  }, 120_000);
});
