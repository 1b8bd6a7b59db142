import type { TestProject } from 'vitest/node'
import { buildDashboardOnce } from './support/dashboard-build'
import { buildPackage } from './support/package-build'

declare module 'vitest' {
  export interface ProvidedContext {
    /** `.output` of the dashboard build shared by every e2e suite ('' when a suite must build its own). */
    dashboardOutputDir: string
  }
}

/**
 * Compiles the package (the fixture apps import its dist/, as an installed copy would), then
 * builds the dashboard once for the whole e2e run, so suites that drive it (dashboard,
 * security, faults) share one build instead of paying for one each. Suites start their own
 * servers (the simulator on 127.0.0.1, apps on localhost) so every test crosses a real origin.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  await buildPackage()
  if (process.env.DASHBOARD_OUTPUT_DIR) {
    project.provide('dashboardOutputDir', '')
    return () => {}
  }
  const build = await buildDashboardOnce()
  project.provide('dashboardOutputDir', build.outputDir)
  return build.dispose
}
