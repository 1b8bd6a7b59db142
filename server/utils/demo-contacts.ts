/**
 * Demo contacts for a new database: Finnish, Swedish and British people at made-up companies.
 * Generated from a fixed seed, so every fresh install shows the same ~300 contacts.
 * Numbers: British ones are Ofcom's drama range (+44 7700 900000-900999), Swedish ones PTS's
 * fiction range (+46 70 174 06 05-99); Finland publishes no fiction range, so Finnish ones
 * are +358 40 0xx xxxx samples — call none of them for real.
 */
import type { Db } from './database-schema'
import type { ContactInput } from './contact-input'
import { insertContacts } from './contacts'

const FINNISH_FIRST = ['Aino', 'Eero', 'Helmi', 'Juha', 'Kaisa', 'Lauri', 'Mikko', 'Niina', 'Oona', 'Pekka', 'Riikka', 'Sanna', 'Tuomas', 'Veera', 'Ville', 'Elina', 'Jussi', 'Minna', 'Antti', 'Päivi']
const FINNISH_LAST = ['Virtanen', 'Korhonen', 'Mäkinen', 'Nieminen', 'Hämäläinen', 'Laine', 'Heikkinen', 'Koskinen', 'Järvinen', 'Lehtonen', 'Saarinen', 'Salminen', 'Heinonen', 'Niemi', 'Kinnunen', 'Rantanen']
const FINNISH_COMPANY = ['Kivi ja Puu Oy', 'Pohjolan Kuljetus Oy', 'Saimaan Sähkö Oy', 'Lapin Matkailu Oy', 'Helsingin Konepaja Oy', 'Tampereen Tekstiili Oy', 'Oulun Ohjelmisto Oy', 'Turun Leipomo Oy']
const SWEDISH_FIRST = ['Astrid', 'Björn', 'Elin', 'Gustav', 'Ingrid', 'Johan', 'Karin', 'Lars', 'Maja', 'Nils', 'Sofia', 'Erik', 'Linnea', 'Oskar', 'Wilma', 'Axel']
const SWEDISH_LAST = ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Gustafsson', 'Lindqvist', 'Bergström', 'Åberg', 'Sjöberg']
const SWEDISH_COMPANY = ['Norrlands Trä AB', 'Göta Logistik AB', 'Malmö Mekaniska AB', 'Uppsala Data AB', 'Västkustens Fisk AB', 'Stockholms Byrå AB']
const ENGLISH_FIRST = ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Jack', 'Emily', 'Thomas', 'Grace', 'James', 'Sophie', 'William', 'Chloe', 'Daniel', 'Lucy']
const ENGLISH_LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Davies', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes', 'Clarke']
const ENGLISH_COMPANY = ['Thames Valley Supplies Ltd', 'Northern Rail Parts Ltd', 'Harbour & Co', 'Pennine Software Ltd', 'Westfield Bakery Ltd', 'Kingsbridge Insurance plc']
const NOTES = ['Prefers calls in the morning.', 'Asked for a follow-up next quarter.', 'Decision maker for renewals.', 'Speaks Finnish and Swedish.', 'Call back after the trade fair.', 'Interested in the annual plan.']

/** The seed of the demo data; changing it changes every demo contact. */
export const DEMO_SEED = 20_261_124

/** A small, fast PRNG (mulberry32): the same seed gives the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ascii = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '')

/** The demo contacts: 120 Finnish, 90 Swedish and 90 British, deterministic. */
export function demoContacts(seed = DEMO_SEED): ContactInput[] {
  const random = seededRandom(seed)
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!
  const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('')
  const contacts: ContactInput[] = []
  const person = (first: string[], last: string[], companies: string[], domain: string, phone: string): ContactInput => {
    const name = `${pick(first)} ${pick(last)}`
    const company = random() < 0.8 ? pick(companies) : null
    return {
      name,
      phone,
      company,
      email: random() < 0.7 ? `${ascii(name.split(' ')[0]!)}.${ascii(name.split(' ')[1]!)}@${company ? ascii(company).slice(0, 12) : 'mail'}.${domain}` : null,
      notes: random() < 0.3 ? pick(NOTES) : null,
    }
  }
  for (let i = 0; i < 120; i++) {
    contacts.push(person(FINNISH_FIRST, FINNISH_LAST, FINNISH_COMPANY, 'fi', `+358 40 0${digits(2)} ${digits(4)}`))
  }
  for (let i = 0; i < 90; i++) {
    // PTS reserves 070-174 06 05 to 070-174 06 99 for fiction: 95 numbers, one each.
    contacts.push(person(SWEDISH_FIRST, SWEDISH_LAST, SWEDISH_COMPANY, 'se', `+46 70 174 06 ${String(5 + i).padStart(2, '0')}`))
  }
  for (let i = 0; i < 90; i++) {
    contacts.push(person(ENGLISH_FIRST, ENGLISH_LAST, ENGLISH_COMPANY, 'co.uk', `+44 7700 900${String(100 + i * 7).padStart(3, '0')}`))
  }
  return contacts
}

/** Inserts the demo contacts (call inside the migration's transaction). */
export async function seedDemoContacts(db: Db): Promise<number> {
  return (await insertContacts(db, demoContacts())).length
}
