/**
 * The few DOM helpers the demo needs: typed element lookup and element creation with text (never
 * HTML strings, so nothing a contact sends can become markup).
 */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id)
  if (element === null) {
    throw new Error(`the page has no #${id}`)
  }
  return element as T
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { className?: string; text?: string; attrs?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (options.className !== undefined) {
    element.className = options.className
  }
  if (options.text !== undefined) {
    element.textContent = options.text
  }
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    element.setAttribute(name, value)
  }
  element.append(...children)
  return element
}

/** Shows `element` and hides the others. */
export function showOnly(element: HTMLElement, ...others: HTMLElement[]): void {
  element.hidden = false
  for (const other of others) {
    other.hidden = true
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
