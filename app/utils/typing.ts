/**
 * Whether focus is where the agent types (a text field, a select, editable text, or Talk's own
 * frame): the call alert then leaves focus alone and shortcuts leave the keys alone. Checkboxes,
 * radios and buttons take no text, so focus on them does not count.
 */
export function isTypingIn(element: Element | null): boolean {
  return !!element && (element.matches('input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]):not([type=reset]), textarea, select, [contenteditable=""], [contenteditable="true"]') || element.tagName === 'IFRAME')
}
