/**
 * Builds the console into dist/ (served by the cloud at /), and `npm run dev:console` serves it with hot reload,
 * forwarding the API to a running cloud (CLOUD_URL, default http://localhost:8080).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { inlineEarlyReads } from './scripts/early-reads.js';
import { preloadPageChunks } from './scripts/page-preload.js';
import { libsGroups, recordShellModules } from './scripts/shell-modules.js';

const cloud = process.env.CLOUD_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), recordShellModules(), preloadPageChunks(), inlineEarlyReads()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The scan build of scripts/build.ts only looks at the chunks.
    write: process.env.CONSOLE_BUILD_WRITE !== 'no',
    // Pages load on demand; the shell's libraries are split so a page change does not invalidate them.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 2 },
            ...libsGroups(),
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: cloud, changeOrigin: false },
      '/docs': cloud,
      '/healthz': cloud,
    },
  },
});
