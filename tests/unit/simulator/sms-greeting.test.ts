import { describe, expect, it } from 'vitest'
import { smsGreeting } from '../../../simulator/sms-greeting'

describe('SMS prefill from contact metadata', () => {
  it.each([
    [{ name: 'Maria Virtanen' }, 'Hello Maria Virtanen'],
    [{ firstName: 'Maria', lastName: 'Virtanen' }, 'Hello Maria Virtanen'],
    [{ contact: { name: 'Maria' } }, 'Hello Maria'],
    [{ name: 42 }, 'Hello'],
    [null, 'Hello'],
  ])('greets %j as %j', (metadata, greeting) => {
    expect(smsGreeting(metadata)).toBe(greeting)
  })
})
