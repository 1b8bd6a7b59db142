import { createConfigForNuxt } from '@nuxt/eslint-config/flat'

export default createConfigForNuxt({
  features: { stylistic: true, typescript: { strict: false } },
}).append({ ignores: ['.nuxt/**', '.output/**', 'node_modules/**', 'tests/fixtures/**/.nuxt/**', 'tests/fixtures/**/.output/**', 'tests/fixtures/**/dist/**', '.data/**', 'dist/**'] })
