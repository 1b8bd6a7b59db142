import fc from 'fast-check'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { CSV_READ_OPTIONS, escapeFormula, toCsv, unescapeFormula } from '../../../server/utils/csv-format'
import { contactCsvCells, readContactsCsv } from '../../../server/utils/contacts-csv'
import { foldText, likePattern, searchWords } from '../../../server/utils/search-text'

async function* bytesOf(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part)
}

/** Reads a contacts CSV (in the given pieces) and returns the staged rows' lines and the reported errors. */
async function read(...parts: string[]) {
  const staged: number[] = []
  const result = await readContactsCsv(bytesOf(...parts), async (rows) => {
    staged.push(...rows.map(row => row.line))
  })
  return { staged, errors: result.errors }
}

describe('CSV', () => {
  it('numbers rows by the physical line they start on, also after quoted line breaks and blank lines', async () => {
    const { staged, errors } = await read('name,phone,notes\r\nTwo Lines,0401111111,"a\r\nb"\r\n', '\r\nAfter Blank,0402222222,\nLf Only,0403333333,')
    expect(staged).toEqual([2, 5, 6])
    expect(errors).toEqual([])
  })

  it('reports broken quoting on the line where the row starts and goes on with the next rows', async () => {
    const { staged, errors } = await read('name,phone\nGood,0401111111\nBad,x"y\nAlso Good,0402222222\nOpen,"0403\n')
    expect(staged).toEqual([2, 4])
    expect(errors).toEqual([
      { line: 3, field: 'row', reason: 'has a quote inside an unquoted cell' },
      { line: 5, field: 'row', reason: 'has a quoted cell that is never closed' },
    ])
  })

  it('writes cells that parse back to the same values', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
      // A row of one empty cell is a blank line, which readers skip.
      fc.pre(rows.every(row => row.some(cell => cell !== '')))
      // A cell that already starts with ' and a formula character reads back without the ' (the guard's one ambiguity).
      fc.pre(rows.every(row => row.every(cell => !cell.startsWith('\''))))
      const safe = rows.map(row => row.map(escapeFormula))
      const text = toCsv(safe[0]!, safe.slice(1))
      expect(parse(text, CSV_READ_OPTIONS).map((row: string[]) => row.map(unescapeFormula))).toEqual(rows)
    }))
  })

  it('ends lines with CRLF and quotes a cell holding a lone line break', () => {
    expect(toCsv(['a', 'b'], [['x\ny', 'z'], ['q"q', 'c,d']])).toBe('a,b\r\n"x\ny",z\r\n"q""q","c,d"\r\n')
  })

  it('escapes cells a spreadsheet would run as formulas, and undoes it on import', () => {
    for (const cell of ['=1+1', '+SUM(A1)', '-2', '@cmd', '\tx', '\rx', '\nx', '\uFF1D1+1', '\uFF0BSUM(A1)', '\uFF0D2', '\uFF20cmd']) {
      expect(escapeFormula(cell)).toBe(`'${cell}`)
      expect(unescapeFormula(escapeFormula(cell))).toBe(cell)
    }
    expect(escapeFormula('Aino')).toBe('Aino')
    expect(unescapeFormula('\'quoted')).toBe('\'quoted')
    expect(toCsv(['n'], [['=cmd'], [-2], [null]])).toBe('n\r\n\'=cmd\r\n-2\r\n\r\n')
  })

  it('escapes phones a spreadsheet would read as arithmetic, like every other cell', () => {
    const contact = { name: '=cmd|"/c calc"!A1', phone: '+358 40 123 4567', company: null, email: null, notes: null }
    expect(contactCsvCells(contact)).toEqual(['\'=cmd|"/c calc"!A1', '\'+358 40 123 4567', '', '', ''])
    for (const phone of ['-40-300-0005', '+1-1', '+HYPERLINK(1)', '=1', '@1', '\t040']) expect(contactCsvCells({ ...contact, phone })[1]).toBe(`'${phone}`)
    expect(contactCsvCells({ ...contact, phone: '040 123 4567' })[1]).toBe('040 123 4567')
  })
})

describe('search words', () => {
  it('folds case and accents and reads a phone-like query as one digit word', () => {
    expect(foldText('Järvinen ÅBERG')).toBe('jarvinen aberg')
    expect(searchWords('Matti  Jär')).toEqual(['matti', 'jar'])
    expect(searchWords('+358 40-12')).toEqual(['3584012'])
    expect(searchWords('900 12')).toEqual(['90012'])
    expect(searchWords('---')).toEqual([])
  })

  it('matches a short word at word starts and a longer one anywhere', () => {
    expect(likePattern('ab', 'substring')).toBe('% ab%')
    expect(likePattern('abc', 'substring')).toBe('%abc%')
    expect(likePattern('abc', 'prefix')).toBe('% abc%')
    expect(likePattern('abc', 'exact')).toBe('% abc %')
  })
})
