import { createRequire } from 'node:module'

// The standalone agent dashboard. The Talk module in modules/leaddesk-talk is loaded
// automatically (Nuxt registers modules/*/index.ts); these are its options for the dashboard.
export default defineNuxtConfig({
  devtools: { enabled: process.env.NODE_ENV !== 'production' },
  app: {
    head: {
      htmlAttrs: { lang: 'en' },
      title: 'LeadDesk Agent',
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'description', content: 'Contacts, click-to-call and a live call log for LeadDesk Talk agents.' },
      ],
    },
  },
  css: ['~/assets/dashboard.css'],
  srcDir: 'app',
  // Nitro serves /_nuxt/* and public/ before any middleware: a route rule is how static files get headers.
  routeRules: { '/**': { headers: { 'x-content-type-options': 'nosniff' } } },
  compatibilityDate: '2026-11-01',
  nitro: {
    // SQLite runs in worker threads that load better-sqlite3 by path (server/utils/sqlite-workers.ts):
    // no import names it, so the build's dependency trace is told to copy it into .output.
    externals: { traceInclude: [createRequire(import.meta.url).resolve('better-sqlite3')] },
  },
  leaddeskTalk: {
    // Empty: the module serves the built-in simulator. NUXT_PUBLIC_LEADDESK_TALK_SRC sets real Talk at run time.
    src: '',
    interceptTelLinks: true,
    history: { persist: true, limit: 1000 },
  },
})
