/**
 * The chat screen: this account (invite link and QR), contacts (add by invite, unread counts),
 * devices (link a new one with a pairing code and QR), one conversation at a time with the delivery
 * status of each sent message, read receipts for what is shown, and the safety-number dialog.
 * Everything is rendered with text nodes; the messenger's events drive the updates.
 */
import type { BrowserMessenger, Contact, Message } from '@ferry/browser'
import { byId, el, errorText } from './dom.js'
import { qrSvg } from './qr.js'

/** How often the connection line in the header is refreshed. */
const NET_STATUS_INTERVAL_MS = 2_000
/** Messages shown per conversation (the newest). */
const HISTORY_LIMIT = 200

const STATUS_ORDER = ['pending', 'stored', 'delivered', 'read'] as const
const STATUS_TEXT: Record<string, string> = {
  pending: 'Sending',
  stored: 'Stored on relay',
  delivered: 'Delivered',
  read: 'Read',
}

/** The least advanced status over the recipient devices: "delivered" means every device has it. */
function overallStatus(message: Message): string {
  let lowest = STATUS_ORDER.length - 1
  for (const recipient of message.recipients) {
    const rank = STATUS_ORDER.indexOf(recipient.status as (typeof STATUS_ORDER)[number])
    lowest = Math.min(lowest, Math.max(rank, 0))
  }
  return message.recipients.length === 0 ? 'pending' : STATUS_ORDER[lowest]!
}

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
}

