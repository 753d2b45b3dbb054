/**
 * The boundaries of the backend, checked by `npm run lint:deps` (part of
 * `npm run lint`, which scripts/test-all.sh runs after the build).
 * Spec files may reach into test/support; production code may not.
 */
const SPEC = '\\.spec\\.ts$';
/** Node built-ins that do I/O or start processes. */
const NODE_IO = '^(node:)?(fs|fs/promises|net|child_process|http|https|http2|dgram|tls|cluster|worker_threads|readline|dns)$';
const FRAMEWORKS = '(^|/)node_modules/(@nestjs|typeorm|better-sqlite3|express|@grpc|grpc|rxjs|@fts/(api|migrations))/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter and hide which module owns a type: move the shared piece into its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-no-framework',
      comment: 'libs/domain is framework-free: no Nest, TypeORM, SQLite driver, Express or gRPC.',
      severity: 'error',
      from: { path: '^libs/domain/(src|test)/', pathNot: SPEC },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'domain-no-io',
      comment: 'libs/domain decides from what it is given: no file system, network or processes (specs may read fixtures).',
      severity: 'error',
      from: { path: '^libs/domain/src/', pathNot: SPEC },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'domain-not-apps',
      comment: 'libs/domain never imports from an app.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: { path: '^apps/' },
    },
    {
      name: 'controllers-no-stores',
      comment:
        'Controllers (*.grpc.ts, *.http.ts) call handlers, presenters and mappers; they never reach the event store, the catalog reader, the database or the replay directly.',
      severity: 'error',
      from: { path: '^apps/api/src/.+\\.(grpc|http)\\.ts$' },
      to: {
        path: [
          '^apps/api/src/platform/event-store/',
          '^apps/api/src/platform/replay/',
          '^apps/api/src/platform/database/(?!storage-health\\.ts$)',
          '[.-](store|repository)\\.ts$',
          '(^|/)node_modules/(typeorm|better-sqlite3)/',
        ],
      },
    },
    {
      name: 'handlers-use-catalog-port',
      comment:
        'Handlers and the supervisor read through the domain CatalogReader port (injected by CATALOG_READER), not the concrete SQLite reader.',
      severity: 'error',
      from: { path: ['^apps/api/src/.+\\.handlers\\.ts$', '^apps/api/src/supervisor/'], pathNot: SPEC },
      to: { path: '^apps/api/src/platform/event-store/sqlite-catalog-reader\\.ts$' },
    },
    {
      name: 'src-not-test',
      comment: 'Production code under src/ never imports test support (it would be compiled into dist/); only specs may.',
      severity: 'error',
      from: { path: '^(apps|libs|clients)/[^/]+/src/|^migrations/src/', pathNot: SPEC },
      to: { path: '^(apps|libs|clients)/[^/]+/test/|^migrations/test/' },
    },
    {
      name: 'src-not-specs',
      comment: 'Production code never imports a spec file.',
      severity: 'error',
      from: { pathNot: SPEC },
      to: { path: SPEC },
    },
  ],
  options: {
    doNotFollow: { path: ['(^|/)node_modules/', '(^|/)dist/'] },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.tests.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
