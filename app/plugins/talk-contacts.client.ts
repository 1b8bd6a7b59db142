import { dialMetadata } from '../composables/use-dial-context'
import { callerContact, lookupCaller } from '../composables/use-caller'

/**
 * Caller ID: the Talk store asks the dashboard's server who every ringing number belongs to
 * (in the tab with Talk), shows the contact on the call, and gives it to Talk for its SMS.
 */
export default defineNuxtPlugin({
  name: 'talk-contacts',
  dependsOn: ['leaddesk-talk'],
  setup() {
    defineTalkContactResolver(async number => callerContact(await lookupCaller(number)), { metadata: dialMetadata })
  },
})
