/**
 * The demo chat's start: open this browser's Ferry device (or say why it cannot: another tab has it,
 * the browser evicted its store), then either the set-up screen (a new account, or linking to an
 * existing one with a pairing code) or the chat.
 *
 * Page parameters: `?relay=<multiaddr>` pre-fills the relay (repeatable), `?store=<name>` picks
 * another store (several identities in one browser profile, each in its own tab).
 */
import { type BrowserMessenger, createBrowserMessenger, deleteBrowserStore } from '@ferry/browser'
import { startChat } from './chat.js'
import { byId, errorText, showOnly } from './dom.js'

const params = new URLSearchParams(location.search)
const storeName = params.get('store') ?? 'ferry-demo'
/** Plain ws:// to a relay on this machine is allowed only while the page itself is served from it. */
const local = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname)
const RELAY_KEY = 'ferry-demo.relay'

const setup = byId('setup')
const app = byId('app')
const notice = byId('notice')
const status = byId('net-status')

function showNotice(text: string, action?: { label: string; run: () => void }): void {
  byId('notice-text').textContent = text
  const button = byId<HTMLButtonElement>('notice-action')
  button.hidden = action === undefined
  if (action !== undefined) {
    button.textContent = action.label
    button.onclick = () => {
      notice.hidden = true
      action.run()
    }
    button.focus()
  }
  notice.hidden = false
}

async function open(takeOver = false): Promise<void> {
  status.textContent = 'Opening…'
  let messenger: BrowserMessenger
  try {
    messenger = await createBrowserMessenger({
      name: storeName,
      takeOver,
      connectionPolicy: local ? 'loopback' : 'default',
    })
  } catch (err) {
    const name = (err as Error).name
    status.textContent = 'Not running'
    setup.hidden = true
    app.hidden = true
    if (name === 'StoreInUseError') {
      showNotice('Ferry is open in another tab of this browser.', {
        label: 'Use Ferry here instead',
        run: () => void open(true),
      })
    } else if (name === 'RelinkRequiredError') {
      showNotice(
        "This browser's Ferry data was removed by the browser. Link it to your account again (your other devices keep your messages).",
        {
          label: 'Reset and link again',
          run: () => void deleteBrowserStore(storeName).then(() => open()),
        },
      )
    } else {
      showNotice(`Ferry could not start here: ${errorText(err)}`)
    }
    return
  }
  messenger.onTakenOver(() => {
    status.textContent = 'Not running'
    app.hidden = true
    setup.hidden = true
    showNotice('Ferry was opened in another tab.', { label: 'Use Ferry here', run: () => location.reload() })
  })
  if (messenger.hasAccount) {
    await run(messenger)
  } else {
    showSetup(messenger)
  }
}

async function run(messenger: BrowserMessenger): Promise<void> {
  showOnly(app, setup)
  status.textContent = 'Connecting…'
  await startChat(messenger, status)
}

function showSetup(messenger: BrowserMessenger): void {
  showOnly(setup, app)
  status.textContent = 'Not set up'
  const relayInput = byId<HTMLInputElement>('relay-input')
  relayInput.value = params.getAll('relay').join(' ') || (localStorage.getItem(RELAY_KEY) ?? '')
  const error = byId('setup-error')
  const busy = (form: HTMLFormElement, on: boolean) => {
    for (const button of form.querySelectorAll('button')) {
      button.disabled = on
    }
  }

  const createForm = byId<HTMLFormElement>('create-form')
  createForm.onsubmit = async (event) => {
    event.preventDefault()
    error.textContent = ''
    const relays = relayInput.value.split(/\s+/).filter(Boolean)
    busy(createForm, true)
    try {
      await messenger.createAccount({ relays })
      localStorage.setItem(RELAY_KEY, relays.join(' '))
      await run(messenger)
    } catch (err) {
      error.textContent = errorText(err)
      busy(createForm, false)
    }
  }

  const linkForm = byId<HTMLFormElement>('link-form')
  linkForm.onsubmit = async (event) => {
    event.preventDefault()
    error.textContent = ''
    busy(linkForm, true)
    status.textContent = 'Linking…'
    try {
      await messenger.linkDevice(byId<HTMLTextAreaElement>('pairing-input').value.trim())
      await run(messenger)
    } catch (err) {
      error.textContent = errorText(err)
      status.textContent = 'Not set up'
      busy(linkForm, false)
    }
  }
  relayInput.focus()
}

void open()
