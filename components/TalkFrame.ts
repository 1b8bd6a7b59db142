import { computed, defineComponent, h, hasInjectionContext, inject, nextTick, onBeforeUnmount, onMounted, onUnmounted, ref, shallowRef, useId, watch } from 'vue'
import type { PropType, VNode } from 'vue'
import { createTalkBridge } from '../protocol/index'
import type { TalkDiagnostic, TalkEventMap, TalkOriginRule } from '../protocol/index'
import { useTalkStore } from '../stores/talk'
import { resolveAllowedOrigins, resolveTalkSrc, talkOptionsKey } from '../composables/talk-options'
import type { TalkOptions } from '../composables/talk-options'
import { TALK_ELSEWHERE_MESSAGE, tabChangeNotice, USE_TALK_HERE_LABEL } from './tab-notice'

/** What `<TalkFrame>` shows when neither `src` nor the simulator is configured. */
export const NO_TALK_URL_MESSAGE = 'No LeadDesk Talk URL configured: set NUXT_PUBLIC_LEADDESK_TALK_SRC or leaddeskTalk.src (Nuxt), or the src option of createTalk (Vue)'

const accept = <T>() => (_payload: T) => true

/**
 * The LeadDesk Talk iframe, connected to the store. The iframe is created on the client only,
 * after the bridge listens for messages: Talk posts `login` once, as soon as it loads, and
 * has no handshake, so a frame that existed before the listener could lose that login.
 *
 * With tabs sharing Talk (`tabs: 'single'`), only the tab elected to host Talk creates the
 * iframe; the others show that Talk is open in another tab and a "Use Talk in this tab"
 * button. A live region says when Talk moves between tabs. The component emits the events of
 * its own frame only; `useTalk().on()` hears the other tabs' too.
 */
