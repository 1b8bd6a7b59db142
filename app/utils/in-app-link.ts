/**
 * Long tables link to contacts with plain `<a href data-app-path>` elements rather than one
 * router link component each: a router link resolves its route, and watches its visibility to
 * prefetch, for every row on every render, which made scrolling the call log and typing in
 * the contact search measurably slower. One click listener on the table makes the plain links
 * navigate inside the app like router links do.
 */

/** The attribute that marks a plain link as an in-app route; its value is the route path. */
export const APP_PATH_ATTRIBUTE = 'data-app-path'

/**
 * Click listener for an element that holds plain in-app links: a plain left click on one
 * navigates with the router; a click with a modifier (new tab or window) is left to the browser.
 */
export function followAppLink(event: MouseEvent): void {
  const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>(`a[${APP_PATH_ATTRIBUTE}]`)
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  void navigateTo(link.getAttribute(APP_PATH_ATTRIBUTE)!)
}
