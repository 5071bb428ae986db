import { DeviceCertificateBody, DeviceListBody, type pb, Signed, WireError } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { concat, toHex } from '../../src/bytes.js'
import { InvalidRecordError, InvalidSignatureError, StaleRecordError } from '../../src/errors.js'
import { createLocalDevice, verifyDeviceCertificate } from '../../src/records/certificate.js'
import { SignatureContext } from '../../src/records/constants.js'
import {
  issueDeviceList,
  type Mailbox,
  selectDeviceList,
  selectDeviceListRecord,
  verifyDeviceList,
} from '../../src/records/device-list.js'
import { AccountKeyPair } from '../../src/records/keys.js'
import { signRecord } from '../../src/records/signed.js'
import {
  contextFor,
  fakePeerId,
  flipBit,
  PROVIDERS,
  signatureBits,
  varint,
  withSignature,
} from './providers.js'

describe.each(PROVIDERS)('device lists with the %s provider (FAULTS 32, 34)', (_name, provider) => {
  const ctx = contextFor(provider)

  function mailbox(): Mailbox {
    return {
      relayPeerId: fakePeerId(provider),
      relayAddrs: ['/ip4/127.0.0.1/tcp/4001', '/dns4/relay.example/tcp/443/wss'],
      mailboxId: provider.randomBytes(32),
    }
  }

  async function account(devices = 2) {
    const keys = await AccountKeyPair.generate(provider)
    const local = []
    for (let i = 1; i <= devices; i++) {
      local.push(await createLocalDevice(ctx, keys, { deviceId: i, peerId: fakePeerId(provider) }))
    }
    const entries = local.map((d) => ({ certificate: d.certificate, mailboxes: [mailbox(), mailbox()] }))
    return { keys, local, entries }
  }

  /** Signs any body as `signer`, bypassing the issuer's checks: how an attacker would build a list. */
  async function signBody(signer: AccountKeyPair, body: pb.DeviceListBody): Promise<Uint8Array> {
    return signRecord(provider, signer.secret.bytes, SignatureContext.DeviceList, DeviceListBody.encode(body))
  }

  it('a good list verifies with every certificate and mailbox', async () => {
    const { keys, local, entries } = await account(3)
    const bytes = await issueDeviceList(ctx, keys, { listVersion: 4, devices: entries })
    const list = await verifyDeviceList(ctx, bytes, { accountKey: keys.publicKey, knownVersion: 3 })
    expect(toHex(list.accountKey)).toBe(toHex(keys.publicKey))
    expect(list.listVersion).toBe(4)
    expect(list.issuedAt).toBe(ctx.now())
    expect(list.devices.map((d) => d.certificate.deviceId)).toEqual([1, 2, 3])
    expect(list.devices.map((d) => toHex(d.certificate.identityKey))).toEqual(
      local.map((d) => toHex(d.identityKeyPair.publicKey)),
    )
    expect(list.devices[1]!.mailboxes.map((m) => toHex(m.mailboxId))).toEqual(
      entries[1]!.mailboxes.map((m) => toHex(m.mailboxId)),
    )
    expect(list.devices[0]!.mailboxes[0]!.relayAddrs).toEqual(entries[0]!.mailboxes[0]!.relayAddrs)
    expect(toHex(list.bytes)).toBe(toHex(bytes))
  })

  it('a newer version is accepted; an older or the same version → StaleRecordError (FAULTS 34)', async () => {
    const { keys, entries } = await account()
    const v5 = await issueDeviceList(ctx, keys, { listVersion: 5, devices: entries })
    await expect(verifyDeviceList(ctx, v5, { knownVersion: 4 })).resolves.toMatchObject({ listVersion: 5 })
    await expect(verifyDeviceList(ctx, v5, { knownVersion: 5 })).rejects.toThrow(StaleRecordError)
    await expect(verifyDeviceList(ctx, v5, { knownVersion: 6 })).rejects.toThrow(StaleRecordError)
    await expect(verifyDeviceList(ctx, v5, { knownVersion: Number.MAX_SAFE_INTEGER })).rejects.toThrow(
      StaleRecordError,
    )
  })

  it('forged entry: a certificate of another account placed into the list → rejected (FAULTS 34)', async () => {
    const alice = await account(1)
    const mallory = await account(1)
    const forged = await signBody(alice.keys, {
      accountKey: alice.keys.publicKey,
      listVersion: 2,
      issuedAt: 0,
      devices: [...alice.entries, ...mallory.entries],
    })
    await expect(verifyDeviceList(ctx, forged, { accountKey: alice.keys.publicKey })).rejects.toThrow(
      InvalidRecordError,
    )
    // and the issuer never signs such a list
    await expect(
      issueDeviceList(ctx, alice.keys, { listVersion: 2, devices: [...alice.entries, ...mallory.entries] }),
    ).rejects.toThrow(InvalidRecordError)
  })

  it('forged entry: a certificate naming this account but signed by another key → InvalidSignatureError (FAULTS 34)', async () => {
    const alice = await account(1)
    const mallory = await AccountKeyPair.generate(provider)
    const stolen = await verifyDeviceCertificate(ctx, alice.entries[0]!.certificate)
    const body = DeviceCertificateBody.encode({
      accountKey: alice.keys.publicKey,
      deviceId: 9,
      signingKey: stolen.signingKey,
      identityKey: (await provider.x25519Keygen()).publicKey,
      peerId: fakePeerId(provider),
      createdAt: 0,
    })
    const certificate = await signRecord(
      provider,
      mallory.secret.bytes,
      SignatureContext.DeviceCertificate,
      body,
    )
    const forged = await signBody(alice.keys, {
      accountKey: alice.keys.publicKey,
      listVersion: 2,
      issuedAt: 0,
      devices: [...alice.entries, { certificate, mailboxes: [] }],
    })
    await expect(verifyDeviceList(ctx, forged)).rejects.toThrow(InvalidSignatureError)
  })

  it('a list signed by another account but naming this one → InvalidSignatureError', async () => {
    const alice = await account(1)
    const mallory = await AccountKeyPair.generate(provider)
    const forged = await signBody(mallory, {
      accountKey: alice.keys.publicKey,
      listVersion: 99,
      issuedAt: 0,
      devices: alice.entries,
    })
    await expect(verifyDeviceList(ctx, forged, { accountKey: alice.keys.publicKey })).rejects.toThrow(
      InvalidSignatureError,
    )
  })

  it('a genuine list of another account, when this account’s is expected → InvalidRecordError', async () => {
    const alice = await account(1)
    const bob = await account(1)
    const bobs = await issueDeviceList(ctx, bob.keys, { listVersion: 1, devices: bob.entries })
    await expect(verifyDeviceList(ctx, bobs, { accountKey: alice.keys.publicKey })).rejects.toThrow(
      InvalidRecordError,
    )
  })

  it('no signature: zero signature bytes → InvalidSignatureError; empty signature → typed wire error (FAULTS 34)', async () => {
    const { keys, entries } = await account()
    const good = await issueDeviceList(ctx, keys, { listVersion: 1, devices: entries })
    const zero = withSignature(good, () => new Uint8Array(64))
    await expect(verifyDeviceList(ctx, zero)).rejects.toThrow(InvalidSignatureError)
    // a Signed with the signature field left out, framed by hand (the encoder refuses to write it)
    const body = Signed.decode(good).body
    const pbBytes = concat(Uint8Array.of(0x0a), varint(body.byteLength), body)
    const unsigned = concat(Uint8Array.of(0x01, 0x01), varint(pbBytes.byteLength), pbBytes)
    await expect(verifyDeviceList(ctx, unsigned)).rejects.toThrow(WireError)
    // the bare body, without any envelope
    await expect(verifyDeviceList(ctx, body)).rejects.toThrow(WireError)
  })

  it('any single signature bit flipped (all 512 with node:crypto) → InvalidSignatureError', async () => {
    const { keys, entries } = await account(1)
    const good = await issueDeviceList(ctx, keys, { listVersion: 1, devices: entries })
    for (const bit of signatureBits(provider)) {
      await expect(
        verifyDeviceList(
          ctx,
          withSignature(good, (s) => flipBit(s, bit)),
        ),
      ).rejects.toThrow(InvalidSignatureError)
    }
  })

  it('duplicate device IDs → InvalidRecordError', async () => {
    const { keys, entries } = await account(1)
    const twin = await createLocalDevice(ctx, keys, { deviceId: 1, peerId: fakePeerId(provider) })
    const devices = [...entries, { certificate: twin.certificate, mailboxes: [mailbox()] }]
    const forged = await signBody(keys, { accountKey: keys.publicKey, listVersion: 2, issuedAt: 0, devices })
    await expect(verifyDeviceList(ctx, forged)).rejects.toThrow(/device ID/)
    await expect(verifyDeviceList(ctx, forged)).rejects.toThrow(InvalidRecordError)
    await expect(issueDeviceList(ctx, keys, { listVersion: 2, devices })).rejects.toThrow(InvalidRecordError)
  })

  it('the same certificate listed twice → InvalidRecordError', async () => {
    const { keys, entries } = await account(1)
    const devices = [entries[0]!, { certificate: entries[0]!.certificate, mailboxes: [] }]
    const forged = await signBody(keys, { accountKey: keys.publicKey, listVersion: 2, issuedAt: 0, devices })
    await expect(verifyDeviceList(ctx, forged)).rejects.toThrow(InvalidRecordError)
  })

  it('duplicate identity keys under different device IDs → InvalidRecordError', async () => {
    const keys = await AccountKeyPair.generate(provider)
    const first = await createLocalDevice(ctx, keys, { deviceId: 1, peerId: fakePeerId(provider) })
    const body = DeviceCertificateBody.encode({
      accountKey: keys.publicKey,
      deviceId: 2,
      signingKey: (await provider.ed25519Keygen()).publicKey,
      identityKey: first.identityKeyPair.publicKey,
      peerId: fakePeerId(provider),
      createdAt: 0,
    })
    const clone = await signRecord(provider, keys.secret.bytes, SignatureContext.DeviceCertificate, body)
    const forged = await signBody(keys, {
      accountKey: keys.publicKey,
      listVersion: 2,
      issuedAt: 0,
      devices: [
        { certificate: first.certificate, mailboxes: [] },
        { certificate: clone, mailboxes: [] },
      ],
    })
    await expect(verifyDeviceList(ctx, forged)).rejects.toThrow(/identity key/)
  })

  it('one mailbox ID under two devices → InvalidRecordError', async () => {
    const { keys, entries } = await account(2)
    const shared = mailbox()
    const devices = entries.map((e) => ({ certificate: e.certificate, mailboxes: [shared] }))
    const forged = await signBody(keys, { accountKey: keys.publicKey, listVersion: 2, issuedAt: 0, devices })
    await expect(verifyDeviceList(ctx, forged)).rejects.toThrow(/mailbox ID/)
  })

  it('selectDeviceList picks the highest valid version; ties go to the later issue time, then the bytes', async () => {
    const { keys, entries } = await account(1)
    const at = (now: number) => contextFor(provider, now)
    const v1 = await verifyDeviceList(
      ctx,
      await issueDeviceList(at(10), keys, { listVersion: 1, devices: entries }),
    )
    const v2 = await verifyDeviceList(
      ctx,
      await issueDeviceList(at(5), keys, { listVersion: 2, devices: entries }),
    )
    const v2later = await verifyDeviceList(
      ctx,
      await issueDeviceList(at(6), keys, { listVersion: 2, devices: entries }),
    )
    expect(selectDeviceList(v1, v2)).toBe(v2)
    expect(selectDeviceList(v2, v1)).toBe(v2)
    expect(selectDeviceList(v2, v2later)).toBe(v2later)
    expect(selectDeviceList(v2later, v2)).toBe(v2later)
    expect(selectDeviceList(v2, v2)).toBe(v2)
    // same version, same time, different signatures (Ed25519 is deterministic: vary the mailboxes)
    const other = entries.map((e) => ({ certificate: e.certificate, mailboxes: [mailbox()] }))
    const a = await verifyDeviceList(
      ctx,
      await issueDeviceList(at(5), keys, { listVersion: 2, devices: other }),
    )
    const winner = selectDeviceList(v2, a)
    expect(selectDeviceList(a, v2)).toBe(winner)
  })

  it('selectDeviceListRecord (DHT selector) returns the index of the highest version; garbage never wins', async () => {
    const { keys, entries } = await account(1)
    const records = []
    for (const version of [3, 7, 5]) {
      records.push(await issueDeviceList(ctx, keys, { listVersion: version, devices: entries }))
    }
    expect(selectDeviceListRecord(records)).toBe(1)
    expect(selectDeviceListRecord([Uint8Array.of(1, 2, 3), records[0]!, new Uint8Array(0)])).toBe(1)
    expect(selectDeviceListRecord([records[2]!, records[0]!])).toBe(0)
    expect(selectDeviceListRecord([])).toBe(0)
  })
})
