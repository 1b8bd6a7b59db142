import { chmod, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { glob } from 'tinyglobby'
import { defineBuildConfig } from 'unbuild'
import { buildSimulatorScript, SIMULATOR_SCRIPT_FILE } from './simulator/build'

// The published package: every library file compiled one to one into dist/ (same layout as the
// repository, so the module's relative paths hold in both), with .d.ts beside it. The dashboard
// (app/, server/) is not part of it.
export default defineBuildConfig({
  entries: [
    {
      builder: 'mkdist',
      input: '.',
      outDir: 'dist',
      pattern: [
        'vue.ts',
        'protocol/**/*.ts',
        'tabs/**/*.ts',
        'stores/**/*.ts',
        'composables/**/*.ts',
        'components/**/*.ts',
        'modules/**/*.ts',
        'simulator/**/*.ts',
        // The simulator page runs in the browser only: it ships as one bundled script instead.
        '!simulator/{page,view,event-log,jwt,parent-origin,sms-greeting}.ts',
      ],
      ext: 'js',
      // Fields as constructor assignments, the shorter output the source compiled to in apps before.
      esbuild: { tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } } } as Record<string, unknown>,
      declaration: true,
      addRelativeDeclarationExtensions: true,
    },
  ],
  clean: true,
  hooks: {
    async 'build:done'() {
      await addDeclarationExtensions('dist')
      await writeFile(`dist/simulator/${SIMULATOR_SCRIPT_FILE}`, await buildSimulatorScript())
      await chmod('dist/simulator/cli.js', 0o755)
    },
  },
})

/**
 * Gives every relative specifier in the declarations its `.js` file, as Node's ESM resolution
 * needs: mkdist rewrites most of them but not `export type * from './x'`.
 */
async function addDeclarationExtensions(dir: string): Promise<void> {
  for (const file of await glob('**/*.d.ts', { cwd: dir, absolute: true })) {
    const text = await readFile(file, 'utf8')
    const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+?)\2/g, (match, lead: string, quote: string, path: string) => {
      if (/\.(js|json)$/.test(path)) return match
      const target = existsSync(join(dirname(file), `${path}.d.ts`)) ? `${path}.js` : `${path}/index.js`
      return `${lead}${quote}${target}${quote}`
    })
    if (fixed !== text) await writeFile(file, fixed)
  }
}
