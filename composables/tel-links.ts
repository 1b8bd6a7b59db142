/** Returns the phone number of a `tel:` URL (parameters such as `;ext=` dropped), or `null` for other URLs. */
export function telNumber(href: string | null | undefined): string | null {
  if (!href || !/^tel:/i.test(href.trim())) return null
  let number = href.trim().slice(4).split(/[;?]/)[0] ?? ''
  try {
    number = decodeURIComponent(number)
  }
  catch {
    return null
  }
  return number.trim() || null
}

/**
 * Turns clicks on `tel:` links into calls: one delegated listener on `root` (not one per
 * link, so links added later work too). Modified clicks (new tab, etc.) and clicks another
 * handler already took are left alone. Returns the function that removes the listener.
 */
export function interceptTelLinks(call: (number: string) => unknown, root: Pick<Document, 'addEventListener' | 'removeEventListener'> = document): () => void {
  function onClick(event: Event) {
    const click = event as MouseEvent
    if (click.defaultPrevented || click.button !== 0 || click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return
    const link = (click.target as Element | null)?.closest?.('a[href^="tel:" i]')
    const number = telNumber(link?.getAttribute('href'))
    if (!number) return
    click.preventDefault()
    call(number)
  }
  root.addEventListener('click', onClick)
  return () => root.removeEventListener('click', onClick)
}
