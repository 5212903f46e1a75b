// The renderer is one static bundle served by both hosts: Electron loads it from app://autobot,
// `autobot serve` from its own origin. Relative asset paths ('./') keep both working.
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: path.resolve(root, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // The CSP forbids inline scripts, so nothing may be inlined as a data: module either.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
});
