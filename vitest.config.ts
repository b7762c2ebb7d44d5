import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // End-to-end tests share network namespaces and a cached root filesystem: one file at a time.
    fileParallelism: false,
  },
})
