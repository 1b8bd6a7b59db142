import { defineConfig } from 'vitest/config'

// `npm run test:package`: packs the package and installs it into fresh consumer apps. It needs the
// npm registry (the apps' own dependencies), so it is its own run, not part of `npm test`.
export default defineConfig({
  test: {
    name: 'package',
    include: ['tests/package/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 900_000,
    fileParallelism: false,
  },
})
