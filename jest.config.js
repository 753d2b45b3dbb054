/** Jest in ESM mode (Nest 12 is ESM-only): run with NODE_OPTIONS=--experimental-vm-modules. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@fts/domain$': '<rootDir>/libs/domain/src/index.ts',
    '^@fts/py-compat$': '<rootDir>/libs/py-compat/src/index.ts',
    '^@fts/proto$': '<rootDir>/libs/proto/src/index.ts',
    '^@fts/migrations$': '<rootDir>/migrations/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/libs/**/src/**/*.spec.ts', '<rootDir>/apps/api/src/**/*.spec.ts', '<rootDir>/apps/api/test/**/*.spec.ts', '<rootDir>/migrations/src/**/*.spec.ts', '<rootDir>/clients/typescript/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
};
