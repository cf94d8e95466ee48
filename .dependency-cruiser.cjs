/**
 * The house's rules (docs/architecture.md), checked by `pnpm test` (tests/architecture/).
 * Layers of engine/src, bottom to top: store/, queue/ and observability/ (all SQL, the persisted types; metrics, spans) ← the
 * trigger kinds (triggers/) ← the rest of the pure core (definitions/, compiler/, core/) ←
 * catalog/, customers/, lifecycle/, segments/ ← plugins-host/ ← workers/ ← operations/, publishing/, explain/, journey-tests/ ←
 * api/ ← server/, cli/. Folder-level cycles are checked apart (the test collapses modules to
 * their folders: dependency-cruiser's own `circular` sees modules only).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'store-is-the-bottom',
      comment: 'store/ holds all SQL and the persisted types: it imports nothing of the engine above it.',
      severity: 'error',
      from: { path: '^engine/src/store/' },
      to: {
        path: '^engine/src/',
        pathNot: ['^engine/src/(store|queue)/', '^engine/src/(clock|errors|time-ordered-id)\\.ts$'],
      },
    },
    {
      name: 'queue-below-store',
      comment: 'queue/ names pg-boss queues and their payloads; the store inserts jobs in its transactions.',
      severity: 'error',
      from: { path: '^engine/src/queue/' },
      to: { path: '^engine/src/', pathNot: ['^engine/src/queue/', '^engine/src/(config|logger)\\.ts$'] },
    },
    {
      name: 'pure-core-does-no-io',
      comment:
        'definitions, compiler, the transition core and the trigger kinds are pure: no database, queue, network, files or processes.',
      severity: 'error',
      from: { path: '^engine/src/(definitions|compiler|core|triggers)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '^engine/src/(queue|workers|plugins-host|api|server|cli|operations|publishing|postgres|lifecycle|segments|catalog|explain|demo|privacy|accounts)/',
          '^(node:)?(fs|fs/promises|net|http|https|child_process|dgram|dns|tls|worker_threads)$',
          '(^|/)node_modules/(pg|pg-boss|kysely|@hono|hono|nodemailer)/',
        ],
      },
    },
    {
      name: 'pure-core-reads-only-stored-types',
      comment:
        'The pure core knows what the store keeps (run snapshots, history) as types, and calls none of its functions.',
      severity: 'error',
      from: { path: '^engine/src/(definitions|compiler|core|triggers)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^engine/src/store/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'plugins-see-only-the-sdk',
      comment:
        'A plugin is a package that sees only the SDK: never the engine, the editor or another plugin.',
      severity: 'error',
      from: { path: '^plugins/([^/]+)/', pathNot: '^plugins/sdk/' },
      to: { path: ['^engine/', '^editor/', '^plugins/(?!sdk/|$1/)[^/]+/'] },
    },
    {
      name: 'sdk-sees-nothing-of-tend',
      comment: 'The SDK is the contract: it imports no engine, editor or plugin code.',
      severity: 'error',
      from: { path: '^plugins/sdk/' },
      to: { path: ['^engine/', '^editor/', '^plugins/(?!sdk/)'] },
    },
    {
      name: 'editor-takes-only-types-from-the-engine',
      comment:
        'The editor talks to the engine over HTTP (hono/client, typed from the app): it imports the engine only as types.',
      severity: 'error',
      from: { path: '^editor/src/' },
      to: { path: '^engine/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-names-plugins-only-in-the-installed-list',
      comment:
        'The engine knows plugins only through the SDK; their packages are named in one list (loaded by name).',
      severity: 'error',
      from: { path: '^engine/src/', pathNot: '^engine/src/plugins-host/installed-plugins\\.ts$' },
      to: { path: '^plugins/(?!sdk/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '^engine/bench/', 'node_modules/\\.vite'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs'],
    },
  },
};
