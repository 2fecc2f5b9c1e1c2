/**
 * The web application's build: Vue single-file components, Element Plus imported per component,
 * the console split from the portal (each page its own chunk), and a manifest that the budget test
 * reads (the portal's first page: at most 250 KB of gzipped JavaScript).
 */
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  // `npx vite web` serves the pages as they are edited, the API from a platform at XINYONG_API.
  server: { proxy: { '/api': process.env.XINYONG_API ?? 'http://127.0.0.1:3000' } },
});
