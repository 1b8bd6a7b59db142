import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends } from './support/backends'
import type { TestDatabase } from './support/backends'
import type { Contact } from '../../../server/utils/contacts'
import { insertContacts, listContacts } from '../../../server/utils/contacts'
import type { ContactInput } from '../../../server/utils/contact-input'
import { migrations } from '../../../server/utils/migrations'
import { normalizePhone } from '../../../server/utils/phone'
import { contactSearchText, searchWords, SHORT_WORD } from '../../../server/utils/search-text'

// First names are never the start of another one, so a name's order is the same in every collation.
const FIRST = ['Bea', 'Hanna', 'Joanna', 'Vilja', 'Tor']
const LAST = ['Ann', 'Annala', 'Anttila', 'Vanhanen', 'Rautanen', 'Vilen']
const COMPANY = ['Ann Oy', 'Annex AB', 'Banana Ltd', null]

const people: ContactInput[] = Array.from({ length: 180 }, (_, i) => ({
  name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}`,
  phone: `+44 7700 9${String(i * 7).padStart(5, '0')}`,
  company: COMPANY[i % COMPANY.length]!,
  email: null,
  notes: null,
}))

/**
 * The ranking rule, worked out by hand over every contact: every word whole first, then every
 * word a word start, then the rest; within a group, blocks of `block` hits in the order the
 * contacts were added, each block by name.
 */
function expectedOrder(q: string, block: number, contacts = people): string[] {
  const words = searchWords(q)
  const tierOf = (person: ContactInput): number | null => {
    const text = contactSearchText({ name: person.name, company: person.company, phoneNormalized: normalizePhone(person.phone) })
    if (words.every(word => text.includes(` ${word} `))) return 0
    if (words.every(word => text.includes(` ${word}`))) return 1
    if (words.every(word => text.includes(word.length <= SHORT_WORD ? ` ${word}` : word))) return 2
    return null
  }
  const hits = contacts.map((person, index) => ({ person, index, tier: tierOf(person) })).filter(hit => hit.tier !== null)
  const ordered: string[] = []
  for (const tier of [0, 1, 2]) {
    const group = hits.filter(hit => hit.tier === tier)
    for (let start = 0; start < group.length; start += block) {
      const sorted = group.slice(start, start + block).sort((a, b) => a.person.name.toLowerCase() < b.person.name.toLowerCase() ? -1 : a.person.name.toLowerCase() > b.person.name.toLowerCase() ? 1 : a.index - b.index)
      ordered.push(...sorted.map(hit => `${hit.person.name} #${hit.index}`))
    }
  }
  return ordered
}

const QUERIES = ['ann', 'anna', 'an', 'a', 'nn', 'ann oy', 'vil', 'anni', 'banana bea', '9001', '07700 9001', 'nobody']
// Small caps and blocks reach every path with few contacts: a whole window, a capped one that holds
// the page, one that does not, and pages across blocks and groups.
const TUNINGS = [{ countCap: 10_000, block: 2000 }, { countCap: 10_000, block: 7 }, { countCap: 25, block: 7 }, { countCap: 25, block: 2000 }, { countCap: 60, block: 4 }, { countCap: 8, block: 3 }]
const LIMIT = 6

for (const backend of backends) {
  describe(`contact search on ${backend.name}`, () => {
    let database: TestDatabase
    const label = (contact: Contact) => `${contact.name} #${contact.id - firstId}`
    let firstId = 0

    beforeAll(async () => {
      database = await backend.create()
      const created = await database.app.db.transaction().execute(trx => insertContacts(trx, people))
      firstId = created[0]!.id
    })
    afterAll(() => database?.drop())

    it('pages every query in the ranking rule\'s order, with the count up to the cap, whatever the cap and block', async () => {
      for (const q of QUERIES) {
        for (const { countCap, block } of TUNINGS) {
          const expected = expectedOrder(q, block)
          const total = Math.min(expected.length, countCap)
          const seen: string[] = []
          for (let offset = 0; offset < Math.max(total, 1); offset += LIMIT) {
            const page = await listContacts(database.app.db, { q, limit: LIMIT, offset, countCap, block })
            const where = `q=${q} cap=${countCap} block=${block} offset=${offset}`
            expect({ total: page.total, capped: page.totalCapped }, where).toEqual({ total, capped: expected.length > countCap })
            expect(page.items.map(label), where).toEqual(expected.slice(offset, Math.min(offset + LIMIT, total)))
            seen.push(...page.items.map(label))
          }
          expect(new Set(seen).size, `q=${q} cap=${countCap} block=${block}`).toBe(seen.length)
        }
      }
    })

    it('finds the same contacts typed with accents, capitals or spaces in a number', async () => {
      const names = async (q: string) => (await listContacts(database.app.db, { q, limit: 200, offset: 0 })).items.map(label)
      expect(await names('ÄNN ÖY')).toEqual(await names('ann oy'))
      expect(await names('Vilén')).toEqual(await names('vilen'))
      expect(await names('077 00 90 01')).toEqual(await names('07700 9001'))
    })

    it('ranks the contacts of a database made by the previous release the same once it is migrated, and the ones added after', async () => {
      const before = migrations.filter(migration => migration.name !== 'contact search: PostgreSQL word index').at(-1)!.version
      const { app: old, open, drop } = await backend.create({ migrateUpTo: before })
      try {
        await old.db.transaction().execute(trx => insertContacts(trx, people.slice(0, 60)))
        const migrated = await open({ migrateUpTo: undefined })
        const labels = async (q: string) => (await listContacts(migrated.db, { q, limit: 200, offset: 0 })).items.map(contact => contact.name)
        const byRule = (q: string, contacts: ContactInput[]) => expectedOrder(q, 2000, contacts).map(entry => entry.replace(/ #\d+$/, ''))
        for (const q of ['ann', 'anna', 'an', 'ann oy', '9001']) expect(await labels(q), q).toEqual(byRule(q, people.slice(0, 60)))
        const added = { name: 'Zed Annberg', phone: '+44 7700 900999', company: null, email: null, notes: null }
        await insertContacts(migrated.db, [added])
        expect(await labels('annberg')).toEqual(['Zed Annberg'])
        expect(await labels('ann')).toEqual(byRule('ann', [...people.slice(0, 60), added]))
      }
      finally {
        await drop()
      }
    })
  })
}
