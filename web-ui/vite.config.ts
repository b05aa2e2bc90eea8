/// <reference types="vitest" />
import { defineConfig } from 'vite';

// Preact through esbuild's own JSX transform: no framework plugin to install.
// The build lands in the Maven module's output so the jar serves it from classpath:/static.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 200,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/actuator': 'http://localhost:8080', '/v3': 'http://localhost:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
