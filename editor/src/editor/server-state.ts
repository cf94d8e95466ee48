import { ApiError, api, unwrap } from '../api/client.ts';
import type { Positions } from '../model/layout.ts';

export interface VersionInfo {
  version: number;
  createdAt: string;
  createdBy: string | null;
  source: string | null;
  message: string | null;
}

/** What the engine holds about a journey: its versions, the YAML of the latest and published ones. */
export interface ServerJourney {
  exists: boolean;
  name: string;
  publishedVersion: number | null;
  latestVersion: number | null;
  versions: VersionInfo[];
  latestYaml: string | null;
  publishedYaml: string | null;
  layout: Positions;
}

/** Reads a version's YAML. */
export async function versionYaml(id: string, version: number): Promise<string> {
  const row = await unwrap(
    api.workflows[':id'].versions[':version'].$get({ param: { id, version: String(version) } }),
  );
  return (row as { yaml: string }).yaml;
}

/** Loads a journey from the engine; a journey never saved is `exists: false`. */
export async function loadServerJourney(id: string): Promise<ServerJourney> {
  const layout = await unwrap(api.workflows[':id'].layout.$get({ param: { id } }));
  let detail: {
    name: string;
    publishedVersion: number | null;
    latestVersion: number;
    versions: VersionInfo[];
  };
  try {
    detail = (await unwrap(api.workflows[':id'].$get({ param: { id } }))) as unknown as typeof detail;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return {
        exists: false,
        name: id,
        publishedVersion: null,
        latestVersion: null,
        versions: [],
        latestYaml: null,
        publishedYaml: null,
        layout: {},
      };
    }
    throw error;
  }
  const latestYaml = await versionYaml(id, detail.latestVersion);
  const publishedYaml =
    detail.publishedVersion === null
      ? null
      : detail.publishedVersion === detail.latestVersion
        ? latestYaml
        : await versionYaml(id, detail.publishedVersion);
  return {
    exists: true,
    name: detail.name,
    publishedVersion: detail.publishedVersion,
    latestVersion: detail.latestVersion,
    versions: detail.versions,
    latestYaml,
    publishedYaml,
    layout: layout.positions,
  };
}
