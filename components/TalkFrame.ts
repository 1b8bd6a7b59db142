import { computed, defineComponent, h, hasInjectionContext, inject, onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue'
import type { PropType } from 'vue'
import { createTalkBridge } from '../protocol/index'
import type { TalkDiagnostic, TalkEventMap, TalkOriginRule } from '../protocol/index'
import { useTalkStore } from '../stores/talk'
import { resolveAllowedOrigins, resolveTalkSrc, talkOptionsKey } from '../composables/talk-options'
import type { TalkOptions } from '../composables/talk-options'

/** What `<TalkFrame>` shows when neither `src` nor the simulator is configured. */
export const NO_TALK_URL_MESSAGE = 'No LeadDesk Talk URL configured: set NUXT_PUBLIC_LEADDESK_TALK_SRC or leaddeskTalk.src (Nuxt), or the src option of createTalk (Vue)'

const accept = <T>() => (_payload: T) => true

/**
 * The LeadDesk Talk iframe, connected to the store. The iframe is created on the client only,
 * after the bridge listens for messages: Talk posts `login` once, as soon as it loads, and
 * has no handshake, so a frame that existed before the listener could lose that login.
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
    const iframe = shallowRef<HTMLIFrameElement | null>(null)
    const listening = ref(false)
    const failure = ref<string | null>(null)
    const src = computed(() => resolveTalkSrc({ src: props.src ?? options.src, simulatorUrl: options.simulatorUrl }))
    let disconnect: (() => void) | null = null
    let onLoad = () => {}

    function onDiagnostic(diagnostic: TalkDiagnostic) {
      store.diagnose(diagnostic)
      emit('diagnostic', diagnostic)
    }

    function connect() {
      disconnect?.()
      disconnect = null
      listening.value = false
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
        disconnect = () => {
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
    onMounted(() => {
      mounted = true
      connect()
    })
    // A new URL is a new Talk session: a new bridge, then a new iframe.
    watch(src, () => {
      if (mounted) connect()
    })
    onBeforeUnmount(() => {
      mounted = false
      disconnect?.()
      disconnect = null
    })
    expose({ iframe })

    return () => {
      const message = failure.value ?? (src.value ? null : NO_TALK_URL_MESSAGE)
      if (message) return h('p', { 'role': 'alert', 'class': 'talk-frame-error', 'data-talk-frame': '' }, message)
      const width = props.width ?? options.width ?? 400
      const height = props.height ?? options.height ?? 800
      return h('div', {
        'class': 'talk-frame',
        'data-talk-frame': '',
        'style': props.responsive ? { width: '100%', height: '100%' } : undefined,
      }, listening.value
        ? [h('iframe', {
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
        : [])
    }
  },
})
