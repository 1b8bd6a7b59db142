import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvLine, escapeFormula, parseCsv, unescapeFormula } from '../../../server/utils/csv'
import { contactCsvCells } from '../../../server/utils/contacts-csv'
import { foldText, prefixUpperBound, queryPrefixes } from '../../../server/utils/search-terms'

describe('CSV', () => {
  it('parses quoted cells with commas, doubled quotes and line breaks, numbering physical lines', () => {
    const records = parseCsv('a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\nlast,one')
    expect(records.map(r => [r.line, r.cells])).toEqual([
      [1, ['a', 'b']],
      [2, ['x, y', 'say "hi"']],
      [3, ['two\nlines', 'z']],
      [5, ['last', 'one']],
    ])
  })

  it('flags broken quoting on the record where it starts', () => {
    expect(parseCsv('a,"open\nb,c')[0]).toMatchObject({ line: 1, problem: 'has a quoted cell that is never closed' })
    expect(parseCsv('a,"x"y')[0]!.problem).toBe('has text after a closing quote')
    expect(parseCsv('a,x"y')[0]!.problem).toBe('has a quote inside an unquoted cell')
  })

  it('writes cells that parse back to the same values', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
      const text = rows.map(csvLine).join('')
      expect(parseCsv(text).map(r => r.cells)).toEqual(rows)
    }))
  })

  it('escapes cells a spreadsheet would run as formulas, and undoes it on import', () => {
    for (const cell of ['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', '\rx']) {
      expect(escapeFormula(cell)).toBe(`'${cell}`)
      expect(unescapeFormula(escapeFormula(cell))).toBe(cell)
    }
    expect(escapeFormula('Aino')).toBe('Aino')
    expect(unescapeFormula('\'quoted')).toBe('\'quoted')
  })

  it('leaves a valid phone number dialable but escapes a formula in the phone column', () => {
    const contact = { name: '=cmd|"/c calc"!A1', phone: '+358 40 123 4567', company: null, email: null, notes: null }
    expect(contactCsvCells(contact)).toEqual(['\'=cmd|"/c calc"!A1', '+358 40 123 4567', '', '', ''])
    expect(contactCsvCells({ ...contact, phone: '+HYPERLINK(1)' })[1]).toBe('\'+HYPERLINK(1)')
  })
})

describe('search words', () => {
  it('folds case and accents and reads a phone-like query as one digit prefix', () => {
    expect(foldText('Järvinen ÅBERG')).toBe('jarvinen aberg')
    expect(queryPrefixes('Matti  Jär')).toEqual(['matti', 'jar'])
    expect(queryPrefixes('+358 40-12')).toEqual(['3584012'])
    expect(queryPrefixes('---')).toEqual([])
  })

  it('bounds a prefix range by the next code point', () => {
    expect(prefixUpperBound('abc')).toBe('abd')
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b')
    expect(prefixUpperBound('\u{10FFFF}')).toBeNull()
  })
})
