import type { TalkMetadata } from '../protocol'

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 80) : ''
}

/** The contact's display name found in `setMetadata` data (`name`, `fullName`, `firstName` + `lastName`, or `contact.name`). */
export function contactName(metadata: TalkMetadata | null): string {
  if (!metadata) return ''
  const contact = metadata.contact
  const nested = typeof contact === 'object' && contact !== null && !Array.isArray(contact) ? text(contact.name) : ''
  return text(metadata.name) || text(metadata.fullName)
    || [text(metadata.firstName), text(metadata.lastName)].filter(Boolean).join(' ')
    || nested
}

/** The SMS text Talk prefills from the contact metadata, e.g. "Hello Maria Virtanen". */
export function smsGreeting(metadata: TalkMetadata | null): string {
  const name = contactName(metadata)
  return name ? `Hello ${name}` : 'Hello'
}
