/** End-to-end tests: real HTTP against real (embedded) PostgreSQL. */
module.exports = {
  rootDir: '..',
  testRegex: 'test/.*\\.e2e-spec\\.ts$',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  moduleNameMapper: {
    '^@app/(platform|identity|booking|notifications|forms|delivery)$': '<rootDir>/libs/$1/src',
    '^@app/migrations$': '<rootDir>/migrations',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 60_000,
};
