import type { TalkTabState } from '../stores/talk'

/** What `<TalkFrame>` shows in a tab that does not host Talk. */
export const TALK_ELSEWHERE_MESSAGE = 'LeadDesk Talk is open in another tab'

/** The button that moves Talk to this tab. */
export const USE_TALK_HERE_LABEL = 'Use Talk in this tab'

/** The sentence `<TalkFrame>` announces (a live region) after Talk moved between tabs; `''` when nothing moved. */
export function tabChangeNotice({ role, hostKnown, change }: TalkTabState): string {
  if (!change || role === 'independent' || role === 'connecting') return ''
  if (change.here) {
    if (role !== 'host') return ''
    return change.cause === 'previous-closed'
      ? 'The tab that had LeadDesk Talk was closed, so Talk opened here. Log in again if Talk asks.'
      : 'LeadDesk Talk moved to this tab.'
  }
  switch (change.cause) {
    case 'previous-closed':
      return hostKnown ? 'The tab that had LeadDesk Talk was closed; Talk opened in another tab.' : 'The tab that had LeadDesk Talk was closed.'
    case 'requested':
      return hostKnown ? 'LeadDesk Talk moved to another tab.' : 'LeadDesk Talk is moving to another tab…'
    case 'first':
      return 'LeadDesk Talk opened in another tab.'
  }
}
