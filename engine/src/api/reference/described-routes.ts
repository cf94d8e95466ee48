import { pluginApis } from '@tend/plugin-sdk';
import type { PluginRegistry } from '../../plugins-host/registry.ts';
import { accountRoutes } from './account-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import type { DescribedRoutes } from './document.ts';
import { referenceRoutes } from './reference-routes.ts';
import { workflowRoutes } from './workflow-routes.ts';

/** Every described route: the engine's (full paths) and each installed plugin's. */
export function describedRoutes(registry: PluginRegistry): DescribedRoutes[] {
  const engine = { ...workflowRoutes, ...customerRoutes, ...accountRoutes, ...referenceRoutes };
  const groups: DescribedRoutes[] = [{ owner: 'engine', base: '', docs: engine }];
  for (const plugin of registry.plugins()) {
    for (const api of pluginApis(plugin.routes)) {
      groups.push({ owner: plugin.name, base: `/api/${api.prefix ?? plugin.name}`, docs: api.openapi ?? {} });
    }
    const pages = plugin.routes?.public;
    if (pages) groups.push({ owner: plugin.name, base: '', docs: pages.openapi ?? {} });
  }
  return groups;
}
