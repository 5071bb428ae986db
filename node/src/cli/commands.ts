/**
 * The table of `ferry` commands: names, arguments, flags and help texts. Parsing, `--help` and the
 * README's reference all come from this one table, so a flag cannot be parsed without being described.
 */

export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly multiple?: boolean
  readonly short?: string
  /** Placeholder of the value in help texts. */
  readonly value?: string
  readonly description: string
}

export interface CommandSpec {
  /** 'send', 'contacts add', ... */
  readonly name: string
  /** Positional arguments; a trailing `?` marks an optional one, a trailing `...` (last only) one or more. */
  readonly args: readonly string[]
  readonly options: Readonly<Record<string, OptionSpec>>
  readonly summary: string
  readonly description: readonly string[]
  readonly examples: readonly string[]
  /** JSON lines the command prints with --json. */
  readonly json: string
}

/** Flags every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  data: {
    type: 'string',
    value: 'DIR',
    description:
      'data directory (default: $FERRY_HOME, else $XDG_DATA_HOME/ferry, else ~/.local/share/ferry)',
  },
  json: { type: 'boolean', description: 'print one JSON object per line; errors as one JSON line on stderr' },
  listen: {
    type: 'string',
    multiple: true,
    value: 'MULTIADDR',
    description:
      'listening address of this device when it runs the node (repeatable; default $FERRY_LISTEN, else /ip4/0.0.0.0/tcp/0)',
  },
  help: { type: 'boolean', short: 'h', description: 'show help' },
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    args: [],
    options: {
      relay: {
        type: 'string',
        multiple: true,
        value: 'MULTIADDR',
        description: 'a relay of this account, ending in /p2p/<relay peer id> (repeatable; at least one)',
      },
    },
    summary: 'create a new account with this device as its primary',
    description: [
      'Creates the account key and this device (number 1), publishes the device list and the first',
      'pre-keys on the relays, and prints the account ID, the device number and an invite link (with a',
      'QR code of the invite unless --json). Give the invite to people who should be able to write to you.',
    ],
    examples: ['ferry init --relay /dns4/relay.example.org/tcp/4001/p2p/12D3KooW…'],
    json: '{"accountId","deviceId","invite","primary","peerId","relays"}',
  },
  {
    name: 'id',
    args: [],
    options: {},
    summary: "print this device's account ID, device number and invite (with a QR code)",
    description: ['Prints the account ID, the device number, the invite link and a QR code of the invite.'],
    examples: ['ferry id', 'ferry --json id'],
    json: '{"accountId","deviceId","invite","primary","peerId","relays"}',
  },
  {
    name: 'daemon',
    args: [],
    options: {},
    summary: 'run the node until SIGINT or SIGTERM, serving JSON-RPC on DIR/ferry.sock',
    description: [
      'Runs the node: receives from direct connections and the relays, keeps the outbox going, and',
      'stores every event before telling any client. Other ferry commands on the same data directory',
      'go through its socket (DIR/ferry.sock, mode 0600). Prints one ready line on stdout. On SIGINT',
      'or SIGTERM it stops the node, closes the store and exits 0. A second daemon on DIR is refused.',
    ],
    examples: ['ferry daemon', 'ferry --data ~/ferry-work daemon --listen /ip4/0.0.0.0/tcp/4002'],
    json: '{"ready":true,"socket","accountId","deviceId","pid"}',
  },
  {
    name: 'contacts add',
    args: ['ID_OR_INVITE'],
    options: {
      name: { type: 'string', value: 'NAME', description: 'a local name to use in place of the ID' },
    },
    summary: 'add (or rename) a contact from an account ID or invite link',
    description: [
      'Adds a contact and fetches its device list from the relays named in the invite. A bare account',
      "ID is looked up on this account's relays. Adding an existing contact again renames it.",
    ],
    examples: ['ferry contacts add "ferry://invite/ferry1…?relay=…" --name alice'],
    json: '{"accountId","name"?,"addedAt","relays","devices","deviceListVersion"?,"verifiedAt"?}',
  },
  {
    name: 'contacts list',
    args: [],
    options: {},
    summary: 'list contacts',
    description: ['One line per contact: name, account ID and device numbers.'],
    examples: ['ferry contacts list'],
    json: 'one contact per line, as for contacts add',
  },
  {
    name: 'send',
    args: ['TO', 'TEXT'],
    options: {},
    summary: 'send a text to a contact (name, account ID or invite); TEXT "-" reads standard input',
    description: [
      "Encrypts the text for every device of the contact (and, as a sync transcript, for this account's",
      'other devices), delivers it directly or deposits it on their relays, and returns once every',
      'recipient device is covered: a direct acknowledgement or a durable relay deposit. Prints the',
      'message ID and the status of each device. Exits 7 if a device is still pending when it returns',
      '(after 30 s); the outbox keeps trying (in the daemon, or the next time this device runs the node).',
    ],
    examples: ['ferry send alice "see you at 6"', 'echo "from a script" | ferry send alice -'],
    json: '{"id","devices":[{"account","device","status"}]}',
  },
  {
    name: 'receive',
    args: [],
    options: {
      follow: { type: 'boolean', short: 'f', description: 'keep printing new events until interrupted' },
      timeout: {
        type: 'string',
        short: 't',
        value: 'S',
        description:
          'stop after S seconds without a new event (default: 5 when this process runs the node, 0 through a daemon; none with --follow)',
      },
      since: {
        type: 'string',
        value: 'CURSOR',
        description: 'print the events after CURSOR (default: after the last one printed for the subscriber)',
      },
      subscriber: {
        type: 'string',
        value: 'NAME',
        description: 'whose cursor to resume from and advance (default: cli)',
      },
    },
    summary: 'print received messages and other events, resuming where the last receive stopped',
    description: [
      "Every event (messages received, messages sent from this account's other devices, receipts,",
      'delivery status, identity and device-list changes) is stored with an increasing cursor before',
      'any client is told. receive prints the events after the cursor it printed last (kept in',
      'DIR/cursors/NAME per subscriber), so each one is shown once even when no client was attached',
      'while it arrived. --since CURSOR replays from a given point. Cursors are saved once the lines',
      'are written: a receive killed mid-way prints at most its last unsaved events again.',
    ],
    examples: ['ferry receive', 'ferry --json receive --follow', 'ferry receive --since 0 --subscriber bot'],
    json: '{"type":"message","cursor","id","conversation","direction","from","fromDevice","text","sentAt","receivedAt"}; group messages also have "group"; other types: receipt, status, identity-changed, device-list, group, typing',
  },
  {
    name: 'history',
    args: ['TO'],
    options: {
      limit: {
        type: 'string',
        value: 'N',
        description: 'at most N messages, the newest (default 50, at most 1000)',
      },
      before: { type: 'string', value: 'MESSAGE_ID', description: 'the messages before this one' },
    },
    summary: 'print the messages of a conversation (a contact, or a group by ID or name), oldest first',
    description: ['Prints the newest messages of a conversation (both directions), oldest first.'],
    examples: ['ferry history alice --limit 20'],
    json: 'one message per line: {"id","conversation","direction","from","fromDevice","text","sentAt","receivedAt","recipients"}',
  },
  {
    name: 'status',
    args: ['MESSAGE_ID'],
    options: {},
    summary: 'print a message and, for one this device sent, the status per recipient device',
    description: [
      'Statuses: pending (not yet covered), stored (held by a relay), delivered (the device stored it),',
      'read (the recipient read it).',
    ],
    examples: ['ferry status 5f0c…'],
    json: '{"id","conversation","direction","from","fromDevice","text","sentAt","receivedAt","recipients":[{"account","device","status"}]}',
  },
  {
    name: 'verify',
    args: ['TO'],
    options: {
      approve: {
        type: 'boolean',
        description: "accept the contact's current identity keys (after an identity change); sending resumes",
      },
      'safety-number': {
        type: 'string',
        value: 'DIGITS',
        description: 'with --approve: accept only if this is the current safety number (spaces ignored)',
      },
    },
    summary: 'show the safety number of a contact, or accept its changed identity with --approve',
    description: [
      "The safety number (60 digits and a QR code) is derived from both accounts' keys: compare it with",
      "the contact's in person or over a trusted channel. When a contact's identity key changes, nothing",
      'is sent to the changed device until you accept it with --approve (optionally checking the digits',
      'you compared with --safety-number).',
    ],
    examples: ['ferry verify alice', 'ferry verify alice --approve --safety-number "12345 67890 …"'],
    json: '{"account","safetyNumber"}; with --approve: {"account","approved":true}',
  },
  {
    name: 'link new',
    args: [],
    options: {
      yes: { type: 'boolean', short: 'y', description: 'approve the joining device without asking' },
    },
    summary: 'link another device to this account (on the primary): prints a pairing code, approves the join',
    description: [
      'Prints a pairing code (as text and as a QR code), waits for a device to join with',
      '`ferry link join CODE`, asks for approval (y/N on a terminal, or --yes), and prints the new',
      'device number. Only the primary device can link devices.',
    ],
    examples: ['ferry link new', 'ferry --json link new --yes'],
    json: '{"code"} when the code is ready, then {"deviceId"} when the device joined',
  },
  {
    name: 'link join',
    args: ['CODE'],
    options: {},
    summary: 'join an existing account as a new device (on a fresh data directory)',
    description: [
      "Joins the account whose primary showed CODE (`ferry link new`), stores this device's keys and",
      'prints the account ID and the device number.',
    ],
    examples: ['ferry --data ~/.local/share/ferry-laptop link join "ferry-link:…"'],
    json: '{"accountId","deviceId","invite","primary","peerId","relays"}',
  },
  {
    name: 'devices list',
    args: [],
    options: {},
    summary: "list this account's devices",
    description: ["One line per device of the account's device list."],
    examples: ['ferry devices list'],
    json: 'one device per line: {"deviceId","current","createdAt"}',
  },
  {
    name: 'devices remove',
    args: ['N'],
    options: {},
    summary: 'remove device N from the account (on the primary)',
    description: [
      'Publishes a new device list without device N: nothing new is encrypted to it, and its mailboxes',
      'are dropped.',
    ],
    examples: ['ferry devices remove 2'],
    json: '{"removed":N}',
  },
  {
    name: 'group create',
    args: ['NAME', 'MEMBER...'],
    options: {},
    summary: 'create a group with this account as its admin and the given contacts as members',
    description: [
      'Creates a group named NAME with the contacts given (names, account IDs or invites; at least one).',
      "Every member device, and this account's other devices, get the group and its key over their",
      'pairwise sessions. Members need not be contacts of each other. Prints the group.',
    ],
    examples: ['ferry group create crew bob carol dave'],
    json: '{"id","name","revision","members":[{"account","admin","self"}],"admin","left","createdAt","online"}',
  },
  {
    name: 'group add',
    args: ['GROUP', 'MEMBER...'],
    options: {},
    summary: 'add contacts to a group (admins only); they read what is sent from now on',
    description: [
      'GROUP is the group ID or its name. The new members get the group and a new key; they cannot read',
      'what was sent before they joined. Exits 3 if this account is not an admin of the group.',
    ],
    examples: ['ferry group add crew erin'],
    json: 'the group, as for group create',
  },
  {
    name: 'group remove',
    args: ['GROUP', 'MEMBER'],
    options: {},
    summary: 'remove a member from a group (admins only); it reads nothing sent afterwards',
    description: [
      'Every remaining member device gets a new group key and every remaining member rotates its sender',
      'key, so the removed member reads nothing sent from now on. Exits 3 if this account is not an admin.',
    ],
    examples: ['ferry group remove crew dave'],
    json: 'the group, as for group create',
  },
  {
    name: 'group leave',
    args: ['GROUP'],
    options: {},
    summary: 'leave a group (on every device of this account)',
    description: [
      "Tells every member device, and this account's other devices. The last admin to leave first makes",
      'the longest-standing member an admin.',
    ],
    examples: ['ferry group leave crew'],
    json: '{"group","left":true}',
  },
  {
    name: 'group send',
    args: ['GROUP', 'TEXT'],
    options: {},
    summary: 'send a text to a group; TEXT "-" reads standard input',
    description: [
      'Encrypts the text once, publishes it to the online member devices over gossipsub, and after a',
      'short wait for their receipts deposits it once per relay for the member devices that did not',
      'confirm it. Prints the message ID and the receipts ("delivered to 7 of 9"). Exits 7 if a device',
      'is still pending when it returns (after 30 s); the outbox keeps trying.',
    ],
    examples: ['ferry group send crew "see you all at 6"'],
    json: '{"id","group","receipts":{"total","delivered","read","stored","pending"},"devices":[{"account","device","status"}]}',
  },
  {
    name: 'group list',
    args: [],
    options: {},
    summary: 'list the groups of this device',
    description: ['One line per group: ID, name, members, whether this account is an admin or has left.'],
    examples: ['ferry group list'],
    json: 'one group per line, as for group create',
  },
  {
    name: 'group info',
    args: ['GROUP'],
    options: {},
    summary: 'show a group: its members, admins, revision and online member devices',
    description: [
      'GROUP is the group ID or its name. "online" counts the member devices this device is connected',
      "to on the group's gossip topic (0 when the node is not running).",
    ],
    examples: ['ferry group info crew', 'ferry --json group info 5f0c…'],
    json: 'the group, as for group create',
  },
]

/** Words that take a subcommand. */
export const GROUPS: Readonly<Record<string, readonly string[]>> = {
  contacts: ['add', 'list'],
  link: ['new', 'join'],
  devices: ['list', 'remove'],
  group: ['create', 'add', 'remove', 'leave', 'send', 'list', 'info'],
}

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name)
}
