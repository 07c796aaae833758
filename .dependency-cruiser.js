/** Architecture rules, checked by `npm run lint`. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'Domain files (events, commands, deciders, errors) are plain TypeScript: no framework, GraphQL, database or adapter imports.',
      severity: 'error',
      from: { path: '\\.(events|commands|decider|errors)\\.ts$' },
      to: {
        path: [
          'node_modules/@nestjs',
          'node_modules/graphql',
          'node_modules/@apollo',
          'node_modules/better-sqlite3',
          'node_modules/@eventstore',
          'node_modules/class-validator',
          'node_modules/class-transformer',
          '/sqlite/',
          '/eventstoredb/',
          '/graphql/',
        ],
      },
    },
    {
      name: 'libs-use-public-surface',
      comment: 'A library uses another through its index.ts (the @kansli/<lib> alias), never through its internals.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'apps-use-public-surface',
      comment: 'The app composes libraries through their index.ts only.',
      severity: 'error',
      from: { path: '^(apps|test|bench)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'production-code-not-from-tests',
      comment: 'Application and library code never imports test support.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['\\.spec\\.ts$', '\\.contract\\.ts$', '^libs/testing/'] },
      to: { path: '^libs/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^data/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