export const TalkFrame = defineComponent({
  name: 'TalkFrame',
  props: {
    /** Talk login URL; overrides the `src` given to `createTalk`. */
    src: { type: String, default: undefined },
    /** The iframe's unique id. Default: `'LD_talk'`. */
    frameId: { type: String, default: undefined },
    width: { type: [Number, String], default: undefined },
    height: { type: [Number, String], default: undefined },
    /** Fill the parent element instead of a fixed size. */
    responsive: { type: Boolean, default: false },
    title: { type: String, default: 'LeadDesk Talk' },
    /** Overrides the `allowedOrigins` given to `createTalk`. */
    allowedOrigins: { type: Array as PropType<TalkOriginRule[]>, default: undefined },
  },
  emits: {
    login: accept<TalkEventMap['login']>(),
    logout: accept<TalkEventMap['logout']>(),
    call: accept<TalkEventMap['call']>(),
    connected: accept<TalkEventMap['connected']>(),
    disconnected: accept<TalkEventMap['disconnected']>(),
    completed: accept<TalkEventMap['completed']>(),
    sms: accept<TalkEventMap['sms']>(),
    error: accept<TalkEventMap['error']>(),
    jwt: accept<TalkEventMap['jwt']>(),
    diagnostic: accept<TalkDiagnostic>(),
  },
  setup(props, { emit, expose }) {
    const options: TalkOptions = hasInjectionContext() ? inject(talkOptionsKey, {}) : {}
    const store = useTalkStore()
    // Set by createTalk before any frame mounts; null: this tab runs its own Talk.
    const tabs = store.tabs
    const iframe = shallowRef<HTMLIFrameElement | null>(null)
    const listening = ref(false)
    const failure = ref<string | null>(null)
    const src = computed(() => resolveTalkSrc({ src: props.src ?? options.src, simulatorUrl: options.simulatorUrl }))
    /** Whether this tab shows Talk: always on its own; when sharing, once elected. */
    const hosting = ref(!tabs)
    const moving = ref(false)
    const moveError = ref<string | null>(null)
    const reasonId = useId()
    let disconnectBridge: (() => void) | null = null
    let onLoad = () => {}

    function onDiagnostic(diagnostic: TalkDiagnostic) {
      store.diagnose(diagnostic)
      emit('diagnostic', diagnostic)
    }

    function disconnect() {
      disconnectBridge?.()
      disconnectBridge = null
      listening.value = false
    }

    function connect() {
      disconnect()
      failure.value = null
      if (!src.value) return
      try {
        const bridge = createTalkBridge({
          // A getter, not the element: the element is created only after this listener exists.
          frame: () => iframe.value?.contentWindow,
          allowedOrigins: resolveAllowedOrigins(props.allowedOrigins ?? options.allowedOrigins, src.value, window.location.href),
          timeout: options.timeout,
          onDiagnostic,
        })
        const detach = store.attach(bridge)
        const offAny = bridge.onAny(event => (emit as (name: string, payload: unknown) => void)(event.action, event))
        // The iframe is created after the bridge, so the bridge cannot listen to it: it is told.
        onLoad = bridge.frameLoaded
        disconnectBridge = () => {
          offAny()
          detach()
          bridge.dispose()
        }
        listening.value = true
      }
      catch (error) {
        failure.value = error instanceof Error ? error.message : String(error)
      }
    }

    let mounted = false
    let leave: (() => void) | null = null
    onMounted(() => {
      mounted = true
      if (!tabs) return connect()
      leave = tabs.join({
        start() {
          hosting.value = true
          if (mounted) connect()
          // Moved here by the button: the agent's next stop is Talk itself.
          if (moving.value) void nextTick(() => iframe.value?.focus())
        },
        async stop() {
          hosting.value = false
          disconnect()
          // Resolved once the iframe is gone from the page: only then may another tab create its own.
          await nextTick()
        },
      })
    })
    // A new URL is a new Talk session: a new bridge, then a new iframe.
    watch(src, () => {
      if (mounted && hosting.value) connect()
    })
    onBeforeUnmount(() => {
      mounted = false
      disconnect()
    })
    // After the iframe has left the page, so the next tab's never overlaps it.
    onUnmounted(() => leave?.())
    expose({ iframe })

    async function useTalkHere() {
      moveError.value = null
      moving.value = true
      try {
        await store.moveTalkHere()
      }
      catch (error) {
        moveError.value = `LeadDesk Talk could not move here: ${error instanceof Error ? error.message : String(error)}`
      }
      finally {
        moving.value = false
      }
    }

    function frame(): VNode[] {
      if (!listening.value) return []
      const width = props.width ?? options.width ?? 400
      const height = props.height ?? options.height ?? 800
      return [h('iframe', {
        key: src.value,
        ref: iframe,
        id: props.frameId ?? options.frameId ?? 'LD_talk',
        title: props.title,
        // The value the Talk spec requires; Talk's login flow may move between LeadDesk hosts.
        allow: 'microphone *',
        src: src.value,
        width: props.responsive ? undefined : width,
        height: props.responsive ? undefined : height,
        style: props.responsive ? { width: '100%', height: '100%', border: '0', display: 'block' } : undefined,
        onLoad: () => onLoad(),
      })]
    }

    /** A tab that does not host Talk: where it is, and the button that brings it here (with why not, during a call). */
    function elsewhere(): VNode {
      const { role, hostKnown } = store.tab
      if (role === 'connecting') return h('p', { key: 'connecting', class: 'talk-frame-connecting' }, 'Connecting to LeadDesk Talk…')
      const reason = moving.value ? 'Moving LeadDesk Talk to this tab…' : store.moveBlockedReason && `${store.moveBlockedReason}: LeadDesk Talk can move here once it is over.`
      return h('div', { key: 'elsewhere', class: 'talk-frame-elsewhere' }, [
        h('p', { class: 'talk-frame-elsewhere-title' }, hostKnown ? TALK_ELSEWHERE_MESSAGE : 'Waiting for LeadDesk Talk in another tab…'),
        h('button', {
          'type': 'button',
          'class': 'talk-frame-use-here',
          'disabled': !!reason,
          'title': reason || undefined,
          'aria-describedby': reason ? reasonId : undefined,
          'onClick': useTalkHere,
        }, USE_TALK_HERE_LABEL),
        reason ? h('p', { id: reasonId, class: 'talk-frame-reason' }, reason) : null,
        moveError.value ? h('p', { role: 'alert', class: 'talk-frame-error' }, moveError.value) : null,
      ])
    }

    return () => {
      const message = hosting.value ? failure.value ?? (src.value ? null : NO_TALK_URL_MESSAGE) : null
      if (message && !tabs) return h('p', { 'role': 'alert', 'class': 'talk-frame-error', 'data-talk-frame': '' }, message)
      const container = {
        'class': 'talk-frame',
        'data-talk-frame': '',
        'style': props.responsive ? { width: '100%', height: '100%' } : undefined,
      }
      if (!tabs) return h('div', container, frame())
      // The live region is always there (a region that appears with its text may go unannounced).
      const notice = h('div', { key: 'notice', class: 'talk-frame-notice', role: 'status' }, tabChangeNotice(store.tab))
      const body = !hosting.value ? elsewhere() : message ? h('p', { key: 'error', role: 'alert', class: 'talk-frame-error' }, message) : frame()
      return h('div', { ...container, 'data-talk-tab': store.tab.role, 'aria-busy': store.tab.role === 'connecting' ? 'true' : undefined }, [notice, body].flat())
    }
  },
})
