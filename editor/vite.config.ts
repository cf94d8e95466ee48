import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { pluginScreens } from './plugin-screens.ts';

// `pnpm --filter @tend/editor dev` serves the editor with hot reload and sends API calls to a
// running engine (TEND_URL, default the engine's own default address), so cookies stay same-origin.
const engine = process.env.TEND_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react(), pluginScreens()],
  // Plugins' screens bring their own import of React: one copy for the whole page.
  resolve: { dedupe: ['react', 'react-dom'] },
  server: {
    proxy: {
      '/api': engine,
      '/health': engine,
    },
  },
  build: {
    // TEND_EDITOR_OUT: another folder, for a build with other plugins (tests of TEND_PLUGINS).
    outDir: process.env.TEND_EDITOR_OUT ?? 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