export async function startChat(messenger: BrowserMessenger, status: HTMLElement): Promise<void> {
  let selected: Contact | undefined
  let contacts: Contact[] = []
  const unread = new Map<string, number>()
  const markedRead = new Set<string>()
  const nameOf = (accountId: string) => contacts.find((c) => c.accountId === accountId)?.name ?? accountId

  const messages = byId<HTMLOListElement>('messages')
  const input = byId<HTMLTextAreaElement>('message-input')
  const sendButton = byId<HTMLButtonElement>('send-button')
  const safetyButton = byId<HTMLButtonElement>('safety-button')

  // ---------------------------------------------------------------- this account
  const me = messenger.account()
  byId('my-id').textContent = `${me.accountId} · device ${me.deviceId}${me.primary ? ' (primary)' : ''}`
  byId('copy-invite').onclick = async (event) => {
    const button = event.currentTarget as HTMLButtonElement
    try {
      await navigator.clipboard.writeText(me.invite)
      button.textContent = 'Copied'
    } catch {
      button.textContent = 'Copy failed: use the QR code'
    }
    setTimeout(() => {
      button.textContent = 'Copy invite link'
    }, 2_000)
  }
  const inviteQr = byId('invite-qr')
  byId('show-invite-qr').onclick = (event) => {
    const button = event.currentTarget as HTMLButtonElement
    inviteQr.hidden = !inviteQr.hidden
    button.setAttribute('aria-expanded', String(!inviteQr.hidden))
    if (!inviteQr.hidden && inviteQr.childElementCount === 0) {
      inviteQr.append(
        qrSvg(me.invite, 'QR code of your invite link'),
        el('p', { className: 'mono small', text: me.invite }),
      )
    }
  }

  // ---------------------------------------------------------------- contacts
  const contactList = byId<HTMLUListElement>('contacts')
  async function renderContacts(): Promise<void> {
    contacts = await messenger.contacts()
    contactList.replaceChildren(
      ...contacts.map((contact) => {
        const count = unread.get(contact.accountId) ?? 0
        const button = el('button', {
          className: 'contact',
          text: contact.name ?? contact.accountId,
          attrs: { type: 'button', 'aria-current': String(contact.accountId === selected?.accountId) },
        })
        if (count > 0) {
          button.append(
            el('span', {
              className: 'unread',
              text: String(count),
              attrs: { 'aria-label': `${count} unread` },
            }),
          )
        }
        button.onclick = () => void select(contact)
        return el('li', {}, button)
      }),
    )
    if (contacts.length === 0) {
      contactList.append(
        el('li', { className: 'small', text: 'No contacts yet: add one with their invite link.' }),
      )
    }
  }

  const addForm = byId<HTMLFormElement>('add-contact')
  addForm.onsubmit = async (event) => {
    event.preventDefault()
    const error = byId('add-error')
    error.textContent = ''
    const invite = byId<HTMLInputElement>('contact-invite')
    const name = byId<HTMLInputElement>('contact-name')
    const button = addForm.querySelector('button')!
    button.disabled = true
    try {
      const contact = await messenger.addContact(invite.value.trim(), { name: name.value.trim() })
      invite.value = ''
      name.value = ''
      await renderContacts()
      await select(contact)
    } catch (err) {
      error.textContent = errorText(err)
    } finally {
      button.disabled = false
    }
  }

  // ---------------------------------------------------------------- devices and linking
  const deviceList = byId<HTMLUListElement>('devices')
  async function renderDevices(): Promise<void> {
    const devices = await messenger.devices().catch(() => [])
    deviceList.replaceChildren(
      ...devices.map((d) =>
        el('li', {
          text: `Device ${d.deviceId}${d.current ? ' — this browser' : ''} · since ${new Date(d.createdAt).toLocaleDateString()}`,
        }),
      ),
    )
  }
  const linkButton = byId<HTMLButtonElement>('link-device')
  linkButton.hidden = !me.primary
  linkButton.onclick = () => {
    const pairing = messenger.createPairing()
    const panel = byId('pairing')
    byId('pairing-code').textContent = pairing.code
    byId('pairing-qr').replaceChildren(qrSvg(pairing.code, 'QR code of the pairing code'))
    const state = byId('pairing-status')
    state.textContent = 'Waiting for the new device…'
    panel.hidden = false
    linkButton.disabled = true
    pairing.completed
      .then(({ deviceId }) => {
        state.textContent = `Device ${deviceId} is linked.`
        return renderDevices()
      })
      .catch((err: unknown) => {
        state.textContent = `Linking failed: ${errorText(err)}`
      })
      .finally(() => {
        linkButton.disabled = false
      })
  }

  // ---------------------------------------------------------------- the conversation
  async function select(contact: Contact): Promise<void> {
    selected = contact
    unread.delete(contact.accountId)
    byId('conversation-title').textContent = contact.name ?? contact.accountId
    input.disabled = false
    sendButton.disabled = false
    safetyButton.disabled = false
    await renderContacts()
    await renderMessages()
    input.focus()
  }

  async function renderMessages(): Promise<void> {
    const contact = selected
    if (contact === undefined) {
      return
    }
    const history = await messenger.history(contact.accountId, { limit: HISTORY_LIMIT })
    if (contact !== selected) {
      return
    }
    const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40
    messages.replaceChildren(
      ...history.map((m) => {
        const mine = m.direction === 'out'
        const state = mine ? overallStatus(m) : undefined
        const meta = el('span', {
          className: 'meta',
          text: `${timeOf(m.sentAt)}${state === undefined ? '' : ` · ${STATUS_TEXT[state] ?? state}`}`,
        })
        return el(
          'li',
          {
            className: `message ${mine ? 'out' : 'in'}`,
            attrs: {
              'data-id': m.id,
              ...(state === undefined ? {} : { 'data-status': state }),
              'aria-label': `${mine ? 'You' : nameOf(m.from)}, ${timeOf(m.sentAt)}${state === undefined ? '' : `, ${STATUS_TEXT[state]}`}`,
            },
          },
          document.createTextNode(m.text),
          meta,
        )
      }),
    )
    if (atBottom) {
      messages.scrollTop = messages.scrollHeight
    }
    if (document.visibilityState === 'visible') {
      const toMark = history.filter((m) => m.direction === 'in' && !markedRead.has(m.id)).map((m) => m.id)
      if (toMark.length > 0) {
        for (const id of toMark) {
          markedRead.add(id)
        }
        await messenger.markRead(toMark).catch(() => {})
      }
    }
  }

  let pending = false
  function scheduleRender(): void {
    if (!pending) {
      pending = true
      requestAnimationFrame(() => {
        pending = false
        void renderMessages()
      })
    }
  }

  byId<HTMLFormElement>('composer').onsubmit = async (event) => {
    event.preventDefault()
    const text = input.value.trim()
    if (selected === undefined || text === '') {
      return
    }
    input.value = ''
    const sending = messenger.send(selected.accountId, text)
    scheduleRender() // the message is stored (pending) before send resolves
    try {
      await sending
    } catch (err) {
      input.value = text
      status.textContent = `Not sent: ${errorText(err)}`
    }
    scheduleRender()
  }
  input.onkeydown = (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      byId<HTMLFormElement>('composer').requestSubmit()
    }
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      scheduleRender()
    }
  })

  // ---------------------------------------------------------------- safety number
  const dialog = byId<HTMLDialogElement>('safety-dialog')
  safetyButton.onclick = async () => {
    if (selected === undefined) {
      return
    }
    const number = await messenger.safetyNumber(selected.accountId)
    byId('safety-title').textContent = `Safety number with ${selected.name ?? selected.accountId}`
    const groups = number.digits.replace(/\s+/g, '').match(/.{1,5}/g) ?? []
    byId('safety-digits').replaceChildren(...groups.map((group) => el('span', { text: group })))
    byId('safety-qr').replaceChildren(qrSvg(number.qr, 'QR code of the safety number'))
    dialog.showModal()
  }

  // ---------------------------------------------------------------- events and the network
  messenger.on('*', (event) => {
    if (event.type === 'message') {
      if (event.conversation === selected?.accountId) {
        scheduleRender()
      } else if (event.direction === 'in') {
        unread.set(event.conversation, (unread.get(event.conversation) ?? 0) + 1)
        void renderContacts()
      }
    } else if (event.type === 'status' || event.type === 'receipt') {
      scheduleRender()
    } else if (event.type === 'device-list') {
      void renderDevices()
    }
  })

  const showNetwork = () => {
    const connections = messenger.connections()
    const direct = new Set(connections.filter((c) => c.transport === 'webrtc').map((c) => c.peerId)).size
    const relays = connections.some((c) => c.transport === 'websocket')
    status.textContent = relays
      ? `Online through the relay${direct > 0 ? ` · direct (WebRTC) to ${direct} device${direct > 1 ? 's' : ''}` : ''}`
      : direct > 0
        ? `Relay unreachable · direct (WebRTC) to ${direct} device${direct > 1 ? 's' : ''}`
        : 'Offline: messages are kept and sent when a relay is reachable'
  }
  await messenger.start()
  showNetwork()
  setInterval(showNetwork, NET_STATUS_INTERVAL_MS)
  await Promise.all([renderContacts(), renderDevices()])
}
