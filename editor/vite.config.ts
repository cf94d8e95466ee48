import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm --filter @tend/editor dev` serves the editor with hot reload and sends API calls to a
// running engine (TEND_URL, default the engine's own default address), so cookies stay same-origin.
const engine = process.env.TEND_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': engine,
      '/health': engine,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
