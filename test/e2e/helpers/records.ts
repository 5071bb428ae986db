/**
 * Device lists and identities made in the test process, for what the `ferry` command cannot make by
 * itself:
 *
 * - `reinstallPrimary`: the account's primary device restored on a new install — the same account key
 *   (restored from a backup of the old data directory), device number 1 again, but new device keys
 *   and a new mailbox, in a device list one version newer that keeps the other devices. This is how a
 *   contact's identity key changes for real; the new directory is then run with `ferry daemon`.
 * - `forgeries`: device lists a rogue relay could serve for an account it does not control — a real
 *   list with its version raised and an intruder's device added under the account's old signature, the
 *   same body signed by the intruder's own account key, and the body with no signature at all.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  AccountKeyPair,
  type CryptoContext,
  createLocalDevice,
  getDefaultProvider,
  issueDeviceList,
  SignatureContext,
  signRecord,
} from '@ferry/crypto'
import { type AccountMailbox, type AccountRecord, openClientStore } from '@ferry/storage'
import { mailboxIdFor } from '@ferry/transport'
import { DeviceListBody, Signed } from '@ferry/wire'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromMultihash, peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ClassicLevel } from 'classic-level'
import * as Digest from 'multiformats/hashes/digest'

async function context(): Promise<CryptoContext> {
  return { provider: await getDefaultProvider(), now: Date.now }
}

function storeAt(dir: string): ClassicLevel<string, Uint8Array> {
  return new ClassicLevel<string, Uint8Array>(join(dir, 'store'))
}

/** The account record of the device in `dir` (its process must not be running). */
export async function readAccount(dir: string): Promise<AccountRecord> {
  const store = await openClientStore(storeAt(dir) as never)
  try {
    const account = await store.account.get()
    if (account === undefined) {
      throw new Error(`no account in ${dir}`)
    }
    return account
  } finally {
    await store.close()
  }
}

/**
 * Restores the primary device of the account in `oldDir` on a new install in `newDir` (see the module
 * comment). The old directory is left as it is; its process must not be running. Returns the new
 * device list's version.
 */
export async function reinstallPrimary(oldDir: string, newDir: string): Promise<number> {
  const ctx = await context()
  const old = await readAccount(oldDir)
  if (old.accountSecret === undefined || old.deviceList === undefined) {
    throw new Error(`${oldDir} is not a primary device with a device list`)
  }
  const account = await AccountKeyPair.fromSecret(ctx.provider, old.accountSecret)
  const peerKey = await generateKeyPair('Ed25519')
  const local = await createLocalDevice(ctx, account, {
    deviceId: old.deviceId,
    peerId: peerIdFromPrivateKey(peerKey).toMultihash().bytes,
  })
  const mailboxes: AccountMailbox[] = await Promise.all(
    old.mailboxes.map(async (m) => {
      const key = await generateKeyPair('Ed25519')
      const relay = peerIdFromMultihash(Digest.decode(m.relayPeerId))
      return {
        relayPeerId: m.relayPeerId,
        relayAddrs: [...m.relayAddrs],
        mailboxKey: privateKeyToProtobuf(key),
        mailboxId: await mailboxIdFor(key.publicKey.raw, relay),
      }
    }),
  )
  const previous = DeviceListBody.decode(Signed.decode(old.deviceList.signed).body)
  const version = previous.listVersion + 1
  const others = previous.devices.filter((_, i) => i !== previousIndexOf(previous, old.certificate))
  const list = await issueDeviceList(ctx, account, {
    listVersion: version,
    devices: [
      {
        certificate: local.certificate,
        mailboxes: mailboxes.map((m) => ({
          relayPeerId: m.relayPeerId,
          relayAddrs: [...m.relayAddrs],
          mailboxId: m.mailboxId,
        })),
      },
      ...others.map((d) => ({ certificate: d.certificate, mailboxes: d.mailboxes })),
    ],
  })
  mkdirSync(newDir, { mode: 0o700 })
  const store = await openClientStore(storeAt(newDir) as never)
  try {
    const unit = store.unit()
    await unit.account.put({
      accountKey: account.publicKey,
      accountSecret: account.secret.bytes,
      deviceId: old.deviceId,
      identityKeyPair: local.identityKeyPair,
      signingKeyPair: local.signingKeyPair,
      certificate: local.certificate,
      peerPrivateKey: privateKeyToProtobuf(peerKey),
      mailboxes,
      deviceList: { signed: list, version },
      preKeys: { nextOneTimeId: 1, nextKemId: 1, signedPreKeyId: 0, signedPreKeyCreatedAt: 0 },
    })
    await unit.commit()
  } finally {
    await store.close()
  }
  return version
}

function previousIndexOf(list: ReturnType<typeof DeviceListBody.decode>, certificate: Uint8Array): number {
  return list.devices.findIndex(
    (d) =>
      d.certificate.byteLength === certificate.byteLength &&
      d.certificate.every((b, i) => b === certificate[i]),
  )
}

/** What a rogue relay might serve instead of `genuine` (a framed Signed(DeviceListBody)). */
export interface Forgeries {
  /** Version raised to `version`, an intruder's device added, the account's old signature kept. */
  resigned: Uint8Array
  /** The same body, signed by the intruder's own account key. */
  intruderSigned: Uint8Array
  /** The same body with an all-zero signature. */
  unsigned: Uint8Array
}

export async function forgeries(genuine: Uint8Array, version: number): Promise<Forgeries> {
  const ctx = await context()
  const intruder = await AccountKeyPair.generate(ctx.provider)
  const peerKey = await generateKeyPair('Ed25519')
  const device = await createLocalDevice(ctx, intruder, {
    deviceId: 9,
    peerId: peerIdFromPrivateKey(peerKey).toMultihash().bytes,
  })
  const signed = Signed.decode(genuine)
  const body = DeviceListBody.decode(signed.body)
  const forged = DeviceListBody.encode({
    ...body,
    listVersion: version,
    devices: [...body.devices, { certificate: device.certificate, mailboxes: [] }],
  })
  return {
    resigned: Signed.encode({ body: forged, signature: signed.signature }),
    intruderSigned: await signRecord(
      ctx.provider,
      intruder.secret.bytes,
      SignatureContext.DeviceList,
      forged,
    ),
    unsigned: Signed.encode({ body: forged, signature: new Uint8Array(signed.signature.byteLength) }),
  }
}

/** The version of a framed Signed(DeviceListBody), read without checking anything. */
export function versionOf(list: Uint8Array): number {
  return DeviceListBody.decode(Signed.decode(list).body).listVersion
}
