import { defineConfig } from 'vite';

// The build lands in the Maven module's output so the jar serves it from classpath:/static.
export default defineConfig({
  build: {
    outDir: 'target/classes/static',
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/actuator': 'http://localhost:8080' },
  },
});
