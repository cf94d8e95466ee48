import { type Caller, type PluginEnv, pluginApis } from '@tend/plugin-sdk';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { PluginHost } from '../plugins-host/plugin-host.ts';
import { pluginSchema } from '../store/plugin-migrations.ts';
import type { AppEnv, Principal } from './app-env.ts';
import { optionalPrincipal } from './auth.ts';
import { can } from './permissions.ts';

type PluginVariables = PluginEnv['Variables'];

function callerOf(principal: Principal | null): PluginVariables {
  const caller: Caller | null = principal
    ? {
        name: principal.name,
        role: principal.role,
        scope: principal.scope,
        ...(principal.user
          ? { user: { id: principal.user.id, email: principal.user.email, name: principal.user.name } }
          : {}),
      }
    : null;
  return { caller, can: (permission) => (principal ? can(principal.role, permission) : false) };
}

/** The plugin's routes read these through PluginEnv; the engine's context carries them too. */
const pluginVariables = (c: Context<AppEnv>) =>
  c.set.bind(c) as unknown as <K extends keyof PluginVariables>(key: K, value: PluginVariables[K]) => void;

function setCaller(c: Context<AppEnv>, principal: Principal | null) {
  const vars = callerOf(principal);
  const set = pluginVariables(c);
  set('caller', vars.caller);
  set('can', vars.can);
}

/** Mounts each plugin's API routes at /api/<prefix>, behind the engine's authentication. */
export function mountPluginApis(api: Hono<AppEnv>, host: PluginHost): void {
  for (const plugin of host.registry.plugins()) {
    for (const routes of pluginApis(plugin.routes)) {
      const prefix = `/${routes.prefix ?? plugin.name}`;
      const ctx = host.context(plugin.name);
      const app = routes.app(ctx);
      api.use(
        `${prefix}/*`,
        createMiddleware<AppEnv>(async (c, next) => {
          setCaller(c, c.var.principal);
          // The replica's tables of this plugin are in the same schema as the primary's.
          pluginVariables(c)('lagTolerantDb', async () => {
            const reads = await c.var.readsThatMayLag();
            return reads.from === 'replica' ? reads.db.withSchema(pluginSchema(plugin.name)) : ctx.db;
          });
          await next();
        }),
      );
      api.route(prefix, app as unknown as Hono<AppEnv>);
    }
  }
}

/**
 * Mounts each plugin's public routes (pages customers open, provider callbacks) at `/`. Every
 * route and middleware of such an app must lie under the paths the plugin declared: checked here,
 * at start, so a plugin cannot answer (or watch) requests meant for the engine or another plugin.
 */
export function mountPluginPages(
  app: Hono<AppEnv>,
  host: PluginHost,
  /** The per-client rate limit of a path: of every request, or of refused ones only. */
  limit: (refusedOnly: boolean) => MiddlewareHandler,
): void {
  for (const plugin of host.registry.plugins()) {
    const routes = plugin.routes?.public;
    if (!routes) continue;
    const pages = routes.app(host.context(plugin.name)) as Hono<PluginEnv>;
    for (const route of pages.routes) {
      const inside = routes.paths.some((p) => route.path === p || route.path.startsWith(`${p}/`));
      if (!inside) {
        throw new Error(
          `plugin "${plugin.name}": its public route ${route.method} ${route.path} lies outside its paths (${routes.paths.join(', ')})`,
        );
      }
    }
    for (const path of routes.paths) {
      const limiter = limit(routes.countRefusedOnly?.includes(path) ?? false);
      for (const pattern of [path, `${path}/*`]) {
        app.use(pattern, limiter);
        app.use(
          pattern,
          createMiddleware<AppEnv>(async (c, next) => {
            setCaller(c, await optionalPrincipal(c));
            await next();
          }),
        );
      }
    }
    app.route('/', pages as unknown as Hono<AppEnv>);
  }
}
