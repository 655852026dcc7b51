// Builds the console into web/dist, which `fanzha serve --web-root web/dist` serves at /.
// Everything is bundled: police networks are closed, so no CDN and no web fonts.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  base: '/',
  define: {
    // vue-i18n: messages are compiled at run time; keep the legacy API out of the bundle.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        // Separate vendor chunks so a console update does not re-download the libraries.
        manualChunks: {
          vue: ['vue', 'vue-router', 'vue-i18n'],
          'element-plus': ['element-plus', '@element-plus/icons-vue'],
          echarts: ['echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers'],
        },
      },
    },
  },
  server: {
    // `npm run dev` against a local `fanzha serve` (make run).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
