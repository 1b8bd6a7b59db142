import { describeTimings, formatMs, percentile } from '../stats'
import type { BenchModule, BenchRow } from '../types'
import { CALL_STEPS, installStatusProbe, nextStatusChange, openDashboard, runCallStep, statusChanges, talkFrame, waitForStatus } from './page-tools'
import { dashboardSession } from './session'

/** State-changing Talk events timed one by one (a call is four of them). */
const EVENTS = 200
/** One frame at 60 Hz. */
const FRAME_MS = 1000 / 60

/**
 * Two tabs of one browser on the dashboard, one hosting Talk: each Talk event is timed to the
 * host's header status and to the follower's (relayed over BroadcastChannel), in the same run.
 */
export const tabLatency: BenchModule = {
  name: 'tab-latency',
  async run(): Promise<BenchRow[]> {
    const session = await dashboardSession()
    const { context, page: host } = await openDashboard(session, '/')
    try {
      await waitForStatus(host, 'Available')
      const follower = await context.newPage()
      await follower.goto(`${session.url}/`)
      await waitForStatus(follower, 'Available')
      if (await follower.locator('iframe#LD_talk').count()) throw new Error('the second tab hosts Talk too')
      const frame = await talkFrame(host)
      await Promise.all([installStatusProbe(host), installStatusProbe(follower)])
      const inHost: number[] = []
      const inFollower: number[] = []
      const behind: number[] = []
      for (let i = 0; i < EVENTS; i++) {
        const { step, args, status } = CALL_STEPS[i % CALL_STEPS.length]!
        const [hostBefore, followerBefore] = await Promise.all([statusChanges(host), statusChanges(follower)])
        const sent = await runCallStep(frame, step, args)
        const [hostShown, followerShown] = await Promise.all([nextStatusChange(host, hostBefore), nextStatusChange(follower, followerBefore)])
        inHost.push(hostShown - sent)
        inFollower.push(followerShown - sent)
        behind.push(followerShown - hostShown)
        await Promise.all([waitForStatus(host, status), waitForStatus(follower, status)])
      }
      const hostP95 = percentile(inHost, 95)
      const behindP95 = percentile(behind, 95)
      return [
        {
          what: `host tab: Talk event -> header status in DOM (${EVENTS} events)`,
          measured: describeTimings(inHost),
          comparison: `one frame ${FRAME_MS.toFixed(1)} ms`,
          target: '',
          pass: null,
        },
        {
          what: 'follower tab: the same events -> its header status in DOM',
          measured: describeTimings(inFollower),
          comparison: `host p95 ${formatMs(hostP95)}`,
          target: '',
          pass: null,
        },
        {
          what: 'follower behind host, per event (follower DOM - host DOM)',
          measured: describeTimings(behind),
          comparison: `follower p95 - host p95 = ${formatMs(percentile(inFollower, 95) - hostP95)}`,
          target: `p95 <= ${FRAME_MS.toFixed(1)} ms`,
          pass: behindP95 <= FRAME_MS,
        },
      ]
    }
    finally {
      await context.close()
    }
  },
}
