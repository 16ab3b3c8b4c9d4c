import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dev server proxies the API to a running `doudi serve`, so cookies stay same-origin.
const apiTarget = process.env.DOUDI_API ?? 'http://127.0.0.1:3200';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': apiTarget, '/docs': apiTarget, '/readyz': apiTarget },
  },
  // antd alone is ~1 MB unminified; pages are lazy-loaded, so the warning is noise.
  build: { chunkSizeWarningLimit: 1500 },
});
