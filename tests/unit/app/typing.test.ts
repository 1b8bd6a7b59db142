// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { isTypingIn } from '../../../app/utils/typing'

function element(html: string): Element {
  const host = document.createElement('div')
  host.innerHTML = html
  return host.firstElementChild!
}

describe('isTypingIn', () => {
  it('counts fields that take text, and Talk\'s frame, as typing', () => {
    for (const html of ['<input>', '<input type="search">', '<textarea></textarea>', '<select></select>', '<div contenteditable="true"></div>', '<iframe></iframe>']) {
      expect(isTypingIn(element(html)), html).toBe(true)
    }
  })

  it('does not count buttons, checkboxes, radios or plain elements, so shortcuts and the call alert act there', () => {
    for (const html of ['<input type="checkbox">', '<input type="radio">', '<input type="submit">', '<button>Call</button>', '<a href="/">Contacts</a>', '<div></div>']) {
      expect(isTypingIn(element(html)), html).toBe(false)
    }
    expect(isTypingIn(null)).toBe(false)
  })
})
