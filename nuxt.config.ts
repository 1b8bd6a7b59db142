export default defineNuxtConfig({
  srcDir: 'app',
  compatibilityDate: '2026-11-01',
})
